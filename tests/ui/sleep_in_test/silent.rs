//@ deps: tokio
use std::time::Duration;

// MUST NOT fire: virtual time.
#[tokio::test(start_paused = true)]
async fn paused_attribute() {
    let h = tokio::spawn(async {});
    tokio::time::sleep(Duration::from_secs(60)).await;
    h.await.unwrap();
}

#[tokio::test]
async fn paused_call() {
    tokio::time::pause();
    let h = tokio::spawn(async {});
    tokio::time::sleep(Duration::from_secs(60)).await;
    h.await.unwrap();
}

// MUST NOT fire: a test that neither spawns nor shares state (a timing test).
#[test]
fn measures_elapsed() {
    let start = std::time::Instant::now();
    std::thread::sleep(Duration::from_millis(1));
    assert!(start.elapsed() >= Duration::from_millis(1));
}

// MUST NOT fire: the sleep simulates slow work inside the spawned task.
#[tokio::test]
async fn slow_worker() {
    let h = tokio::spawn(async {
        tokio::time::sleep(Duration::from_millis(5)).await;
    });
    h.await.unwrap();
}

// MUST NOT fire: not test code.
pub fn production_backoff() {
    let h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(100));
    h.join().unwrap();
}

// MUST NOT fire: `cfg(not(test))` is not test code.
#[cfg(not(test))]
mod real {
    pub fn poll() {
        let h = std::thread::spawn(|| {});
        std::thread::sleep(std::time::Duration::from_millis(100));
        h.join().unwrap();
    }
}

// MUST NOT fire: a local function called `sleep` is not a clock wait.
#[test]
fn local_sleep() {
    fn sleep(_d: Duration) {}
    let h = std::thread::spawn(|| {});
    sleep(Duration::from_millis(1));
    h.join().unwrap();
}

// MUST NOT fire: a sleep raced against the event is a deadline, not a wait.
#[tokio::test]
async fn deadline() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let h = tokio::spawn(async move { tx.send(()).unwrap() });
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_secs(5)) => panic!("timed out"),
        _ = rx => {}
    }
    let timer = tokio::time::sleep(Duration::from_secs(5));
    let _ = tokio::time::timeout(Duration::from_secs(1), timer).await;
    h.await.unwrap();
}

// MUST NOT fire: a timer channel is tested with the clock on purpose.
#[test]
fn timer_channel() {
    let r = crossbeam_channel::after(Duration::from_millis(5));
    std::thread::sleep(Duration::from_millis(10));
    assert!(r.try_recv().is_ok());
}

// MUST NOT fire: sleeps in closures and futures that run elsewhere simulate slow work.
#[tokio::test]
async fn slow_service() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let slow = |_req: u32| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
    };
    let stalled = async {
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    let _ = tokio::time::timeout(Duration::from_millis(5), stalled).await;
    let _ = tokio::time::timeout(Duration::from_millis(5), slow(1)).await;
    drop(calls);
}
