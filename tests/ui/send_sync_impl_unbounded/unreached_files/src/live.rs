// Buggy: compiled, and `Live<Rc<_>>` is `Send`.
pub struct Live<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Live<T> {} //~ send_sync_impl_unbounded
