//@ deps: parking_lot, spin
use std::sync::{Arc, Condvar, Mutex};

// lockbud #103: the guard is dropped in the arm before the callee locks again; on the other
// path it is not, and a guard released on one path only counts as released.
struct Foo {
    rw: spin::RwLock<i32>,
}

impl Foo {
    fn spin_rwlock_write_1(&self) {
        let write_guard = self.rw.write();
        match *write_guard {
            1 => {
                drop(write_guard);
                self.spin_rwlock_write_2();
            }
            _ => {}
        };
        self.spin_rwlock_write_cleanup();
    }
    fn spin_rwlock_write_cleanup(&self) {
        *self.rw.write() += 0;
    }
    fn spin_rwlock_write_2(&self) {
        *self.rw.write() += 1;
    }
}

struct Store {
    a: Mutex<Vec<u32>>,
    b: Mutex<Vec<u32>>,
    rw: parking_lot::RwLock<u32>,
    re: parking_lot::ReentrantMutex<u32>,
}

impl Store {
    // MUST NOT: an explicit drop, or the end of a block, before locking again.
    pub fn dropped(&self) {
        let g = self.a.lock().unwrap();
        drop(g);
        let _h = self.a.lock().unwrap();
    }

    pub fn scoped(&self) {
        {
            let _g = self.a.lock().unwrap();
        }
        let _h = self.a.lock().unwrap();
    }

    // MUST NOT: a temporary guard ends with its statement or its condition.
    pub fn temporaries(&self) {
        let n = self.a.lock().unwrap().len();
        self.a.lock().unwrap().push(n as u32);
        if self.a.lock().unwrap().is_empty() {
            self.a.lock().unwrap().push(1);
        }
        while self.a.lock().unwrap().len() < 3 {
            self.a.lock().unwrap().push(1);
        }
    }

    // MUST NOT: two different locks, `try_lock`, `read_recursive`, a reentrant mutex.
    pub fn different(&self) {
        let _a = self.a.lock().unwrap();
        let _b = self.b.lock().unwrap();
        let _c = self.a.try_lock();
        let r = self.rw.read();
        let r2 = self.rw.read_recursive();
        let _ = (*r, *r2);
        let x = self.re.lock();
        let y = self.re.lock();
        let _ = (*x, *y);
    }

    // MUST NOT: `try_lock` fails rather than waits; its failure branch may lock.
    pub fn try_then_lock(&self) {
        if let Ok(mut g) = self.a.try_lock() {
            g.push(1);
        } else {
            self.a.lock().unwrap().push(2);
        }
        match self.a.try_lock() {
            Ok(mut g) => g.push(3),
            Err(_) => self.a.lock().unwrap().push(4),
        }
    }

    // MUST NOT: a guard moved into a call is released when the call returns.
    pub fn moved_into_call(&self) {
        let g = self.a.lock().unwrap();
        consume(g);
        let _h = self.a.lock().unwrap();
    }

    // MUST NOT: a guard moved to another binding that is then dropped (lockbud #130).
    pub fn moved_then_dropped(&self) {
        let g = self.a.lock().unwrap();
        let h = g;
        drop(h);
        let _k = self.a.lock().unwrap();
    }

    // MUST NOT: a spawned thread's closure does not run under the caller's guard.
    pub fn spawned(self: Arc<Self>) {
        let _g = self.a.lock().unwrap();
        let me = self.clone();
        std::thread::spawn(move || {
            me.a.lock().unwrap().push(1);
        });
    }
}

fn consume<T>(_: T) {}

// MUST NOT: shadowed names are different locks.
pub fn shadowed(x: &Mutex<u32>, y: &Mutex<u32>) {
    let m = x;
    let _g = m.lock().unwrap();
    let m = y;
    let _h = m.lock().unwrap();
}

// MUST NOT: a condvar wait hands the lock back; the guard is dropped before relocking.
pub fn condvar(pair: &(Mutex<bool>, Condvar)) {
    let (lock, cvar) = pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
    drop(started);
    let _again = lock.lock().unwrap();
}

// MUST NOT: a receiver whose type the file does not show, not unwrapped: could be anything.
pub fn unknown(file: &Thing) {
    let a = file.handle.lock();
    let b = file.handle.lock();
    let _ = (a, b);
}

struct Thing {
    pub name: String,
}

struct Node {
    pub m: Mutex<Option<Arc<Node>>>,
}

// MUST NOT: a local reassigned between two locks names another lock.
pub fn pair(mut x: &Node, y: &Node) {
    let a = x.m.lock().unwrap();
    x = y;
    let b = x.m.lock().unwrap();
    let _ = (a, b);
}

pub fn walk(head: Arc<Node>) {
    let mut node = head;
    let mut guard = node.m.lock().unwrap();
    while let Some(next) = guard.clone() {
        drop(guard);
        node = next;
        guard = node.m.lock().unwrap();
    }
}

// MUST NOT: a guard kept across iterations, locked through the iteration's own binding.
pub fn keep_last(nodes: Vec<Arc<Node>>) {
    let mut last = None;
    for n in nodes.iter() {
        let g = n.m.lock().unwrap();
        last = Some(g);
    }
    drop(last);
}

// MUST NOT: `#[cfg]` alternatives are not both compiled.
pub fn cfg_twins(m: &Mutex<u32>) {
    #[cfg(feature = "std")]
    let g = m.lock().unwrap();
    #[cfg(not(feature = "std"))]
    let g = m.lock().unwrap();
    let _ = *g;
}

// MUST NOT: a guard moved into a helper that lets it go before locking again.
struct Sem {
    waiters: Mutex<Vec<u32>>,
}

impl Sem {
    pub fn release(&self) {
        self.add_locked(1, self.waiters.lock().unwrap());
    }

    fn add_locked(&self, n: u32, waiters: std::sync::MutexGuard<'_, Vec<u32>>) {
        let mut held = Some(waiters);
        loop {
            let mut w = held.take().unwrap_or_else(|| self.waiters.lock().unwrap());
            w.push(n);
            drop(w);
            if n > 0 {
                break;
            }
        }
    }
}
