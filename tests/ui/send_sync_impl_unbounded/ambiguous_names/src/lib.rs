//@ warn: send_sync_impl_unbounded
//! Names matched by module path when the `use` items lead to the definition, else by their
//! last segment when it is unique in the crate: two definitions that fit stay silent.
mod boxed;
mod marker;
mod prelude;
mod reexported;

// Correct as far as can be told: `prelude::Slot` is a re-export, and two `Slot`s (boxed.rs,
// marker.rs) fit the name.
pub struct Either<T> {
    slot: prelude::Slot<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Send for Either<T> {}

// Correct as far as can be told: two traits named `Job`, one requiring `Send`.
pub struct Runner<J> {
    job: std::cell::UnsafeCell<J>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<J: prelude::Job> Send for Runner<J> {}

// Buggy: the `use` item names `boxed::Slot`, which stores its `T`.
use boxed::Slot;
pub struct Stored<T> {
    slot: Slot<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T> Send for Stored<T> {} //~ send_sync_impl_unbounded
