// The argument may be the self type's doc comment, when it names threads and gives a reason.

/// ThreadBound is a Sync-maker and Send-maker that allows accessing a value of type T only from
/// the original thread on which the ThreadBound was constructed.
pub struct ThreadBound<T> {
    value: T,
}
unsafe impl<T> Sync for ThreadBound<T> {}
unsafe impl<T: Copy> Send for ThreadBound<T> {}

/// For the empty chunk to be a `static`, its type must be `Sync`. This is safe because the
/// chunk is immutable.
pub struct EmptyChunk(*const u8);
unsafe impl Sync for EmptyChunk {}

/// A handle to the device.
///
/// # Thread safety
///
/// Every call takes `&mut self`, so access is always exclusive.
pub struct Device(*mut u8);
unsafe impl Send for Device {}

// A doc that says what, not why, is not an argument.

/// Newtype that adds Send and Sync to libc::aiocb, which contains raw pointers
pub struct LibcAiocb(*mut u8);
unsafe impl Send for LibcAiocb {} //~ undocumented_unsafe_send_sync
unsafe impl Sync for LibcAiocb {} //~ undocumented_unsafe_send_sync

/// A thread-safe cell that can be safely shared between threads.
pub struct Shared(*mut u8);
unsafe impl Sync for Shared {} //~ undocumented_unsafe_send_sync

/// The channel must be connected before it is used, and only once.
pub struct ConnectedReceiver(*mut u8);
unsafe impl Send for ConnectedReceiver {} //~ undocumented_unsafe_send_sync

/// MappedGuard does not support unlocking, since that could be unsound if another thread modifies it.
pub struct MappedGuard(*mut u8);
unsafe impl Send for MappedGuard {} //~ undocumented_unsafe_send_sync

/// `Rx` is not `Sync`. Because `Rx` does not have a `Sync` marker, `Arc<Rx>` is not `Send`.
pub struct Rx(*mut u8);
unsafe impl Send for Rx {} //~ undocumented_unsafe_send_sync

/// Advice to the reader: if you can guarantee no concurrent access you can add `Sync` yourself.
pub struct Multiplex(*mut u8);
unsafe impl Send for Multiplex {} //~ undocumented_unsafe_send_sync

/// A lock. Because of this, a read lock taken twice on a single thread may deadlock.
pub struct RwLock(*mut u8);
unsafe impl Sync for RwLock {} //~ undocumented_unsafe_send_sync

/// A queue.
///
/// ```
/// // only one thread at a time
/// std::thread::spawn(|| ());
/// ```
pub struct Queue(*mut u8);
unsafe impl Send for Queue {} //~ undocumented_unsafe_send_sync

// A type defined in another file: its doc is out of sight.
unsafe impl Send for other::Remote {} //~ undocumented_unsafe_send_sync
