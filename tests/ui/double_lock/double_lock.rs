//@ deps: parking_lot, tokio
use std::collections::VecDeque;
use std::sync::{Mutex, RwLock};

pub enum State {
    Idle,
    Busy,
}

struct Worker {
    state: Mutex<State>,
    queue: Mutex<VecDeque<u32>>,
    table: RwLock<Vec<u32>>,
}

impl Worker {
    // MUST: the same lock expression locked again while a named guard is alive.
    pub fn named(&self) {
        let first = self.queue.lock().unwrap();
        let second = self.queue.lock().unwrap(); //~ double_lock
        let _ = (first, second);
    }

    // MUST: a temporary guard in a `match` scrutinee lives through the arms.
    pub fn match_scrutinee(&self) {
        match *self.state.lock().unwrap() {
            State::Idle => *self.state.lock().unwrap() = State::Busy, //~ double_lock
            State::Busy => {}
        }
    }

    // MUST: a `while let` scrutinee's guard lives through the body.
    pub fn while_let(&self) {
        while let Some(job) = self.queue.lock().unwrap().pop_front() {
            self.queue.lock().unwrap().push_back(job + 1); //~ double_lock
        }
    }

    // MUST: before edition 2024 an `if let` scrutinee's guard lives through `else`.
    pub fn if_let_else(&self) {
        if let Some(v) = self.table.read().unwrap().first() {
            let _ = v;
        } else {
            self.table.write().unwrap().push(1); //~ double_lock
        }
    }

    // `RwLock`: read then write, and write then read, deadlock.
    pub fn upgrade(&self) {
        let r = self.table.read().unwrap();
        if r.is_empty() {
            self.table.write().unwrap().push(0); //~ double_lock
        }
    }

    pub fn downgrade(&self) {
        let mut w = self.table.write().unwrap();
        w.push(1);
        let n = self.table.read().unwrap().len(); //~ double_lock
        let _ = n;
    }

    // MUST NOT: two reads are not a certain deadlock (`recursive_read_lock` reports them).
    pub fn read_twice(&self) -> usize {
        let a = self.table.read().unwrap();
        let b = self.table.read().unwrap(); //~ recursive_read_lock
        a.len() + b.len()
    }

    // A reassignment computes the new guard while the old one is still alive.
    pub fn reassign(&self) {
        let mut g = self.queue.lock().unwrap();
        g.push_back(1);
        g = self.queue.lock().unwrap(); //~ double_lock
        g.push_back(2);
    }

    // A call to a method of this file that locks the same field.
    pub fn calls_helper(&self) {
        let mut q = self.queue.lock().unwrap();
        q.push_back(1);
        self.len(); //~ double_lock
    }

    fn len(&self) -> usize {
        self.queue.lock().unwrap().len()
    }
}

// lockbud #105: a guard passed as a parameter is alive during the call, which locks the same
// lock through another parameter.
pub fn parking_lot_rwlock() -> i32 {
    use parking_lot::RwLock;
    let rw1 = RwLock::new(1);
    fn read_block<R: std::ops::Deref<Target = i32>>(read_val: R, lock: &parking_lot::RwLock<i32>) {
        if *read_val == 1 {
            *lock.write() += 1;
        }
    }
    let read_scoped = rw1.read();
    read_block(read_scoped, &rw1); //~ double_lock
    0
}

// lockbud #130: a guard moved to a new binding is still held; reported once, at the lock.
pub fn moved_guard(m: &Mutex<bool>) {
    let tmp = m.lock().unwrap();
    let moved = tmp;
    let again = m.lock().unwrap(); //~ double_lock
    let _ = (moved, again);
}

// lockbud #131: an immediately invoked closure.
struct Foo {
    rw2: parking_lot::RwLock<i32>,
}

impl Foo {
    pub fn rwlock_read(&self) {
        (|| {
            match *self.rw2.read() {
                1 => {
                    *self.rw2.write() += 1; //~ double_lock
                }
                _ => {}
            };
        })()
    }
}

// A `static`, and a closure run inline by an iterator adaptor.
static REGISTRY: Mutex<Vec<u32>> = Mutex::new(Vec::new());

pub fn registry() {
    let all = REGISTRY.lock().unwrap();
    let n: usize = all.iter().map(|_| REGISTRY.lock().unwrap().len()).sum(); //~ double_lock
    let _ = n;
}

// An async mutex locked twice by the same task never wakes up.
pub async fn tokio_twice(m: &tokio::sync::Mutex<u32>) {
    let a = m.lock().await;
    let b = m.lock().await; //~ double_lock
    let _ = (a, b);
}

// A `Mutex` this crate defines or re-exports (`crate::sync::Mutex`) is a lock too.
mod sync {
    pub use std::sync::Mutex;
}

struct Shared {
    inner: crate::sync::Mutex<u32>,
}

impl Shared {
    pub fn twice(&self) -> u32 {
        let a = self.inner.lock().unwrap();
        let b = self.inner.lock().unwrap(); //~ double_lock
        *a + *b
    }
}
