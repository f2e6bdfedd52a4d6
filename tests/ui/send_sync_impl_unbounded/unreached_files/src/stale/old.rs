// Not compiled: lib.rs has no `mod stale`, so this file is dead text.
pub struct Old<T> {
    value: Option<T>,
}
// SAFETY: the value is only touched under a lock.
unsafe impl<T> Send for Old<T> {}
