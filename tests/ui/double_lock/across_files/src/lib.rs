//! The second lock is taken in another file of the crate, through calls.
use std::sync::{Mutex, RwLock};

mod report;
mod stats;
mod store;

pub struct State {
    pending: Vec<u32>,
}

pub struct Db {
    state: RwLock<State>,
    log: Mutex<Vec<String>>,
    store: store::Store,
}

impl Db {
    /// `summary` (in `stats.rs`) calls `pending`, which reads `self.state` again.
    pub fn flush(&self) {
        let mut state = self.state.write().unwrap();
        let n = self.summary(); //~ double_lock
        state.pending.clear();
        drop(state);
        self.log.lock().unwrap().push(format!("flushed {n}"));
    }

    /// The guard is released before the call.
    pub fn flush_released_first(&self) {
        let n = self.summary();
        let mut state = self.state.write().unwrap();
        state.pending.clear();
        drop(state);
        self.log.lock().unwrap().push(format!("flushed {n}"));
    }

    /// `self.store.total()` locks the store's own lock, not `self.log`.
    pub fn audit(&self) {
        let mut log = self.log.lock().unwrap();
        let total = self.store.total();
        log.push(format!("{total} items"));
    }

    /// `record` (in `stats.rs`) locks `self.log`, which this guard already holds.
    pub fn note(&self, line: &str) {
        let log = self.log.lock().unwrap();
        if log.len() < 100 {
            self.record(line); //~ double_lock
        }
    }

    /// `report` (in `report.rs`) calls `summary` (in `stats.rs`), which reads `self.state`.
    pub fn snapshot(&self) -> String {
        let _state = self.state.write().unwrap();
        self.report() //~ double_lock
    }

    /// The write guard is a temporary, gone before the chain runs.
    pub fn snapshot_released_first(&self) -> String {
        let pending = self.state.write().unwrap().pending.len();
        format!("{pending}: {} ({} logged)", self.report(), self.log_len())
    }

    /// `REGISTRY` is a static: `register` (in `store.rs`) locks the same one.
    pub fn install(&self) {
        let _registry = store::REGISTRY.lock().unwrap();
        store::register("db"); //~ double_lock
    }

    /// `store::count` only reads the registry's length after taking the lock itself: called
    /// with nothing held, it is fine.
    pub fn installed(&self) -> usize {
        store::count()
    }
}
