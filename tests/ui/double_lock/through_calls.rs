//@ deps: parking_lot
// Locks followed through calls deeper than one level, and through guard-returning wrappers.
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub struct Store {
    state: RwLock<Vec<u32>>,
    log: Mutex<Vec<String>>,
    peer: Peer,
}

pub struct Peer {
    table: Mutex<u32>,
}

impl Peer {
    fn count(&self) -> u32 {
        *self.table.lock().unwrap()
    }

    fn total(&self) -> u32 {
        self.count() + 1
    }
}

impl Store {
    fn pending(&self) -> usize {
        self.state.read().unwrap().len()
    }

    fn summary(&self) -> String {
        format!("{} pending", self.pending())
    }

    fn report(&self) -> String {
        self.summary()
    }

    // MUST: `flush` holds the write guard and calls `summary`, which calls `pending`, which
    // reads the same lock.
    pub fn flush(&self) {
        let mut state = self.state.write().unwrap();
        state.clear();
        let s = self.summary(); //~ double_lock
        let _ = s;
    }

    // MUST: three levels deep.
    pub fn flush_and_report(&self) {
        let _state = self.state.write().unwrap();
        let _ = self.report(); //~ double_lock
    }

    // The guard is released before the call: fine.
    pub fn flush_then_summary(&self) {
        let mut state = self.state.write().unwrap();
        state.clear();
        drop(state);
        let _ = self.summary();
    }

    // The guard's block ends before the call: fine.
    pub fn scoped(&self) {
        {
            let mut state = self.state.write().unwrap();
            state.push(1);
        }
        let _ = self.report();
    }

    // An early return before the guard is taken: the call runs with no guard held.
    pub fn early(&self, quick: bool) -> String {
        if quick {
            return self.summary();
        }
        let state = self.state.write().unwrap();
        format!("{}", state.len())
    }

    // Another instance's lock: `other.summary()` locks `other.state`, not `self.state`.
    pub fn compare(&self, other: &Store) -> bool {
        let _mine = self.state.write().unwrap();
        other.summary().is_empty()
    }

    // MUST: the callee is reached through a field whose type the file declares.
    pub fn peer_locked(&self) -> u32 {
        let _t = self.peer.table.lock().unwrap();
        self.peer.total() //~ double_lock
    }

    // A different lock held: fine.
    pub fn other_lock(&self) -> String {
        let _log = self.log.lock().unwrap();
        self.summary()
    }

    // Read then read through calls is not a certain deadlock: `recursive_read_lock`'s.
    pub fn read_then_summary(&self) -> String {
        let _r = self.state.read().unwrap();
        self.summary() //~ recursive_read_lock
    }

    // Guard-returning wrappers.
    fn wl(&self) -> RwLockWriteGuard<'_, Vec<u32>> {
        self.state.write().unwrap()
    }

    fn rl(&self) -> RwLockReadGuard<'_, Vec<u32>> {
        self.state.read().unwrap()
    }

    fn logs(&self) -> MutexGuard<'_, Vec<String>> {
        self.log.lock().unwrap()
    }

    fn try_logs(&self) -> Option<MutexGuard<'_, Vec<String>>> {
        self.log.try_lock().ok()
    }

    // MUST: the wrapper's guard is a write guard of `self.state`.
    pub fn wrapped(&self) -> usize {
        let _g = self.wl();
        self.state.read().unwrap().len() //~ double_lock
    }

    // MUST: two wrappers of one mutex.
    pub fn two_wrappers(&self) {
        let mut a = self.logs();
        let b = self.logs(); //~ double_lock
        a.push(b.len().to_string());
    }

    // MUST: a wrapper's guard held while a call locks the same lock.
    pub fn wrapper_then_call(&self) {
        let g = self.wl();
        let _ = self.summary(); //~ double_lock
        drop(g);
    }

    // The wrapper's guard is dropped first: fine.
    pub fn wrapper_dropped(&self) -> usize {
        let g = self.wl();
        drop(g);
        self.rl().len()
    }

    // A temporary wrapper guard ends with its statement: fine.
    pub fn wrapper_temporary(&self) -> usize {
        self.wl().push(1);
        self.rl().len()
    }

    // A `try_lock` wrapper never waits: fine.
    pub fn try_wrapper(&self) {
        let _g = self.logs();
        let _ = self.try_logs();
    }

    fn ping(&self, n: u32) {
        if n > 0 {
            self.pong(n - 1);
        }
    }

    fn pong(&self, n: u32) {
        let _ = self.pending();
        self.ping(n);
    }

    // MUST: through mutual recursion, which ends.
    pub fn ping_locked(&self) {
        let _w = self.state.write().unwrap();
        self.ping(3); //~ double_lock
    }

    // A closure made while the guard is alive runs later, when the guard is gone: its calls
    // are not followed here.
    pub fn deferred(&self) -> impl Fn() -> usize + '_ {
        let w = self.state.write().unwrap();
        drop(w);
        let _log = self.log.lock().unwrap();
        move || self.pending()
    }

    // An `async fn` called without `.await` only makes a future.
    async fn refresh(&self) -> usize {
        self.pending()
    }

    pub async fn refresh_later(&self) -> usize {
        let fut = {
            let _w = self.state.write().unwrap();
            self.refresh()
        };
        fut.await
    }

    // Recursion terminates, and a recursive call with no guard held is fine.
    pub fn walk(&self, depth: u32) {
        if depth > 0 {
            self.walk(depth - 1);
        }
        let _ = self.pending();
    }
}

pub trait Cache {
    fn entries(&self) -> MutexGuard<'_, Vec<u32>>;

    fn size(&self) -> usize {
        self.entries().len()
    }

    // MUST: a trait default method holds the guard of a trait method implemented in this
    // file, and calls another default method that takes it again.
    fn refill(&self) {
        let mut e = self.entries();
        if self.size() == 0 { //~ double_lock
            e.push(1);
        }
    }

    // The guard is a temporary of its own statement: fine.
    fn grow(&self) -> usize {
        self.entries().push(0);
        self.size()
    }
}

pub struct Shelf {
    items: Mutex<Vec<u32>>,
}

impl Cache for Shelf {
    fn entries(&self) -> MutexGuard<'_, Vec<u32>> {
        self.items.lock().unwrap()
    }
}

static REGISTRY: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn registered() -> usize {
    REGISTRY.lock().unwrap().len()
}

fn describe_registry() -> String {
    format!("{}", registered())
}

// MUST: a `static` through two levels of plain functions.
pub fn register(id: u32) {
    let mut r = REGISTRY.lock().unwrap();
    r.push(id);
    let _ = describe_registry(); //~ double_lock
}

fn count_in(m: &Mutex<u32>) -> u32 {
    *m.lock().unwrap()
}

fn count_twice(m: &Mutex<u32>) -> u32 {
    count_in(m) * 2
}

// MUST: a parameter passed down two levels.
pub fn param_chain(m: &Mutex<u32>) -> u32 {
    let _g = m.lock().unwrap();
    count_twice(m) //~ double_lock
}

// Another lock passed down: fine.
pub fn param_other(m: &Mutex<u32>, n: &Mutex<u32>) -> u32 {
    let _g = m.lock().unwrap();
    count_twice(n)
}
