//@ warn: send_sync_impl_unbounded
//! Types of examples and benches are demonstrations: no other crate instantiates them and no
//! user runs them in production, so their impls are left alone; the library's are not.

// Buggy: the library's own type, `Slot<Rc<_>>` is `Send`.
pub struct Slot<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Slot<T> {} //~ send_sync_impl_unbounded

impl<T> Slot<T> {
    pub fn new(value: T) -> Slot<T> {
        Slot { value: Some(value) }
    }

    pub fn take(&mut self) -> Option<T> {
        self.value.take()
    }
}
