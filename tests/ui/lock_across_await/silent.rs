//@ deps: tokio, async-lock, futures
use std::sync::{Arc, Mutex};

async fn flush() {}
fn consume<T>(_: T) {}

struct Store {
    data: Mutex<Vec<u32>>,
    queue: tokio::sync::Mutex<Vec<u32>>,
    items: async_lock::RwLock<Vec<u32>>,
    other: futures::lock::Mutex<u32>,
}

impl Store {
    // MUST NOT (rust-clippy#6446): the guard is dropped before the `.await`.
    pub async fn dropped(&self) {
        let mut data = self.data.lock().unwrap();
        data.push(1);
        drop(data);
        flush().await;
    }

    // MUST NOT: the guard's block ends before the `.await`.
    pub async fn scoped(&self) {
        {
            let mut data = self.data.lock().unwrap();
            data.push(1);
        }
        flush().await;
    }

    // MUST NOT: a temporary guard ends with its statement.
    pub async fn temporary(&self) {
        let n = self.data.lock().unwrap().len();
        flush().await;
        let _ = n;
        let _ = self.data.lock().unwrap();
        flush().await;
    }

    // MUST NOT: async locks (`tokio::sync`, `async_lock`, `futures::lock`) are taken with
    // `.await` and may be held across it.
    pub async fn async_locks(&self) {
        let mut q = self.queue.lock().await;
        q.push(1);
        flush().await;
        let items = self.items.read().await;
        flush().await;
        let o = self.other.lock().await;
        flush().await;
        let _ = (items, o);
    }

    // MUST NOT: the guard is moved into a call, which drops it.
    pub async fn moved_into_call(&self) {
        let data = self.data.lock().unwrap();
        consume(data);
        flush().await;
    }

    // MUST NOT: an `if` condition's temporary ends with the condition.
    pub async fn condition(&self) {
        if self.data.lock().unwrap().is_empty() {
            flush().await;
        }
    }

    // MUST NOT: a guard inside a closure that does not await, and a spawned task's own body.
    pub async fn closures(self: Arc<Self>) {
        let total: usize = (0..3).map(|_| self.data.lock().unwrap().len()).sum();
        let _ = total;
        let guard = self.data.lock().unwrap();
        let me = self.clone();
        drop(guard);
        tokio::spawn(async move {
            flush().await;
            me.data.lock().unwrap().push(1);
        });
        flush().await;
    }

    // MUST NOT: the guard is dropped on one path before the `.await` (counted as released:
    // what might happen is left to the user).
    pub async fn maybe_dropped(&self, c: bool) {
        let data = self.data.lock().unwrap();
        if c {
            drop(data);
            return;
        }
        drop(data);
        flush().await;
    }
}

// MUST NOT: a sync guard in a plain (not async) function.
pub fn sync_fn(m: &Mutex<u32>) {
    let g = m.lock().unwrap();
    let _ = *g;
}

// MUST NOT: a receiver whose type the file does not show, not unwrapped: could be anything.
pub async fn unknown(thing: &Thing) {
    let g = thing.inner.lock();
    flush().await;
    let _ = g;
}

struct Thing {
    pub name: String,
}

// MUST NOT: `try_lock().unwrap()` on a type the file does not show may be tokio's.
pub async fn unknown_try(thing: &Thing) {
    let g = thing.inner.try_lock().unwrap();
    flush().await;
    let _ = g;
}
