//@ deps: tokio, async-std
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[test]
fn thread_then_sleep() {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || flag.store(true, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    assert!(done.load(Ordering::SeqCst));
}

#[tokio::test(flavor = "multi_thread")]
async fn task_then_sleep() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move { tx.send(1).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(50)).await; //~ sleep_in_test
    assert_eq!(rx.try_recv().unwrap(), 1);
}

// MUST NOT fire: on a current-thread runtime the sleep yields, and the ready task runs before
// the timer fires; the order is fixed by the scheduler, not the clock.
#[tokio::test(flavor = "current_thread")]
async fn current_thread_yields() {
    let started = Arc::new(AtomicBool::new(false));
    let h = tokio::spawn({
        let started = started.clone();
        async move { started.store(true, Ordering::SeqCst) }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(started.load(Ordering::SeqCst));
    h.abort();
}

// MUST NOT fire: threads the code under test runs are out of sight; the write may as well be
// eager or the command queued.
#[test]
fn shared_state() {
    let counter = Arc::new(std::sync::Mutex::new(0));
    start_workers(counter.clone());
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(*counter.lock().unwrap(), 4);
}
fn start_workers(_c: Arc<std::sync::Mutex<i32>>) {}

#[async_std::test]
async fn async_std_sleep() {
    let (tx, rx) = async_std::channel::bounded(1);
    let h = async_std::task::spawn(async move { tx.send(1).await });
    async_std::task::sleep(Duration::from_millis(5)).await; //~ sleep_in_test
    assert_eq!(rx.try_recv(), Ok(1));
    let _ = h.await;
}

#[cfg(test)]
mod tests {
    use std::thread;
    use std::time::Duration;

    // A helper in a `#[cfg(test)]` module is test code too; `use` aliases resolve.
    fn wait_for_worker() {
        let (tx, rx) = std::sync::mpsc::channel();
        let h = thread::spawn(move || tx.send(()).unwrap());
        thread::sleep(Duration::from_millis(1)); //~ sleep_in_test
        assert!(rx.try_recv().is_ok());
        h.join().unwrap();
    }

    #[test]
    fn uses_helper() {
        wait_for_worker();
    }
}

// The test's own flow inside `block_on` still counts.
#[test]
fn block_on_flow() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h = rt.spawn({
        let hits = hits.clone();
        async move { hits.fetch_add(1, Ordering::SeqCst) }
    });
    rt.block_on(async {
        tokio::time::sleep(Duration::from_millis(20)).await; //~ sleep_in_test
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    });
    drop(h);
}
