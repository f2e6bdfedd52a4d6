//@ deps: parking_lot
use std::sync::{Arc, Condvar, Mutex};

// MUST NOT: the std docs' idiom: only the waited lock is held.
pub fn started(pair: Arc<(Mutex<bool>, Condvar)>) {
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
}

// MUST NOT: the other guard is released before the wait: by `drop`, by its block, as a
// temporary of an earlier statement.
pub fn released_first(a: &Mutex<u32>, b: &Mutex<bool>, cv: &Condvar) -> u32 {
    let first = a.lock().unwrap();
    let n = *first;
    drop(first);
    let m = {
        let second = a.lock().unwrap();
        *second
    };
    let k = *a.lock().unwrap();
    let _g = cv.wait_while(b.lock().unwrap(), |s| !*s).unwrap();
    n + m + k
}

// MUST NOT: parking_lot, only the waited guard.
pub fn parking_lot_own(m: &parking_lot::Mutex<bool>, cv: &parking_lot::Condvar) {
    let mut g = m.lock();
    cv.wait_while(&mut g, |s| !*s);
}

// MUST NOT: a guard taken in a closure is not held by the function around it.
pub fn in_closure(a: &Mutex<u32>, b: &Mutex<bool>, cv: &Condvar) {
    let read = || *a.lock().unwrap();
    let _ = read();
    let _g = cv.wait_while(b.lock().unwrap(), |s| !*s).unwrap();
}
