// A sleep inside spawned work usually simulates slow work. When the work checks, after the
// sleep, what the test was to do meanwhile, it bets on winning a race and fires.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

// MUST fire: the spawned thread sleeps so that the test's write happens first, then asserts
// on it.
#[test]
fn thread_sleeps_so_the_test_writes_first() {
    let value = Arc::new(Mutex::new(0));
    let seen = value.clone();
    let checker = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
        assert_eq!(*seen.lock().unwrap(), 1);
    });
    *value.lock().unwrap() = 1;
    checker.join().unwrap();
}

// MUST NOT fire: the sleep simulates slow work; the test waits for its message.
#[test]
fn slow_producer() {
    let (tx, rx) = mpsc::channel();
    let producer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(10));
        tx.send(1).unwrap();
    });
    assert_eq!(rx.recv().unwrap(), 1);
    producer.join().unwrap();
}

// MUST NOT fire: the assertion after the sleep checks the thread's own result.
#[test]
fn slow_work_checks_itself() {
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let worker = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(10));
        let local = 2 + 2;
        assert_eq!(local, 4);
        c.fetch_add(1, Ordering::SeqCst);
    });
    worker.join().unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 1);
}
