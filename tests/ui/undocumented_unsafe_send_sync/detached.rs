//@ warn: unmarked_safety_comment
// Justifications that are there but not directly attached to the impl.

// On an attribute's line: the reason argues without the marker (`unmarked_safety_comment`, which
// adds it).
pub struct Tagged<T>(std::marker::PhantomData<T>);
#[allow(clippy::non_send_fields_in_send_ty)] // we do not hold a T, only its type
unsafe impl<T> Send for Tagged<T> {} //~ unmarked_safety_comment

// ... and with the marker: silent.
pub struct Marked<T>(std::marker::PhantomData<T>);
#[allow(clippy::non_send_fields_in_send_ty)] // SAFETY: we do not hold a T
unsafe impl<T> Send for Marked<T> {}

// A `//` inside the attribute is not a comment.
pub struct Linked(*mut u8);
#[doc = "see https://example.com/only-safe-because"]
unsafe impl Send for Linked {} //~ undocumented_unsafe_send_sync

pub struct ConnectionHandle(*mut u8);

// A SQLite3 handle is safe to send between threads, provided not more than
// one is accessing it at the same time.

unsafe impl Send for ConnectionHandle {} //~ unmarked_safety_comment

pub struct Statement(*mut u8);

// SAFETY: the statement is only stepped through `&mut self`.

unsafe impl Sync for Statement {}

// Only the nearest block, and across one blank line only.
pub struct Row(*mut u8);

// Accessing values from the statement is safe as long as nobody steps it.


unsafe impl Send for Row {} //~ undocumented_unsafe_send_sync

// The comment at the end of a function body belongs to the function.
pub fn open() {
    let _ = 1;
    // SAFETY: this is about the code above, and safe only there.

}
unsafe impl Send for Statement {} //~ undocumented_unsafe_send_sync

mod inner {
    pub struct Wrapped(*mut u8);
    // SAFETY: a comment indented deeper than the impl belongs to a body.

unsafe impl Send for Wrapped {} //~ undocumented_unsafe_send_sync
}

// A comment hanging under the previous item belongs to that item.
pub struct Cell(*mut u8);
// SAFETY: the cell is only read.
unsafe impl Sync for Cell {}

unsafe impl Send for Cell {} //~ undocumented_unsafe_send_sync

pub struct Pool(*mut u8);
// Safe because the pool is never shared.

unsafe impl Send for Pool {} //~ undocumented_unsafe_send_sync

mod module {
    // SAFETY: the first item of a module may carry a separated comment too.

    unsafe impl Sync for super::Pool {}
}

pub struct Opaque(*mut u8);
// The pointer is only used by the owning thread.
#[cfg(unix)]

unsafe impl Send for Opaque {} //~ undocumented_unsafe_send_sync
