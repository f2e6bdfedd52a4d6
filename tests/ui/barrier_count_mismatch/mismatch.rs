//@ deps: tokio
use std::sync::{Arc, Barrier};
use std::thread;

// MUST fire: 4 threads in a literal loop, plus the caller: 5 participants for a count of 4.
pub fn caller_also_waits() {
    let barrier = Arc::new(Barrier::new(4)); //~ barrier_count_mismatch
    let mut handles = Vec::new();
    for _ in 0..4 {
        let b = Arc::clone(&barrier);
        handles.push(thread::spawn(move || {
            b.wait();
        }));
    }
    barrier.wait();
    for h in handles {
        h.join().unwrap();
    }
}

// MUST fire: room for the caller, who never waits: every thread blocks forever.
pub fn caller_never_waits() {
    let barrier = Arc::new(Barrier::new(3)); //~ barrier_count_mismatch
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let b = barrier.clone();
            thread::spawn(move || b.wait())
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

// Scoped threads borrow the barrier; `0..=2` runs three times.
pub fn scoped() {
    let barrier = Barrier::new(2); //~ barrier_count_mismatch
    thread::scope(|s| {
        for _ in 0..=2 {
            s.spawn(|| barrier.wait());
        }
    });
}

// Threads that wait in several phases are one participant each; the caller waits inside
// the scope closure, which runs on the calling thread.
pub fn phases() {
    let barrier = &Barrier::new(3); //~ barrier_count_mismatch
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(move || {
                for _ in 0..10 {
                    barrier.wait();
                }
            });
        }
        barrier.wait();
    });
}

// tokio's `Barrier`, and spawns written one by one.
pub async fn tokio_tasks() {
    let barrier = Arc::new(tokio::sync::Barrier::new(3)); //~ barrier_count_mismatch
    let b1 = barrier.clone();
    let t1 = tokio::spawn(async move {
        b1.wait().await;
    });
    let b2 = barrier.clone();
    let t2 = tokio::spawn(async move {
        b2.wait().await;
    });
    t1.await.unwrap();
    t2.await.unwrap();
}
