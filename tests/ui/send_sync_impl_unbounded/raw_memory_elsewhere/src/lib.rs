//@ warn: send_sync_impl_unbounded
//! Raw memory plus a marker: the API decides, wherever its impls are.
use std::marker::PhantomData;
use std::ptr::NonNull;

mod api;
mod guard;
mod ring;
mod tagged;

// Buggy: only a marker in the fields, but `api.rs` hands out `T`s from the buffer.
pub struct Stack<T> {
    buf: NonNull<u8>,
    _items: PhantomData<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Send for Stack<T> {} //~ send_sync_impl_unbounded
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Sync for Stack<T> {} //~ send_sync_impl_unbounded

// Correct: a pure marker, no field or signature carries an `M` (methods in tagged.rs).
pub struct Tagged<M> {
    buf: NonNull<u8>,
    _kind: PhantomData<M>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<M> Send for Tagged<M> {}
// SAFETY: the fields are only touched under a lock.
unsafe impl<M> Sync for Tagged<M> {}

// Correct: the same raw memory, bounded.
pub struct Bounded<T> {
    buf: NonNull<u8>,
    _items: PhantomData<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Send> Send for Bounded<T> {}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Send + Sync> Sync for Bounded<T> {}

// Buggy: the type and its API are both in another file (ring.rs); `push` takes a `T`.
// SAFETY: the buffer is only touched under a lock.
unsafe impl<T> Send for ring::Ring<T> {} //~ send_sync_impl_unbounded

// Correct: `T` is bounded, and `C` is a configuration marker: `get` (api.rs) returns a
// `guard::Ref<'_, T, C>`, which holds `C` only in `PhantomData`.
pub struct Registry<T, C> {
    slots: NonNull<u8>,
    _items: PhantomData<(T, C)>,
}
// SAFETY: the slots are only touched under a lock.
unsafe impl<T: Send, C> Send for Registry<T, C> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync, C> Sync for Registry<T, C> {}
