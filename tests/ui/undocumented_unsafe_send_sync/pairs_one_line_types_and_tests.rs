// Where the argument for a pair of impls, or for a wrapper type declared on one line, is
// written; and impls in test code.
use std::cell::Cell;

pub struct Guard(*const u8);

// MUST NOT fire: the comment above the one-line wrapper covers its impl, written right under it.
pub fn unprotected() -> usize {
    // An unprotected guard is a `Guard` with a null pointer; we wrap it because `Guard` isn't
    // `Sync`, so it can't be stored in a `static` directly.
    struct GuardWrapper(Guard);
    unsafe impl Sync for GuardWrapper {}
    0
}

pub struct RawIter<T>(*const T);

// MUST NOT fire: a comment that explains the choice of both traits, next to the pair.
// We make raw iterators unconditionally Send and Sync, and let the PhantomData
// in the actual iterator types determine the real Send/Sync bounds.
unsafe impl<T> Send for RawIter<T> {}
unsafe impl<T> Sync for RawIter<T> {}

pub struct OwnedGuard<T>(*const T);

// MUST NOT fire: the first impl of the pair spans several lines, and its comment covers the
// second impl written right under it.
// T must be `Send` because an owned guard can drop the value it guards.
unsafe impl<T> Send for OwnedGuard<T>
where
    T: Send + Sync,
{
}
unsafe impl<T> Sync for OwnedGuard<T> where T: Send + Sync {}

pub struct Bare<T>(*const T);

// MUST fire, both: no comment on either half of the pair.
unsafe impl<T> Send for Bare<T> //~ undocumented_unsafe_send_sync
where
    T: Send,
{
}
unsafe impl<T> Sync for Bare<T> where T: Sync {} //~ undocumented_unsafe_send_sync

// MUST fire: a short comment that names the trait but says nothing about it.
pub struct Lonely(Cell<u8>);
// Send impl.
unsafe impl Send for Lonely {} //~ undocumented_unsafe_send_sync

// MUST NOT fire: test code never ships.
#[cfg(test)]
mod tests {
    struct Packet(*mut u8);
    unsafe impl Send for Packet {}
}

pub struct PublicKey(*mut u8);
// MUST NOT fire: the comment points to the argument, written on another type.
// See the thread-safety note on `Lonely`.
unsafe impl Send for PublicKey {}

pub struct Linked(*mut u8);
// MUST fire: a pointer to something other than an argument.
// See https://example.com/the-ffi-docs for the layout.
unsafe impl Send for Linked {} //~ undocumented_unsafe_send_sync
