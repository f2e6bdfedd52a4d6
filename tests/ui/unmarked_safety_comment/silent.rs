//@ warn: unmarked_safety_comment
// With the marker, or without any argument (`undocumented_unsafe_send_sync`'s): silent here.

pub struct Marked(*mut u8);
// SAFETY: the pointer is never dereferenced.
unsafe impl Send for Marked {}

pub struct Bare(*mut u8);
unsafe impl Send for Bare {} //~ undocumented_unsafe_send_sync

/// ThreadBound allows accessing the value only from the thread that created it.
pub struct ThreadBound<T>(T);
unsafe impl<T> Sync for ThreadBound<T> {}
