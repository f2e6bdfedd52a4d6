//@ warn: unmarked_safety_comment
use std::cell::UnsafeCell;

// A justification without the `SAFETY:` marker: documented, so not `undocumented_unsafe_send_sync`;
// this lint's fix adds the marker.
pub struct Address(*mut u8);
// Safe since Address is never dereferenced.
unsafe impl Send for Address {} //~ unmarked_safety_comment
unsafe impl Sync for Address {} //~ unmarked_safety_comment

pub struct Table(*const u8);
/// The table is immutable after construction, so sharing it is fine.
unsafe impl Sync for Table {} //~ unmarked_safety_comment

pub struct Handle(*mut u8);
#[allow(dead_code)]
//
// The handle is only used by the thread that owns it,
// because the C library is not reentrant.
unsafe impl Send for Handle {} //~ unmarked_safety_comment

pub struct Cursor(*const u8);
unsafe impl Send for Cursor {} // the pointer is never written through //~ unmarked_safety_comment

pub struct Slot<T>(UnsafeCell<T>);
/* Access is exclusive: every method takes `&mut self`. */
unsafe impl<T: Send> Sync for Slot<T> {} //~ unmarked_safety_comment

// Comments that do not argue the case are `undocumented_unsafe_send_sync`'s, with a placeholder.
pub struct Legacy(*mut u8);
// Deprecated impls: see #5296
unsafe impl Send for Legacy {} //~ undocumented_unsafe_send_sync

pub struct Callback(*mut u8);
// TODO: only Send once the callback itself is
unsafe impl Send for Callback {} //~ undocumented_unsafe_send_sync

pub struct Runloop(*mut u8);
// https://github.com/servo/core-foundation-rs/issues/550
unsafe impl Sync for Runloop {} //~ undocumented_unsafe_send_sync
