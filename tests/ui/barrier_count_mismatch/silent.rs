//@ deps: tokio
use std::sync::{Arc, Barrier};
use std::thread;

const WORKERS: usize = 4;

// MUST NOT fire: the counts match (threads plus the caller; threads only; nested loops).
pub fn matching() {
    let with_caller = Arc::new(Barrier::new(5));
    for _ in 0..4 {
        let b = Arc::clone(&with_caller);
        thread::spawn(move || {
            b.wait();
        });
    }
    with_caller.wait();
    let threads_only = Arc::new(Barrier::new(6));
    for _ in 0..2 {
        for _ in 0..3 {
            let b = threads_only.clone();
            thread::spawn(move || b.wait());
        }
    }
    let scoped = Barrier::new(3);
    thread::scope(|s| {
        for _ in [1, 2] {
            s.spawn(|| scoped.wait());
        }
        scoped.wait();
    });
}

// MUST NOT fire: nothing countable: the count is not a literal, the loop bound is not
// a literal, the barrier is passed to a function, stored, or waited on conditionally.
pub fn uncountable(n: usize) {
    let a = Arc::new(Barrier::new(n));
    for _ in 0..4 {
        let b = a.clone();
        thread::spawn(move || b.wait());
    }
    let b = Arc::new(Barrier::new(WORKERS));
    for _ in 0..2 {
        let b = b.clone();
        thread::spawn(move || b.wait());
    }
    let c = Arc::new(Barrier::new(4));
    for _ in 0..n {
        let c = c.clone();
        thread::spawn(move || c.wait());
    }
    let d = Arc::new(Barrier::new(2));
    for _ in 0..4 {
        worker(d.clone());
    }
    let e = Arc::new(Barrier::new(2));
    for i in 0..4 {
        let e = e.clone();
        thread::spawn(move || {
            if i % 2 == 0 {
                e.wait();
            }
        });
    }
    let f = Arc::new(Barrier::new(2));
    let _holder = Holder { barrier: f.clone() };
    for _ in 0..3 {
        let f = f.clone();
        thread::spawn(move || f.wait());
    }
}

fn worker(b: Arc<Barrier>) {
    thread::spawn(move || b.wait());
}

struct Holder {
    barrier: Arc<Barrier>,
}

struct Pool;
impl Pool {
    fn execute<F: FnOnce()>(&self, f: F) {
        f()
    }
}

// MUST NOT fire: a barrier of 0 lets its one waiter through like a barrier of 1, and an
// async `wait()` that is not awaited here (handed to a test harness) is not a participant.
pub fn zero_and_unawaited() {
    let zero = Barrier::new(0);
    zero.wait();
    let b = tokio::sync::Barrier::new(2);
    let _w1 = poll_later(b.wait());
}

fn poll_later<F>(f: F) -> F {
    f
}

// MUST NOT fire: a `wait` in a closure handed to something that is not a known spawn, and
// a caller that waits in a loop of its own.
pub fn unknown_runners(pool: &Pool) {
    let a = Arc::new(Barrier::new(2));
    for _ in 0..3 {
        let a = a.clone();
        pool.execute(move || {
            a.wait();
        });
    }
    let b = Arc::new(Barrier::new(2));
    for _ in 0..3 {
        let c = b.clone();
        thread::spawn(move || c.wait());
        b.wait();
    }
}
