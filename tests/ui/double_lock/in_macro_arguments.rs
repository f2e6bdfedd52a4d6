//@ deps: tracing, log
// Formatting, printing and logging macros evaluate their arguments where they stand: a lock
// taken in one while the same lock's guard is held is a re-lock.
use std::fmt;
use std::sync::Mutex;

pub struct Stats {
    hits: Mutex<u64>,
    misses: Mutex<u64>,
}

impl Stats {
    // MUST fire: the argument of `println!` locks `hits` again.
    pub fn print(&self) {
        let hits = self.hits.lock().unwrap();
        println!("{} of {}", *hits, self.hits.lock().unwrap()); //~ double_lock
    }

    // MUST fire: a tracing field's value, after a `target:` key.
    pub fn trace(&self) {
        let hits = self.hits.lock().unwrap();
        tracing::info!(target: "stats", total = *self.hits.lock().unwrap(), "hits {}", *hits); //~ double_lock
    }

    // MUST fire: `log`'s macros, with a `%`-less format argument.
    pub fn log(&self) {
        let _hits = self.hits.lock().unwrap();
        log::warn!("hits: {}", self.hits.lock().unwrap()); //~ double_lock
    }

    // MUST NOT fire: the guard is used, not the lock taken again.
    pub fn print_guard(&self) {
        let hits = self.hits.lock().unwrap();
        println!("{}", *hits);
        tracing::debug!(hits = %*hits, ?self.misses, "printed");
    }

    // MUST NOT fire: another lock, or the same lock after the guard is dropped.
    pub fn print_other(&self) {
        let hits = self.hits.lock().unwrap();
        let line = format!("{} {}", *hits, self.misses.lock().unwrap());
        drop(hits);
        eprintln!("{line} {}", self.hits.lock().unwrap());
    }
}

impl fmt::Display for Stats {
    // MUST fire: `write!` under the guard of the lock it formats.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _misses = self.misses.lock().unwrap();
        write!(f, "{}", self.misses.lock().unwrap()) //~ double_lock
    }
}
