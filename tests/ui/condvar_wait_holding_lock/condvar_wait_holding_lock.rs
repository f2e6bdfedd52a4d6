//@ deps: parking_lot
use std::sync::{Condvar, Mutex};

struct Pool {
    registry: Mutex<Vec<u32>>,
    done: Mutex<bool>,
    cvar: Condvar,
    fast_registry: parking_lot::Mutex<Vec<u32>>,
    fast_done: parking_lot::Mutex<bool>,
    fast_cvar: parking_lot::Condvar,
}

impl Pool {
    // MUST: `registry` stays locked while this thread sleeps; a worker that registers itself
    // before it sets `done` and notifies never gets there.
    pub fn wait_holding_registry(&self) {
        let registry = self.registry.lock().unwrap();
        let mut done = self.done.lock().unwrap();
        while !*done {
            done = self.cvar.wait(done).unwrap(); //~ condvar_wait_holding_lock
        }
        drop(registry);
    }

    // MUST NOT: the other guard is dropped before the wait.
    pub fn dropped_first(&self) -> usize {
        let registry = self.registry.lock().unwrap();
        let n = registry.len();
        drop(registry);
        let mut done = self.done.lock().unwrap();
        while !*done {
            done = self.cvar.wait(done).unwrap();
        }
        n
    }

    // MUST NOT: the other guard's block ends before the wait.
    pub fn scoped_first(&self) -> usize {
        let n = {
            let registry = self.registry.lock().unwrap();
            registry.len()
        };
        let _done = self.cvar.wait_while(self.done.lock().unwrap(), |d| !*d).unwrap();
        n
    }

    // MUST NOT: a temporary guard ends with its statement.
    pub fn temporary_first(&self) -> usize {
        let n = self.registry.lock().unwrap().len();
        let mut done = self.done.lock().unwrap();
        while !*done {
            done = self.cvar.wait(done).unwrap();
        }
        n
    }

    // MUST: parking_lot's `wait(&mut g)` keeps the other guard too.
    pub fn fast_wait_holding(&self) {
        let _registry = self.fast_registry.lock();
        let mut done = self.fast_done.lock();
        while !*done {
            self.fast_cvar.wait(&mut done); //~ condvar_wait_holding_lock
        }
    }

    // MUST: a predicate wait, given a fresh guard, while a `match` scrutinee's guard lives.
    pub fn wait_in_match(&self) {
        match self.registry.lock().unwrap().first() {
            Some(_) => {
                let _d = self.cvar.wait_while(self.done.lock().unwrap(), |d| !*d).unwrap(); //~ condvar_wait_holding_lock
            }
            None => {}
        }
    }

    // MUST NOT: only the waited lock is held.
    pub fn only_own_lock(&self) {
        let mut done = self.fast_done.lock();
        self.fast_cvar.wait_while(&mut done, |d| !*d);
    }
}

// MUST NOT: a guard the function does not follow (a parameter) is passed: which lock it
// belongs to is unknown.
pub fn unknown_guard(m: &Mutex<u32>, cv: &Condvar, mut g: std::sync::MutexGuard<'_, bool>) {
    let _n = m.lock().unwrap();
    while !*g {
        g = cv.wait(g).unwrap();
    }
}
