//@ deps: parking_lot, tokio
//@ warn: condvar_wait_without_loop
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

// MUST NOT: the std docs' idiom, `while` around `wait`.
pub fn started_while() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
}

// MUST NOT: `wait_while` and `wait_timeout_while` re-check after every wake-up.
pub fn predicates(pair: &(Mutex<bool>, Condvar)) {
    let (lock, cvar) = pair;
    drop(cvar.wait_while(lock.lock().unwrap(), |s| !*s).unwrap());
    drop(cvar.wait_timeout_while(lock.lock().unwrap(), Duration::from_millis(5), |s| !*s).unwrap());
}

// MUST NOT: parking_lot's predicate waits, and a straight-line `wait(&mut g)` (parking_lot's
// `Condvar` does not wake up spuriously).
pub fn parking_lot_forms(m: &parking_lot::Mutex<bool>, cv: &parking_lot::Condvar) {
    let mut g = m.lock();
    cv.wait_while(&mut g, |s| !*s);
    cv.wait_while_for(&mut g, |s| !*s, Duration::from_millis(5));
    cv.wait(&mut g);
}

// MUST NOT: a straight-line timed wait, used as a sleep that a notification cuts short.
pub fn interruptible_sleep(m: &Mutex<bool>, cv: &Condvar) {
    let g = m.lock().unwrap();
    let _ = cv.wait_timeout(g, Duration::from_millis(5));
}

// MUST NOT: `loop` with a check of the state that breaks.
pub fn with_loop(m: &Mutex<Vec<u32>>, cv: &Condvar) -> u32 {
    let mut g = m.lock().unwrap();
    loop {
        if let Some(x) = g.pop() {
            return x;
        }
        g = cv.wait(g).unwrap();
    }
}

// MUST NOT: other types' `wait`: a barrier, a child process, tokio's `Notify` (awaited).
pub async fn other_waits(b: &std::sync::Barrier, child: &mut std::process::Child, n: &tokio::sync::Notify) {
    b.wait();
    let _ = child.wait();
    n.notified().await;
}
