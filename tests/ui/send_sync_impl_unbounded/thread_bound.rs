//@ warn: send_sync_impl_unbounded
//! A wrapper that records, once, the thread that made it and lends its value only there.
use std::cell::Cell;
use std::thread::{self, ThreadId};

pub struct Pinned<T> {
    value: T,
    owner: ThreadId,
}
// SAFETY: `get` lends the value only on the owning thread.
unsafe impl<T> Sync for Pinned<T> {}
// SAFETY: a `Copy` value has no destructor that could run on another thread.
unsafe impl<T: Copy> Send for Pinned<T> {}

impl<T> Pinned<T> {
    pub fn new(value: T) -> Self {
        Pinned { value, owner: thread::current().id() }
    }

    pub fn get(&self) -> Option<&T> {
        (thread::current().id() == self.owner).then_some(&self.value)
    }
}

pub struct PinnedDrop<T> {
    value: T,
    owner: ThreadId,
}
// Buggy: moving the wrapper moves the value, and its destructor runs on the new thread.
// SAFETY: wrong: only access is checked, not the drop.
unsafe impl<T> Send for PinnedDrop<T> {} //~ send_sync_impl_unbounded

impl<T> PinnedDrop<T> {
    pub fn get(&self) -> Option<&T> {
        (thread::current().id() == self.owner).then_some(&self.value)
    }
}

/// Buggy: an owner that changes (a reentrant lock's) does not tie the value to one thread:
/// each thread that takes the lock in turn gets `&T`.
pub struct Reentrant<T> {
    value: T,
    owner: Cell<Option<ThreadId>>,
}
// SAFETY: wrong: the value is lent to whichever thread owns the lock.
unsafe impl<T> Sync for Reentrant<T> {} //~ send_sync_impl_unbounded

impl<T> Reentrant<T> {
    pub fn lock(&self) -> &T {
        &self.value
    }
}

/// Buggy: it records its thread, but lends the value without comparing it.
pub struct Unchecked<T> {
    value: T,
    owner: ThreadId,
}
// SAFETY: wrong: `get` never looks at `owner`.
unsafe impl<T> Sync for Unchecked<T> {} //~ send_sync_impl_unbounded

impl<T> Unchecked<T> {
    pub fn get(&self) -> &T {
        &self.value
    }
}
