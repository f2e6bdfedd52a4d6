//@ deps: parking_lot
//@ warn: condvar_wait_without_loop
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

struct Queue {
    items: Mutex<Vec<u32>>,
    ready: Condvar,
    fast: parking_lot::Mutex<Vec<u32>>,
    fast_ready: parking_lot::Condvar,
}

impl Queue {
    // MUST: an `if` where a `while` belongs (std): a spurious wake-up pops from an empty queue.
    pub fn pop_if(&self) -> Option<u32> {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            items = self.ready.wait(items).unwrap(); //~ condvar_wait_without_loop
        }
        items.pop()
    }

    // MUST NOT: the same with `while`.
    pub fn pop_while(&self) -> Option<u32> {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.ready.wait(items).unwrap();
        }
        items.pop()
    }

    // MUST NOT: `wait_while` re-checks after every wake-up.
    pub fn pop_wait_while(&self) -> Option<u32> {
        let mut items = self.ready.wait_while(self.items.lock().unwrap(), |i| i.is_empty()).unwrap();
        items.pop()
    }

    // MUST NOT: `loop` with a check that breaks.
    pub fn pop_loop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        loop {
            if let Some(x) = items.pop() {
                break x;
            }
            items = self.ready.wait(items).unwrap();
        }
    }

    // MUST: parking_lot, an `if` around `wait(&mut g)`: another consumer may take the item
    // between the notification and this thread's wake-up.
    pub fn fast_pop_if(&self) -> Option<u32> {
        let mut items = self.fast.lock();
        if items.is_empty() {
            self.fast_ready.wait(&mut items); //~ condvar_wait_without_loop
        }
        items.pop()
    }

    // MUST NOT: parking_lot's straight-line wait (no spurious wake-ups; the caller decides).
    pub fn fast_wait_once(&self) {
        let mut items = self.fast.lock();
        self.fast_ready.wait(&mut items);
    }

    // MUST NOT: parking_lot's `wait_while`.
    pub fn fast_pop_wait_while(&self) -> Option<u32> {
        let mut items = self.fast.lock();
        self.fast_ready.wait_while(&mut items, |i| i.is_empty());
        items.pop()
    }

    // MUST: a timed wait in an `if` on the state: an early wake-up is taken for "ready".
    pub fn pop_timeout_if(&self) -> Option<u32> {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            let (g, _) = self.ready.wait_timeout(items, Duration::from_millis(10)).unwrap(); //~ condvar_wait_without_loop
            items = g;
        }
        items.pop()
    }

    // MUST NOT: a straight-line timed wait is an interruptible sleep.
    pub fn nap(&self) {
        let items = self.items.lock().unwrap();
        let _ = self.ready.wait_timeout(items, Duration::from_millis(10));
    }

    // MUST NOT: `wait_timeout_while`.
    pub fn pop_timeout_while(&self) -> Option<u32> {
        let (mut items, _) = self
            .ready
            .wait_timeout_while(self.items.lock().unwrap(), Duration::from_millis(10), |i| i.is_empty())
            .unwrap();
        items.pop()
    }

    // MUST NOT: a fixed number of rounds: whether the loop re-checks is not visible; silent.
    pub fn rounds(&self) {
        let mut items = self.items.lock().unwrap();
        for _ in 0..3 {
            items = self.ready.wait(items).unwrap();
        }
    }
}

// MUST: the std docs' example with `if` for `while`, through `let (lock, cvar) = &*pair;`.
pub fn started_if() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        *lock.lock().unwrap() = true;
        cvar.notify_one();
    });
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    if !*started {
        started = cvar.wait(started).unwrap(); //~ condvar_wait_without_loop
    }
    assert!(*started);
}

// MUST: a straight-line std wait: returns on a spurious wake-up, hangs if the notification
// came before the lock was taken.
pub fn started_straight(pair: Arc<(Mutex<bool>, Condvar)>) {
    let &(ref lock, ref cvar) = &*pair;
    let started = lock.lock().unwrap();
    let started = cvar.wait(started).unwrap(); //~ condvar_wait_without_loop
    assert!(*started);
}

// MUST: a tuple field, `pair.1`.
pub fn by_field(pair: &(Mutex<bool>, Condvar)) -> bool {
    let done = pair.0.lock().unwrap();
    let done = pair.1.wait(done).unwrap(); //~ condvar_wait_without_loop
    *done
}

// MUST NOT: the documented idiom.
pub fn started_while() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
}

struct Event;
impl Event {
    fn wait<T>(&self, g: T) -> T {
        g
    }
}

// MUST NOT: not a `Condvar`: a `Barrier`, a type of the crate with a `wait` method.
pub fn other_waits(m: &Mutex<u32>, b: &std::sync::Barrier, e: &Event) {
    b.wait();
    let g = m.lock().unwrap();
    let _g = e.wait(g);
}

// MUST NOT: a closure run by a loop around it (`for_each`).
pub fn in_iterator(pair: &(Mutex<bool>, Condvar)) {
    (0..3).for_each(|_| {
        let g = pair.0.lock().unwrap();
        let _g = pair.1.wait(g).unwrap();
    });
}
