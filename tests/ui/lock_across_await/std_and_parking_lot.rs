//@ deps: tokio, parking_lot
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

async fn flush() {}
async fn fetch() -> u32 {
    1
}

struct Cache {
    entries: Mutex<HashMap<u32, u32>>,
    index: RwLock<Vec<u32>>,
    stats: parking_lot::Mutex<u64>,
}

impl Cache {
    // MUST: a named std guard alive at an `.await` of the same async fn.
    pub async fn named(&self) {
        let mut entries = self.entries.lock().unwrap(); //~ lock_across_await
        entries.insert(1, 2);
        flush().await;
    }

    // A temporary guard in a `match` scrutinee lives through every arm.
    pub async fn scrutinee(&self) {
        match self.entries.lock().unwrap().get(&1) { //~ lock_across_await
            Some(_) => flush().await,
            None => {}
        }
    }

    // A temporary guard lives to the end of its statement: the argument is awaited under it.
    pub async fn statement(&self) {
        self.entries.lock().unwrap().insert(1, fetch().await); //~ lock_across_await
    }

    // `RwLock::write` (and `read`) guards are synchronous too.
    pub async fn rwlock(&self) {
        let mut index = self.index.write().unwrap(); //~ lock_across_await
        index.push(fetch().await);
    }

    // parking_lot: no `unwrap`, the type comes from the field declaration.
    pub async fn parking(&self) {
        let mut n = self.stats.lock(); //~ lock_across_await
        *n += 1;
        flush().await;
        *n += 1;
    }

    // A guard moved to another binding is still held (lockbud #130).
    pub async fn moved_to_binding(&self) {
        let first = self.entries.lock().unwrap(); //~ lock_across_await
        let second = first;
        flush().await;
        drop(second);
    }

    // Before edition 2024 an `if let` scrutinee's guard lives through `else` too.
    pub async fn if_let_else(&self) {
        if let Some(v) = self.entries.lock().unwrap().get(&1) { //~ lock_across_await
            let _ = v;
        } else {
            flush().await;
        }
    }
}

// A local built with `Arc::new(Mutex::new(…))`, and `tokio::select!` (expanded to awaits).
pub async fn local_and_select(rx: &mut tokio::sync::mpsc::Receiver<u32>) {
    let shared = Arc::new(Mutex::new(0u32));
    let guard = shared.lock().unwrap(); //~ lock_across_await
    tokio::select! {
        Some(v) = rx.recv() => { let _ = v; }
        _ = flush() => {}
    }
    drop(guard);
}

// A type the file does not show, locked with `.lock().unwrap()`: a std-like lock.
pub async fn unknown_type(state: &AppState) {
    let guard = state.inner.lock().unwrap(); //~ lock_across_await
    flush().await;
    let _ = &guard;
}

// An `async` block in a plain function is an async body of its own.
pub fn block() -> impl std::future::Future<Output = ()> {
    let m = Arc::new(parking_lot::RwLock::new(0));
    async move {
        let r = m.read(); //~ lock_across_await
        flush().await;
        let _ = *r;
    }
}

struct AppState {
    pub other: u8,
}

// A `Mutex` of this crate, not awaited: synchronous.
mod sync {
    pub use parking_lot::Mutex;
}

pub async fn crate_lock(m: &crate::sync::Mutex<u32>) {
    let g = m.lock(); //~ lock_across_await
    flush().await;
    let _ = *g;
}
