use std::cell::UnsafeCell;

pub struct RawBuf(*mut u8);
unsafe impl Send for RawBuf {} //~ undocumented_unsafe_send_sync

pub struct Slot<T>(UnsafeCell<T>);
// Keeps a value.
unsafe impl<T: Send> Sync for Slot<T> {} //~ undocumented_unsafe_send_sync

mod inner {
    pub struct Ptr(pub *const u8);
    #[allow(dead_code)]
    unsafe impl std::marker::Sync for Ptr {} //~ undocumented_unsafe_send_sync
}

// SAFETY: a comment two blank lines up does not count.


unsafe impl core::marker::Send for inner::Ptr {} //~ undocumented_unsafe_send_sync

pub struct Wrapper<T>(std::marker::PhantomData<T>);
unsafe impl<T> Send for inner::Wrapped<Vec<T>> {} //~ undocumented_unsafe_send_sync
