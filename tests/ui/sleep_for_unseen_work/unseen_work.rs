//@ warn: sleep_for_unseen_work
//@ deps: tokio
// Sleeps that wait for work the test does not start itself (`sleep_in_test` leaves them out),
// side by side with the ones this lint leaves alone too.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Pool;
impl Pool {
    fn execute(&self, job: impl FnOnce() + Send + 'static) {
        job()
    }
}

// MUST fire: the pool's threads are to run the job during the sleep.
#[test]
fn pool_runs_job() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    Pool.execute(move || {
        h.fetch_add(1, Ordering::SeqCst);
    });
    std::thread::sleep(Duration::from_millis(50)); //~ sleep_for_unseen_work
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

// MUST fire: on a current-thread runtime the sleep yields to the task; whether it is done
// before the timer fires depends on what it waits for.
#[tokio::test]
async fn task_on_current_thread() {
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    tokio::spawn(async move { d.store(true, Ordering::SeqCst) });
    tokio::time::sleep(Duration::from_millis(50)).await; //~ sleep_for_unseen_work
    assert!(done.load(Ordering::SeqCst));
}
