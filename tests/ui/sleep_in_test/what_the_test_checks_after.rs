//@ deps: tokio
// What the test checks after the sleep decides whether the sleep is a bet on timing.
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

// MUST fire: the count is expected to have changed during the sleep.
#[test]
fn waits_for_a_change() {
    let starts = Arc::new(AtomicU32::new(0));
    let seen = starts.clone();
    let _h = std::thread::spawn(move || seen.fetch_add(1, Ordering::SeqCst));
    assert_eq!(starts.load(Ordering::SeqCst), 0);
    std::thread::sleep(Duration::from_millis(50)); //~ sleep_in_test
    assert_eq!(starts.load(Ordering::SeqCst), 1);
}

// The first sleep waits for the start (MUST fire); the second watches for a restart that must
// not come, with the same check as before it: there is no event to wait for instead.
#[test]
fn watches_for_no_change() {
    let starts = Arc::new(AtomicU32::new(0));
    let seen = starts.clone();
    let _h = std::thread::spawn(move || seen.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(50)); //~ sleep_in_test
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    stop_everything();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(starts.load(Ordering::SeqCst), 1, "nothing restarts after a stop");
}
fn stop_everything() {}

// MUST NOT fire: the comment above the sleep says what must not happen.
#[test]
fn absence_in_the_comment() {
    let starts = Arc::new(AtomicU32::new(1));
    let _h = std::thread::spawn(|| {});
    // Wait to see if a restart happens (it shouldn't).
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(starts.load(Ordering::SeqCst), 1);
}

// MUST NOT fire: nothing may arrive during the sleep.
#[test]
fn nothing_received() {
    let (tx, rx) = mpsc::channel::<u32>();
    let _h = std::thread::spawn(move || drop(tx));
    std::thread::sleep(Duration::from_millis(20));
    assert!(rx.try_recv().is_err());
}

// MUST NOT fire: the check waits for the event itself; the sleep only aims the interleaving.
#[tokio::test]
async fn check_awaits_the_task() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let send = tokio::spawn(async move { tx.send(2).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(rx.recv().await, Some(2));
    assert!(send.await.unwrap().is_ok());
}

// MUST NOT fire: the test joins the thread before it checks.
#[test]
fn joins_before_checking() {
    let starts = Arc::new(AtomicU32::new(0));
    let seen = starts.clone();
    let h = std::thread::spawn(move || seen.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(20));
    h.join().unwrap();
    assert_eq!(starts.load(Ordering::SeqCst), 1);
}

// MUST NOT fire: a stress test lets threads run for a while and checks nothing timed.
#[test]
fn stress_without_a_timed_check() {
    let h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(100));
    clear_everything();
    h.join().unwrap();
}
fn clear_everything() {}

// MUST NOT fire: the check reads only what the test computed itself.
#[test]
fn checks_its_own_value() {
    let _h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(10));
    let local = 2 + 2;
    assert_eq!(local, 4);
}

// MUST fire: a local read from shared state after the sleep is checked.
#[test]
fn checks_a_local_read_after_the_sleep() {
    let starts = Arc::new(AtomicU32::new(0));
    let seen = starts.clone();
    let _h = std::thread::spawn(move || seen.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(10)); //~ sleep_in_test
    let n = starts.load(Ordering::SeqCst);
    assert_eq!(n, 1);
}

// MUST fire: a helper check and a query of global state are checks of the other threads.
#[test]
fn helper_checks() {
    let _h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(10)); //~ sleep_in_test
    assert_started(3);
    std::thread::sleep(Duration::from_millis(10)); //~ sleep_in_test
    assert!(all_started());
}
fn assert_started(_n: usize) {}
fn all_started() -> bool {
    true
}

// MUST NOT fire: threads blocked inside the lock under test cannot signal; the only thing to
// wait on is the deadlock detector itself.
#[test]
fn detects_the_deadlock() {
    let _h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(50));
    assert!(check_deadlock());
}
fn check_deadlock() -> bool {
    true
}

// MUST NOT fire: a flag still unset after a while, as the comment says.
#[test]
fn flag_still_unset() {
    let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = stopped.clone();
    let h = std::thread::spawn(move || seen.store(true, Ordering::SeqCst));
    // Wait a bit to see if the thread stops by itself.
    std::thread::sleep(Duration::from_millis(100));
    assert!(!stopped.load(Ordering::SeqCst));
    h.join().unwrap();
}

// MUST NOT fire: an ignored test runs only by hand.
#[test]
#[ignore]
fn ignored_stress() {
    let starts = Arc::new(AtomicU32::new(0));
    let seen = starts.clone();
    let _h = std::thread::spawn(move || seen.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(Duration::from_secs(10));
    assert_eq!(starts.load(Ordering::SeqCst), 1);
}

// MUST NOT fire: a static counter inside the test counts the test's own calls, and the
// comment says the sleep lets a token expire.
#[tokio::test]
async fn token_expires() {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    fetch(&CALLS).await;
    tokio::time::sleep(Duration::from_millis(2)).await;
    // The token is expired, so this fetches again.
    fetch(&CALLS).await;
    assert_eq!(CALLS.load(Ordering::SeqCst), 2);
}
async fn fetch(calls: &AtomicU32) {
    calls.fetch_add(1, Ordering::SeqCst);
}

// MUST NOT fire: the sleep is in a scope's closure; nothing after it in that closure checks.
#[test]
fn sleep_inside_a_scope() {
    let counter = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| ());
        std::thread::sleep(Duration::from_millis(100));
        scope.spawn(|| counter.fetch_add(1, Ordering::SeqCst));
    });
    assert_eq!(counter.load(Ordering::SeqCst), 1);
}

// MUST fire: connecting bets that the server the test started is already listening.
#[test]
fn connects_after_the_sleep() {
    let server = std::thread::spawn(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:7878").unwrap();
        let _ = listener.accept();
    });
    std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    let _client = std::net::TcpStream::connect("127.0.0.1:7878").unwrap();
    server.join().unwrap();
}
