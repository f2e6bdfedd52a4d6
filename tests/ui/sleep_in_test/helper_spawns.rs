// The test starts the work through a helper of the file that spawns it and returns while it
// runs: a sleep after the call that then checks what that work writes is still a bet.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

fn start_worker(done: Arc<AtomicBool>) {
    thread::spawn(move || {
        heavy();
        done.store(true, Ordering::SeqCst);
    });
}

fn run_worker(done: Arc<AtomicBool>) {
    let h = thread::spawn(move || done.store(true, Ordering::SeqCst));
    h.join().unwrap();
}

fn heavy() {}

#[test]
fn worker_finishes() {
    let done = Arc::new(AtomicBool::new(false));
    start_worker(done.clone());
    thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    assert!(done.load(Ordering::SeqCst));
}

// The helper joins its thread before returning: nothing runs during the sleep.
#[test]
fn worker_finished() {
    let done = Arc::new(AtomicBool::new(false));
    run_worker(done.clone());
    thread::sleep(Duration::from_millis(100));
    assert!(done.load(Ordering::SeqCst));
}
