//@ warn: send_sync_impl_unbounded
//! A bound written on a reference to the parameter is the bound it stands for: `&T: Send` and
//! `&T: Sync` hold exactly when `T: Sync`, `&mut T: Send` when `T: Send`.
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::AtomicUsize;

/// A shared borrow of a value counted elsewhere: it only ever lends `&T`.
pub struct ReadGuard<'b, T: ?Sized> {
    value: NonNull<T>,
    count: &'b AtomicUsize,
}
// SAFETY: the guard acts as `&T`.
unsafe impl<'b, T: ?Sized> Sync for ReadGuard<'b, T> where for<'a> &'a T: Sync {}
// SAFETY: the guard acts as `&T`, which is `Send` when `T: Sync`.
unsafe impl<'b, T: ?Sized> Send for ReadGuard<'b, T> where for<'a> &'a T: Send {}

impl<T: ?Sized> Deref for ReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { self.value.as_ref() }
    }
}

/// An exclusive borrow: `&mut T: Send` is `T: Send`.
pub struct WriteGuard<'b, T: ?Sized> {
    value: NonNull<T>,
    count: &'b AtomicUsize,
}
// SAFETY: the guard acts as `&mut T`.
unsafe impl<'b, T: ?Sized> Sync for WriteGuard<'b, T> where for<'a> &'a mut T: Sync {}
// SAFETY: the guard acts as `&mut T`.
unsafe impl<'b, T: ?Sized> Send for WriteGuard<'b, T> where &'b mut T: Send {}

impl<T: ?Sized> Deref for WriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { self.value.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { self.value.as_mut() }
    }
}

/// Buggy: `&T: Send` is only `T: Sync`, and this type owns its `T`: moving it moves the value.
pub struct Owner<T> {
    value: Box<T>,
}
// SAFETY: wrong: the value itself crosses threads with the owner.
unsafe impl<T> Send for Owner<T> where for<'a> &'a T: Send {} //~ send_sync_impl_unbounded

/// Buggy: `&T: Send` is only `T: Sync`, but this guard lends `&mut T` too, so a `T` that is
/// `Sync` but not `Send` can be replaced, and dropped, on another thread.
pub struct MutGuard<'b, T: ?Sized> {
    value: NonNull<T>,
    count: &'b AtomicUsize,
}
// SAFETY: wrong: the guard lends `&mut T`.
unsafe impl<'b, T: ?Sized> Send for MutGuard<'b, T> where for<'a> &'a T: Send {} //~ send_sync_impl_unbounded

impl<T: ?Sized> Deref for MutGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { self.value.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for MutGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { self.value.as_mut() }
    }
}
