//@ warn: send_sync_impl_unbounded
//! What the type's API moves or lends decides, beside what it stores.
use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

// Only a marker in the fields, but `pop` hands out a `T` from raw memory: `T` crosses threads.
pub struct Stack<T> {
    buf: NonNull<u8>,
    _items: PhantomData<T>,
}
impl<T> Stack<T> {
    pub fn pop(&self) -> Option<T> {
        None
    }
}
// SAFETY: the buffer is only touched under the stack's lock.
unsafe impl<T> Send for Stack<T> {} //~ send_sync_impl_unbounded
// SAFETY: as above.
unsafe impl<T> Sync for Stack<T> {} //~ send_sync_impl_unbounded

// Lends `&T` to any thread that shares it.
pub struct Exposed<T> {
    value: T,
}
impl<T> Exposed<T> {
    pub fn get(&self) -> &T {
        &self.value
    }
}
// SAFETY: not for every `T`.
unsafe impl<T> Sync for Exposed<T> {} //~ send_sync_impl_unbounded

// Lends `&T` through `Deref::Target`.
pub struct Boxed<T> {
    value: UnsafeCell<T>,
}
impl<T> Deref for Boxed<T> {
    type Target = T;
    fn deref(&self) -> &Self::Target {
        unsafe { &*self.value.get() }
    }
}
// SAFETY: not for every `T`.
unsafe impl<T> Sync for Boxed<T> {} //~ send_sync_impl_unbounded



// A stored value lent to a closure through `&self`: the lock pattern without a bound.
pub struct SpinCell<T> {
    value: UnsafeCell<T>,
}
impl<T> SpinCell<T> {
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(unsafe { &mut *self.value.get() })
    }
}
// SAFETY: not for every `T`.
unsafe impl<T> Sync for SpinCell<T> {} //~ send_sync_impl_unbounded
fn main() {}
