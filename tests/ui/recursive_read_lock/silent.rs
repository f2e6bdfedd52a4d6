//@ deps: parking_lot, spin, lock_api, async-std
use std::sync::RwLock;

struct Tables {
    index: parking_lot::RwLock<Vec<u32>>,
    spun: spin::RwLock<Vec<u32>>,
    names: RwLock<Vec<String>>,
    generic: lock_api::RwLock<parking_lot::RawRwLock, u32>,
    docs: async_std::sync::RwLock<u32>,
}

impl Tables {
    // MUST NOT: `read_recursive()` takes a read lock even while writers wait.
    pub fn recursive(&self) -> usize {
        let first = self.index.read();
        let second = self.index.read_recursive();
        first.len() + second.len()
    }

    // MUST NOT: spin's `RwLock` gives waiting writers no priority: reads never wait for them.
    pub fn spin_twice(&self) -> usize {
        let first = self.spun.read();
        let second = self.spun.read();
        first.len() + second.len()
    }

    // MUST NOT: lock_api's `RwLock`'s policy is its raw lock's; async-std's is not documented.
    pub fn lock_api_twice(&self) -> u32 {
        let a = self.generic.read();
        let b = self.generic.read();
        *a + *b
    }

    pub async fn async_std_twice(&self) -> u32 {
        let c = self.docs.read().await;
        let d = self.docs.read().await;
        *c + *d
    }

    // MUST NOT: the read guard is gone before the second read.
    pub fn sequential(&self) -> usize {
        let n = self.names.read().unwrap().len();
        let names = self.names.read().unwrap();
        drop(names);
        let again = self.names.read().unwrap();
        n + again.len()
    }
}

// MUST NOT: a receiver whose type the file does not show.
pub fn unknown(registry: &Registry) -> usize {
    let a = registry.table.read().unwrap();
    let b = registry.table.read().unwrap();
    a.len() + b.len()
}

struct Registry {
    pub name: String,
}

// MUST NOT: a lock local to a single-threaded test: nothing else can be waiting to write it.
#[test]
fn readers_share_the_lock() {
    let lock = RwLock::new(5u64);
    let first = lock.read().unwrap();
    let second = lock.read().unwrap();
    assert_eq!(*first + *second, 10);
}

// MUST NOT: the same in an `Arc` that is never cloned.
pub fn local_in_arc() -> u32 {
    let lock = std::sync::Arc::new(parking_lot::RwLock::new(1));
    let first = lock.read();
    let second = lock.read();
    *first + *second
}
