//@ warn: send_sync_impl_unbounded
//! A bound through a trait of another file counts when the trait requires `Send`/`Sync`.
use std::cell::UnsafeCell;

pub mod jobs;
mod task;

// `Plain` is public API (a user may implement it); `Task` stays private.
pub use task::Plain;
use task::Task;

// Correct: `Task` (task.rs) has `Send + Sync` among its supertraits.
pub struct Runner<T> {
    task: UnsafeCell<Option<T>>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Task> Send for Runner<T> {}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Task> Sync for Runner<T> {}

// Correct: `jobs::Job` requires `Task`, which requires `Send`, in another file again.
pub struct Queue<J> {
    jobs: UnsafeCell<Vec<J>>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<J> Send for Queue<J> where J: jobs::Job {}

// Correct: a path from the crate root.
pub struct Worker<W> {
    work: UnsafeCell<W>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<W: crate::task::Task> Send for Worker<W> {}

// Buggy: `Plain` (task.rs) requires nothing of the kind.
pub struct Holder<T> {
    value: UnsafeCell<T>,
}
// SAFETY: the fields are only touched under a lock.
unsafe impl<T: Plain> Send for Holder<T> {} //~ send_sync_impl_unbounded
