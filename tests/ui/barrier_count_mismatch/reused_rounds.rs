use std::sync::{Arc, Barrier};
use std::thread;

// MUST NOT fire: a barrier is reusable, and 200 waiters fill exactly two rounds of 100.
pub fn two_full_rounds() {
    let barrier = Arc::new(Barrier::new(100));
    let handles: Vec<_> = (0..200)
        .map(|_| {
            let b = Arc::clone(&barrier);
            thread::spawn(move || {
                b.wait();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

// MUST fire: 150 waiters fill one round of 100; the last 50 wait for a round that never fills.
pub fn half_a_round_left() {
    let barrier = Arc::new(Barrier::new(100)); //~ barrier_count_mismatch
    let handles: Vec<_> = (0..150)
        .map(|_| {
            let b = Arc::clone(&barrier);
            thread::spawn(move || {
                b.wait();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
