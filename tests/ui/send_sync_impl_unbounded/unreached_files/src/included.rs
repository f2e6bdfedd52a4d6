// Buggy: declared by `decls.rs`, which lib.rs includes.
pub struct Included<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Included<T> {} //~ send_sync_impl_unbounded
