// Buggy: compiled through `src/mylib.rs`, and `Slot<Rc<_>>` is `Send`.
pub struct Slot<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Slot<T> {} //~ send_sync_impl_unbounded
