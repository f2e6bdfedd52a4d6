use std::cell::UnsafeCell;
use std::sync::{Arc, Mutex};

/// `UnsafeCell` without atomics in the file is single-threaded interior mutability.
pub struct Local {
    value: UnsafeCell<u32>,
}

pub fn shared() -> Arc<Mutex<u32>> {
    Arc::new(Mutex::new(0))
}
