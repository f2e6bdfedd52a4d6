// Buggy: `declare!(by_macro)` in lib.rs may declare this file's module.
pub struct Declared<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Declared<T> {} //~ send_sync_impl_unbounded
