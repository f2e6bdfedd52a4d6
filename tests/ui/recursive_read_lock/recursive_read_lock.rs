//@ deps: parking_lot, tokio, async-lock
use std::sync::{Arc, RwLock};

struct Catalog {
    names: RwLock<Vec<String>>,
    index: parking_lot::RwLock<Vec<u32>>,
    cache: tokio::sync::RwLock<Vec<u32>>,
    pending: async_lock::RwLock<Vec<u32>>,
}

impl Catalog {
    // MUST: std's `RwLock`, two named read guards (the policy is the platform's: "may").
    pub fn std_twice(&self) -> usize {
        let names = self.names.read().unwrap();
        let count = self.names.read().unwrap().len(); //~ recursive_read_lock
        names.len() + count
    }

    // MUST: a `match` scrutinee's read guard lives through the arms.
    pub fn std_match(&self) -> usize {
        match self.names.read().unwrap().first() {
            Some(_) => self.names.read().unwrap().len(), //~ recursive_read_lock
            None => 0,
        }
    }

    // MUST: parking_lot's `RwLock` is task-fair; the fix is `read_recursive()`.
    pub fn parking_lot_twice(&self) -> u32 {
        let first = self.index.read();
        let second = self.index.read(); //~ recursive_read_lock
        first.len() as u32 + second.len() as u32
    }

    // MUST: a helper of this file read-locks the same lock while the caller holds a read guard.
    pub fn through_a_call(&self) -> usize {
        let index = self.index.read();
        index.len() + self.index_len() //~ recursive_read_lock
    }

    fn index_len(&self) -> usize {
        self.index.read().len()
    }

    // MUST: tokio's `RwLock` is fair (FIFO): a queued writer blocks the second read.
    pub async fn tokio_twice(&self) -> usize {
        let cache = self.cache.read().await;
        let again = self.cache.read().await; //~ recursive_read_lock
        cache.len() + again.len()
    }

    // MUST: async-lock's `RwLock` prefers writers.
    pub async fn async_lock_twice(&self) -> usize {
        let pending = self.pending.read().await;
        let again = self.pending.read().await; //~ recursive_read_lock
        pending.len() + again.len()
    }
}

// MUST: a lock built here but shared with another thread: a writer can be waiting.
pub fn shared_local() -> u32 {
    let lock = Arc::new(RwLock::new(1));
    let writer = {
        let lock = Arc::clone(&lock);
        std::thread::spawn(move || *lock.write().unwrap() += 1)
    };
    let first = lock.read().unwrap();
    let second = lock.read().unwrap(); //~ recursive_read_lock
    let n = *first + *second;
    drop((first, second));
    writer.join().unwrap();
    n
}

// MUST: a local lock lent to a scoped thread.
pub fn scoped_local() {
    let lock = RwLock::new(0u32);
    std::thread::scope(|s| {
        s.spawn(|| *lock.write().unwrap() += 1);
        let a = lock.read().unwrap();
        let b = lock.read().unwrap(); //~ recursive_read_lock
        let _ = (*a, *b);
    });
}
