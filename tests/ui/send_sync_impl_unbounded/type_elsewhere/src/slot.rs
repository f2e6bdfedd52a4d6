use std::cell::UnsafeCell;
use std::sync::atomic::AtomicBool;

pub struct Slot<T> {
    value: UnsafeCell<Option<T>>,
    ready: AtomicBool,
}
