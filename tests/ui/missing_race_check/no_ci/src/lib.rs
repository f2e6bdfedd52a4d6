use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod counter;

/// A slot written once, then read by many threads.
pub struct Slot<T: Send> {
    ready: AtomicBool,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: `value` is written once before `ready` is set with `Release`.
unsafe impl<T: Send + Sync> Sync for Slot<T> {}

impl<T: Send> Slot<T> {
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }
}
