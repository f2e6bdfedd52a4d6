//@ warn: sleep_for_unseen_work
//@ deps: tokio
// Sleeps this lint leaves alone.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Pool;
impl Pool {
    fn execute(&self, job: impl FnOnce() + Send + 'static) {
        job()
    }
}

// MUST NOT fire here: the test starts a thread itself, so this is `sleep_in_test`'s finding.
#[test]
fn own_thread() {
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    let _h = std::thread::spawn(move || d.store(true, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(50)); //~ sleep_in_test
    assert!(done.load(Ordering::SeqCst));
}

// MUST NOT fire: nothing after the sleep checks what the other work writes.
#[test]
fn nothing_checked() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    Pool.execute(move || {
        h.fetch_add(1, Ordering::SeqCst);
    });
    std::thread::sleep(Duration::from_millis(50));
}

// MUST NOT fire: the check waits for the task itself.
#[tokio::test]
async fn awaits_the_task() {
    let t = tokio::spawn(async { 1 });
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(t.await.unwrap(), 1);
}
