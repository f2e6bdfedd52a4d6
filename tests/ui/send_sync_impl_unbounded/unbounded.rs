//@ warn: send_sync_impl_unbounded
use std::cell::UnsafeCell;
use std::marker::PhantomData;

pub struct Slot<T> {
    value: UnsafeCell<Option<T>>,
}
// SAFETY: a SAFETY comment does not stop this lint: it cannot speak for every `T`.
unsafe impl<T> Send for Slot<T> {} //~ send_sync_impl_unbounded
// SAFETY: the slot is written once before it is shared.
unsafe impl<T> Sync for Slot<T> {} //~ send_sync_impl_unbounded

pub struct Map<K, V> {
    entries: Vec<(K, V)>,
}
// SAFETY: every type parameter is checked, not only the first, and not only `T`.
unsafe impl<K: Send, V> Send for Map<K, V> {} //~ send_sync_impl_unbounded
// SAFETY: both unbounded parameters are named in one finding.
unsafe impl<K, V> Sync for Map<K, V> where K: Clone {} //~ send_sync_impl_unbounded

pub struct Ref<'a, T: ?Sized> {
    inner: &'a T,
}
// SAFETY: lifetimes are not type parameters; `?Sized` is not a bound that helps.
unsafe impl<'a, T: ?Sized> Send for Ref<'a, T> {} //~ send_sync_impl_unbounded

pub struct Shared<T> {
    value: Box<T>,
}
// SAFETY: `T: Sync` alone does not make moving a `Shared<T>` sound: it holds `T` by value.
unsafe impl<T: Sync> Send for Shared<T> {} //~ send_sync_impl_unbounded
// SAFETY: a bound on `Shared<T>` is not a bound on `T`.
unsafe impl<T> Sync for Shared<T> where Shared<T>: Clone {} //~ send_sync_impl_unbounded

pub struct Remote<T>(T, PhantomData<T>);
// SAFETY: `T` is held by value here, beside its marker.
unsafe impl<T> std::marker::Send for Remote<T> {} //~ send_sync_impl_unbounded

// A type in a module of the same file is followed.
// SAFETY: see the type.
unsafe impl<T> core::marker::Sync for other::Queue<T> {} //~ send_sync_impl_unbounded

mod other {
    pub struct Queue<T>(pub Vec<T>);
}

pub struct Writer<'a, T>(&'a mut T);
// SAFETY: `T: Sync` is not the `&T` pattern when the type holds `&mut T`.
unsafe impl<'a, T: Sync> Send for Writer<'a, T> {} //~ send_sync_impl_unbounded

pub struct Bucket<T> {
    ptr: std::ptr::NonNull<T>,
}
pub struct RawIter<T> {
    data: Bucket<T>,
    left: usize,
}
// SAFETY: `T` is held through `Bucket<T>`, another type of this file.
unsafe impl<T> Send for RawIter<T> {} //~ send_sync_impl_unbounded

fn main() {}
