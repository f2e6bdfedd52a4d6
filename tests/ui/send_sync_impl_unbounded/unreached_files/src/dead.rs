// Not compiled: no `mod dead` anywhere.
use std::cell::UnsafeCell;

pub struct Dead<T> {
    value: UnsafeCell<Option<T>>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Sync for Dead<T> {}

impl<T> Dead<T> {
    pub fn get(&self) -> Option<&T> {
        unsafe { (*self.value.get()).as_ref() }
    }
}
