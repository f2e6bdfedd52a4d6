//@ warn: send_sync_impl_unbounded
//! `unsafe impl<T: Sync> Send` is right for a type that holds no `T` of its own (only pointers
//! to values another type owns) and whose API lends only `&T`.
use std::marker::PhantomData;
use std::sync::Arc;

pub struct Table<T> {
    slots: *mut T,
    len: usize,
}

/// An iterator over shared references into a table it does not own.
pub struct Entries<'g, T> {
    at: usize,
    table: *mut Table<T>,
    _borrow: PhantomData<&'g T>,
}
// SAFETY: the iterator yields only `&T`; sending it is sending `&T`, which needs `T: Sync`.
unsafe impl<T: Sync> Send for Entries<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for Entries<'_, T> {}

impl<'g, T> Iterator for Entries<'g, T> {
    type Item = &'g T;
    fn next(&mut self) -> Option<Self::Item> {
        None
    }
}

impl<'g, T> Entries<'g, T> {
    pub fn peek_with<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        None
    }
}

/// Buggy: the same shape, but the API moves a `T` out: `T: Sync` is not enough to send it.
pub struct Drain<'g, T> {
    at: usize,
    table: *mut Table<T>,
    _borrow: PhantomData<&'g T>,
}
// SAFETY: wrong: `take` moves values out on whatever thread holds the drain.
unsafe impl<T: Sync> Send for Drain<'_, T> {} //~ send_sync_impl_unbounded

impl<T> Drain<'_, T> {
    pub fn take(&mut self) -> Option<T> {
        None
    }
}

/// Buggy: the handle shares ownership of the table (`Arc`), so dropping the last handle drops
/// the values on whatever thread it was sent to, though its API lends only `&T`.
pub struct Handle<T> {
    table: Arc<Table<T>>,
    at: *const T,
}
// SAFETY: wrong: the last handle drops the table and its values.
unsafe impl<T: Sync> Send for Handle<T> {} //~ send_sync_impl_unbounded

impl<T> Handle<T> {
    pub fn get(&self) -> &T {
        unsafe { &*self.at }
    }
}
