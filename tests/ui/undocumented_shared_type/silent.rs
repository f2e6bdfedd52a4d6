//@ warn: undocumented_shared_type
//@ deps: tokio
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex, RwLock};

/// A pool of connections.
///
/// # Thread safety
///
/// `Pool` is `Sync`; `get` takes the `idle` lock briefly.
pub struct Pool {
    idle: Mutex<Vec<u32>>,
}

/// A counter that can be incremented from any thread.
pub struct Counter(AtomicUsize);

/// Safety: readers see `ready` with `Acquire` ordering before they read the data.
pub struct Flag {
    ready: AtomicBool,
}

/// Shared between the accept loop and the workers.
pub struct State {
    inner: Arc<RwLock<Vec<String>>>,
}

/// A cache. Lookups are `Sync`-safe and never block writers for long.
pub struct Cache {
    map: Mutex<Vec<u8>>,
}

/// Concurrent updates are serialised by the inner lock.
pub enum Slot {
    Full(Mutex<u8>),
    Empty,
}

/// Shareable handle to one output stream.
pub struct Stream(Arc<Mutex<Vec<u8>>>);

/// Receives bytes.
///
/// # Cancellation safety
///
/// Cancel safe: if another branch of a `select!` completes first, no bytes were taken.
pub struct Bytes {
    buf: Mutex<Vec<u8>>,
}

/// A wrapper around a semaphore that can be polled.
pub struct PollPermits(Arc<tokio::sync::Semaphore>);

// Not public.
struct Private {
    m: Mutex<u8>,
}

pub(crate) struct CrateOnly {
    m: Mutex<u8>,
}

#[doc(hidden)]
pub struct Hidden {
    m: Mutex<u8>,
}

/// A guard: it borrows the lock, it does not hold it.
pub struct Guard<'a> {
    lock: &'a Mutex<u8>,
    raw: *const AtomicBool,
}

/// A marker: no lock is held.
pub struct Marker {
    _m: PhantomData<Mutex<u8>>,
}

mod local {
    /// A crate's own `Mutex` type is not resolved to a known lock.
    pub struct Mutex<T>(T);

    /// Holds the crate's own mutex.
    pub struct Wrapper {
        pub m: Mutex<u8>,
    }
}

#[doc = include_str!("silent.rs")]
pub struct ExternalDocs {
    m: Mutex<u8>,
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    pub struct Fixture {
        m: Mutex<u8>,
    }
}

/// No synchronisation state here.
pub struct Config {
    pub name: String,
    pub shared: Arc<String>,
}

fn main() {}

/// Locks are taken in field order.
pub struct Ordered {
    a: Mutex<u8>,
    b: Mutex<u8>,
}

/// A thread-safe registry.
pub struct ThreadSafe {
    m: Mutex<u8>,
}

// Types that cannot be shared between threads have no concurrency contract to state.
/// A single-threaded cache.
pub struct LocalCache {
    inner: std::rc::Rc<Mutex<Vec<u8>>>,
}

/// Counts and remembers.
pub struct Memo {
    hits: AtomicUsize,
    last: std::cell::RefCell<Option<u8>>,
}

/// Wraps a C handle.
pub struct CHandle {
    raw: *mut u8,
    calls: AtomicUsize,
}

/// Not `Send`, by marker.
pub struct Pinned {
    m: Mutex<u8>,
    _not_send: PhantomData<*const ()>,
}

// A by-value builder: every method takes `self`.
/// Builds a server.
pub struct Builder {
    started: AtomicBool,
}
impl Builder {
    pub fn port(self, _port: u16) -> Self {
        self
    }
    pub fn build(self) -> u8 {
        0
    }
}

// An opaque handle: nothing is reachable through `&self` (value traits aside).
/// Tracks an in-flight request and updates the estimate on drop.
#[derive(Debug)]
pub struct Handle {
    estimate: Arc<Mutex<f64>>,
}
impl Drop for Handle {
    fn drop(&mut self) {
        *self.estimate.lock().unwrap() += 1.0;
    }
}
impl Clone for Handle {
    fn clone(&self) -> Self {
        Handle { estimate: self.estimate.clone() }
    }
}

// The contract is stated on the methods.
/// A limiter.
pub struct Limiter {
    permits: AtomicUsize,
}
impl Limiter {
    /// Takes a permit; may be called from any number of threads at once.
    pub fn acquire(&self) -> bool {
        true
    }
}
