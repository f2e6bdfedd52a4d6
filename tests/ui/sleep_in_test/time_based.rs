//@ deps: tokio
// A sleep that lets wall-clock time pass for a time-based feature under test waits for no
// other thread's event; one that waits for another thread still fires. Each case sits beside
// the one it must be told apart from.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Cache;
impl Cache {
    fn builder() -> Self {
        Cache
    }
    fn ttl(self, _d: Duration) -> Self {
        self
    }
    fn ttl_millis(self, _ms: u64) -> Self {
        self
    }
    fn on_evict(self, _f: impl Fn() + Send + 'static) -> Self {
        self
    }
    fn set(&self, _k: u32) {}
    fn get(&self, _k: u32) -> Option<u32> {
        None
    }
}

// MUST NOT fire: the sleep outlasts the TTL the test configured: it waits for expiry.
#[test]
fn entry_expires_after_ttl() {
    let evicted = Arc::new(AtomicUsize::new(0));
    let count = evicted.clone();
    let cache = Cache::builder()
        .ttl(Duration::from_millis(20))
        .on_evict(move || {
            count.fetch_add(1, Ordering::Relaxed);
        });
    cache.set(1);
    std::thread::sleep(Duration::from_millis(60));
    assert!(cache.get(1).is_none());
    let cache = Cache::builder().ttl_millis(20);
    cache.set(2);
    std::thread::sleep(Duration::from_millis(60));
    assert!(cache.get(2).is_none());
}

const TTL: Duration = Duration::from_millis(50);
const PAST_TTL: Duration = Duration::from_millis(80);

// MUST NOT fire: the sleep names the TTL (`PAST_TTL`), or shares its constant with the call
// that configured it.
#[test]
fn named_ttl() {
    let hits = Arc::new(Mutex::new(0));
    let cache = Cache::builder().ttl(TTL);
    cache.set(1);
    std::thread::sleep(PAST_TTL);
    std::thread::sleep(TTL + Duration::from_millis(5));
    assert!(cache.get(1).is_none());
    drop(hits);
}

// MUST fire: the sleep is shorter than the configured window: it waits for the restarted
// actor, another thread, not for the window to pass.
#[test]
fn shorter_than_configured_window() {
    let started = Arc::new(AtomicUsize::new(0));
    let _cache = Cache::builder().ttl(Duration::from_secs(10));
    let count = started.clone();
    std::thread::spawn(move || count.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    assert_eq!(started.load(Ordering::SeqCst), 1);
}

// MUST NOT fire: the test measures the clock across the sleep.
#[tokio::test]
async fn measures_elapsed_time() {
    let h = tokio::spawn(async {});
    let start = Instant::now();
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert!(start.elapsed() >= Duration::from_millis(10));
    let when = Instant::now() + Duration::from_millis(10);
    tokio::time::sleep_until(when.into()).await;
    assert!(Instant::now() >= when);
    h.await.unwrap();
}

// MUST fire: the clock is read only after the sleep, which waits for the server task.
#[tokio::test(flavor = "multi_thread")]
async fn clock_read_after_the_sleep() {
    let h = tokio::spawn(async { serve().await });
    tokio::time::sleep(Duration::from_secs(1)).await; //~ sleep_in_test
    let start = Instant::now();
    connect().await;
    assert!(start.elapsed() < Duration::from_secs(5));
    h.abort();
}
async fn serve() {}
async fn connect() {}

// MUST NOT fire: polling loops wait for the event; the sleep only spaces the checks.
#[test]
fn polls_until_done() {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let h = std::thread::spawn(move || flag.store(true, Ordering::SeqCst));
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(1));
    }
    for _ in 0..100 {
        if done.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    loop {
        match done.load(Ordering::SeqCst) {
            true => break,
            false => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    h.join().unwrap();
}

// MUST fire: a loop with an exit, but the sleep sits in a branch that does not decide it.
#[test]
fn sleep_in_a_branch_of_a_loop() {
    let counter = Arc::new(AtomicUsize::new(0));
    for i in 0..8 {
        if i == 4 {
            std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
            assert_eq!(counter.load(Ordering::SeqCst), 4);
        }
        let c = counter.clone();
        match std::thread::Builder::new().spawn(move || c.fetch_add(1, Ordering::SeqCst)) {
            Ok(_) => {}
            Err(_) => break,
        }
    }
}

// MUST NOT fire: the helper's caller picks the delay; it is what the scenario varies.
#[cfg(test)]
fn run_queue_test(producers: usize, delay: Duration) {
    let queue = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..producers)
        .map(|i| {
            let q = queue.clone();
            std::thread::spawn(move || q.lock().unwrap().push(i))
        })
        .collect();
    std::thread::sleep(delay);
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn queue_with_delay() {
    run_queue_test(4, Duration::from_millis(1));
}

// MUST NOT fire: the sleep sets how long a stress test runs; a stop flag follows it.
#[test]
fn stress_for_a_while() {
    let finished = Arc::new(AtomicBool::new(false));
    let stop = finished.clone();
    let worker = std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::hint::spin_loop();
        }
    });
    std::thread::sleep(Duration::from_millis(50));
    finished.store(true, Ordering::Relaxed);
    worker.join().unwrap();
}

// MUST fire: the store after the sleep is the data the other thread waits for, not a stop;
// the check after it bets that the worker saw it in time.
#[test]
fn store_after_sleep_is_not_a_stop() {
    let ready = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let (seen, finished) = (ready.clone(), done.clone());
    let worker = std::thread::spawn(move || {
        while !seen.load(Ordering::SeqCst) {}
        finished.store(true, Ordering::SeqCst);
    });
    std::thread::sleep(Duration::from_millis(50)); //~ sleep_in_test
    ready.store(true, Ordering::SeqCst);
    assert!(done.load(Ordering::SeqCst));
    worker.join().unwrap();
}

// MUST NOT fire: the sleep is inside the spawned future, wrapped by `scope`.
#[tokio::test]
async fn sleep_inside_wrapped_spawn() {
    tokio::task_local! {
        static REQ_ID: u32;
    }
    let h = tokio::spawn(REQ_ID.scope(2, async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(REQ_ID.get(), 2);
    }));
    h.await.unwrap();
}

// MUST NOT fire: a helper run by spawned work sleeps to simulate a stall.
#[cfg(test)]
fn iter(flag: Arc<AtomicBool>, stall: bool) {
    if flag.load(Ordering::Relaxed) {
        if stall {
            std::thread::sleep(Duration::from_micros(5));
        }
        tokio::spawn(async move { iter(flag, stall) });
    }
}
