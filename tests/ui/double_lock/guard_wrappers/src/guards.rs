//! The types and the functions that return their guards.
use std::sync::{Mutex, MutexGuard, RwLock, RwLockWriteGuard};

pub struct State {
    pub items: Vec<u32>,
}

pub struct Store {
    inner: RwLock<State>,
    state: Mutex<State>,
    other: Mutex<State>,
}

pub trait Access {
    fn wl(&self) -> RwLockWriteGuard<'_, State>;
}

/// A trait method that returns a write guard of `self.inner`.
impl Access for Store {
    fn wl(&self) -> RwLockWriteGuard<'_, State> {
        self.inner.write().unwrap()
    }
}

impl Store {
    /// An inherent method that returns the guard of `self.state`.
    pub(crate) fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub(crate) fn lock_other(&self) -> MutexGuard<'_, State> {
        self.other.lock().unwrap()
    }
}

pub struct Fast {
    m: parking_lot::Mutex<State>,
}

impl Fast {
    /// parking_lot's `lock()` has no `unwrap()`.
    pub(crate) fn guard(&self) -> parking_lot::MutexGuard<'_, State> {
        self.m.lock()
    }
}
