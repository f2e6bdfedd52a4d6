use std::cell::UnsafeCell;

pub struct RawBuf(*mut u8);
// SAFETY: the buffer is uniquely owned and never aliased.
unsafe impl Send for RawBuf {}

pub struct Slot<T>(UnsafeCell<T>);
// Safety: access goes through the lock in `Slot::with`,
// which serialises every reader and writer.
#[allow(clippy::non_send_fields_in_send_ty)]
unsafe impl<T: Send> Sync for Slot<T> {}

pub struct Doc(*const u8);
/// # Safety
/// The pointer is to static data.
unsafe impl Sync for Doc {}

pub struct Trailing(*const u8);
unsafe impl Send for Trailing {} // SAFETY: points to static data.

/* SAFETY: block comments count too. */
unsafe impl Sync for Trailing {}

// Not unsafe impls of auto traits: silent.
pub struct Plain;
impl Clone for Plain {
    fn clone(&self) -> Self {
        Plain
    }
}
pub trait Send2 {}
unsafe impl Send2 for Plain {}

// One comment for a Send + Sync pair.
pub struct Pair(*const u8);
// SAFETY: points to static, immutable data.
unsafe impl Send for Pair {}
unsafe impl Sync for Pair {}
