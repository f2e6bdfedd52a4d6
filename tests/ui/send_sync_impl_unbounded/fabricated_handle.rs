//@ warn: send_sync_impl_unbounded
//! A marker parameter whose values the type makes fresh from a handle, on the calling
//! thread, rather than reading them out of memory where a `T` was stored.
use std::ffi::c_void;
use std::marker::PhantomData;
use std::ptr::NonNull;

pub trait Interface: Sized {
    /// # Safety
    /// `raw` must point at a live object of this interface.
    unsafe fn from_raw(raw: *mut c_void) -> Self;
}

/// An agile handle to a foreign object.
pub struct Handle(NonNull<c_void>);

impl Handle {
    pub fn resolve(&self) -> *mut c_void {
        self.0.as_ptr()
    }
}

// Correct: `upgrade` builds a new `I` from the handle on the calling thread; no `I` is stored.
pub struct Weak<I: Interface>(Option<Handle>, PhantomData<I>);

impl<I: Interface> Weak<I> {
    pub fn new() -> Self {
        Weak(None, PhantomData)
    }

    pub fn upgrade(&self) -> Option<I> {
        self.0.as_ref().map(|h| unsafe { I::from_raw(h.resolve()) })
    }

    pub fn downgrade(object: &I, handle: Handle) -> Self {
        let _ = object;
        Weak(Some(handle), PhantomData)
    }
}

// SAFETY: the handle is agile.
unsafe impl<I: Interface> Send for Weak<I> {}
// SAFETY: the handle is agile.
unsafe impl<I: Interface> Sync for Weak<I> {}

// Buggy: the same API, but `take` reads a `T` out of the raw buffer another thread wrote.
pub struct Slot<T> {
    buf: NonNull<u8>,
    _items: PhantomData<T>,
}

impl<T> Slot<T> {
    pub fn take(&self) -> Option<T> {
        Some(unsafe { std::ptr::read(self.buf.as_ptr().cast::<T>()) })
    }
}

// SAFETY: the buffer is only touched under a lock.
unsafe impl<T> Send for Slot<T> {} //~ send_sync_impl_unbounded
// SAFETY: the buffer is only touched under a lock.
unsafe impl<T> Sync for Slot<T> {} //~ send_sync_impl_unbounded

// Buggy: a handle too, but `put` takes a `T` it may keep and `get` hand to another thread.
pub struct Keeper<T>(Option<Handle>, PhantomData<T>);

impl<T> Keeper<T> {
    pub fn put(&self, value: T) {
        let _ = value;
    }

    pub fn get(&self) -> Option<T> {
        None
    }
}

// SAFETY: the handle is agile.
unsafe impl<T> Sync for Keeper<T> {} //~ send_sync_impl_unbounded

// Buggy: `Deref` lends a `&T` (`&Self::Target`), which must live in memory somewhere.
pub struct Lender<T>(Option<Handle>, PhantomData<T>);

impl<T> std::ops::Deref for Lender<T> {
    type Target = T;

    fn deref(&self) -> &Self::Target {
        unimplemented!()
    }
}

// SAFETY: the handle is agile.
unsafe impl<T> Sync for Lender<T> {} //~ send_sync_impl_unbounded
