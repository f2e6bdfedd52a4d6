// Two names for one lock: `Arc::clone`, `.clone()` of an `Arc`, a reference to a field.
use std::sync::{Arc, Mutex};

pub struct Service {
    state: Arc<Mutex<Vec<u32>>>,
    inner: Mutex<u32>,
    copy: Copied,
}

// `clone()` makes a new lock: the copy is another lock.
pub struct Copied(Mutex<u32>);

impl Clone for Copied {
    fn clone(&self) -> Self {
        Copied(Mutex::new(*self.0.lock().unwrap()))
    }
}

impl Copied {
    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.0.lock().unwrap()
    }
}

impl Service {
    // MUST: `state` is `self.state`, cloned.
    pub fn push(&self, n: u32) {
        let state = self.state.clone();
        let mut guard = self.state.lock().unwrap();
        guard.push(n);
        state.lock().unwrap().push(n); //~ double_lock
    }

    // MUST: a reference to the field.
    pub fn bump(&self) {
        let inner = &self.inner;
        let _g = self.inner.lock().unwrap();
        *inner.lock().unwrap() += 1; //~ double_lock
    }

    // Fine: `Copied::clone` copies the value into a new mutex.
    pub fn copied(&self) -> u32 {
        let copy = self.copy.clone();
        let _g = self.copy.lock();
        let n = *copy.lock();
        n
    }
}

// MUST: `Arc::clone(&a)` is `a`.
pub fn arc_clone() {
    let a = Arc::new(Mutex::new(0));
    let a2 = Arc::clone(&a);
    let _g = a.lock().unwrap();
    *a2.lock().unwrap() += 1; //~ double_lock
}

// MUST: a clone of a clone.
pub fn clone_of_clone() {
    let a = Arc::new(Mutex::new(0));
    let a2 = a.clone();
    let a3 = a2.clone();
    let _g = a3.lock().unwrap();
    *a.lock().unwrap() += 1; //~ double_lock
}

// Fine: two `Arc::new` are two locks.
pub fn two_locks() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let b2 = b.clone();
    let _g = a.lock().unwrap();
    *b2.lock().unwrap() += 1;
}

// Fine: the clone is reassigned before it is locked, and may name another lock.
pub fn reassigned(other: Arc<Mutex<u32>>) {
    let a = Arc::new(Mutex::new(0));
    let mut a2 = a.clone();
    a2 = other;
    let _g = a.lock().unwrap();
    *a2.lock().unwrap() += 1;
}

// Fine: the clone is locked by another thread, which waits for this one's guard (no
// deadlock: the guard is released when this function returns).
pub fn other_thread() {
    let a = Arc::new(Mutex::new(0));
    let a2 = Arc::clone(&a);
    let _g = a.lock().unwrap();
    std::thread::spawn(move || {
        *a2.lock().unwrap() += 1;
    });
}

// Fine: the guard is dropped first.
pub fn arc_clone_fixed() {
    let a = Arc::new(Mutex::new(0));
    let a2 = Arc::clone(&a);
    let g = a.lock().unwrap();
    drop(g);
    *a2.lock().unwrap() += 1;
}
