use std::cell::UnsafeCell;

/// `pub`, in the private module `r#async` (a raw identifier: the file is `async.rs`): sealed.
pub trait Task {}

impl Task for u32 {}

pub struct Runner<T: Task> {
    task: UnsafeCell<T>,
}
// Correct: `T` can only be one of the crate's `Task` types.
// SAFETY: the task is only run under the runner's lock.
unsafe impl<T: Task> Sync for Runner<T> {}

impl<T: Task> Runner<T> {
    pub fn task(&self) -> &T {
        unsafe { &*self.task.get() }
    }
}
