//@ warn: undocumented_shared_type
//@ deps: tokio, parking_lot
use parking_lot::RwLock;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, Notify};

pub struct Pool { //~ undocumented_shared_type
    idle: Mutex<Vec<u32>>,
    in_use: AtomicUsize,
}

/// A registry of services, keyed by name.
pub struct Registry { //~ undocumented_shared_type
    services: Arc<RwLock<Vec<String>>>,
}

/// Messages for the worker.
pub enum Outbox { //~ undocumented_shared_type
    Open(mpsc::Sender<String>),
    Closed,
}

/// Counts hits.
pub struct Hits(pub std::sync::atomic::AtomicU64); //~ undocumented_shared_type

/// Wakes the flusher.
pub struct Flush { //~ undocumented_shared_type
    wake: Arc<Notify>,
    ready: Option<std::sync::mpsc::Receiver<()>>,
    #[allow(dead_code)]
    cond: std::sync::Condvar,
}

mod nested {
    use crossbeam_channel::Sender;

    /// Emits events (the field type is imported through a crossbeam path).
    pub struct Events { //~ undocumented_shared_type
        pub tx: Sender<u32>,
    }
}

// Keywords are whole words: "graceful" is not "race", "clock" is not "lock", "trace" and
// "racer" are not "race".
/// Shuts down gracefully; stamps each entry with a clock reading and a trace id for the racer.
pub struct Journal { //~ undocumented_shared_type
    entries: Mutex<Vec<String>>,
}

// A cell inside a lock is shared safely: the type stays shareable.
/// A scratch buffer.
pub struct Scratch { //~ undocumented_shared_type
    buf: Mutex<std::cell::RefCell<Vec<u8>>>,
}

// Its API lends it through `&self`.
/// A meter.
pub struct Meter { //~ undocumented_shared_type
    count: AtomicUsize,
}
impl Meter {
    pub fn read(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn main() {}
