//@ warn: send_sync_impl_unbounded
//! Types defined in other files of the crate are followed through their fields.
use std::marker::PhantomData;

mod cells;
mod config;
mod shard;
mod slot;

use shard::Array;
use slot::Slot;

// Buggy: `Slot` (slot.rs) stores its `T` in an `UnsafeCell`.
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Send for Slot<T> {} //~ send_sync_impl_unbounded

// Correct: the same type, bounded.
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Send> Sync for Slot<T> {}

// `T` is stored through `shard::Array` (shard.rs), itself through `Slot`; `C` only configures.
pub struct Pool<T, C> {
    shards: Array<T, C>,
    _config: PhantomData<C>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T, C> Send for Pool<T, C> {} //~ send_sync_impl_unbounded

// Correct: `T: Send`, and `C` stays silent (a marker in `Array` too).
pub struct BoundedPool<T, C> {
    shards: shard::Array<T, C>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Send, C> Send for BoundedPool<T, C> {}

// A type alias of another file (`cells::Cells<T>` is a `Vec<UnsafeCell<T>>`).
pub struct Grid<T> {
    cells: cells::Cells<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Send for Grid<T> {} //~ send_sync_impl_unbounded

// Correct: `config::Config<P>` holds only a `PhantomData<P>`, and nothing hands out a `P`.
pub struct Tuned<P> {
    config: config::Config<P>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<P> Send for Tuned<P> {}
// SAFETY: the fields are only touched under a lock.
unsafe impl<P> Sync for Tuned<P> {}
