//@ warn: test_leaks_spawn
//@ deps: tokio, async-std
// The work's last action is the event the test waits for, in forms beyond a plain `send`:
// the test that sees the event sees the work end. Each case sits beside a leak that looks
// like it.
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

// MUST NOT fire: `send_async(…).await`, any `send_…`, a send run by `block_on`.
#[async_std::test]
async fn sends_in_other_forms() {
    let (tx, rx) = flume::unbounded::<u32>();
    async_std::task::spawn(async move {
        tx.send_async(1).await.unwrap();
    });
    assert_eq!(rx.recv_async().await, Ok(1));
}

#[test]
fn send_run_by_block_on() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(tx.send(1)).unwrap()
    });
    assert_eq!(rt.block_on(rx.recv()), Some(1));
}

// MUST NOT fire: the work ends by meeting the test at a barrier.
#[test]
fn meets_the_test_at_a_barrier() {
    let barrier = Arc::new(Barrier::new(2));
    let b = barrier.clone();
    std::thread::spawn(move || {
        work();
        b.wait();
    });
    barrier.wait();
}

// MUST fire: the work waits on a condition variable, which is no signal to the test.
#[test]
fn waits_on_something_else() {
    let pair = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
    let p = pair.clone();
    std::thread::spawn(move || { //~ test_leaks_spawn
        let guard = p.0.lock().unwrap();
        let _unused = p.1.wait(guard);
    });
    work();
}

// MUST NOT fire: the work's last action raises the signal the test waits for.
#[test]
fn raises_the_signal() {
    let caught = Arc::new(std::sync::atomic::AtomicBool::new(false));
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(5));
        raise(10);
    });
    while !caught.load(std::sync::atomic::Ordering::SeqCst) {}
}
fn raise(_signal: i32) {}

// MUST NOT fire: a deliberate panic whose effect (a poisoned lock) the test checks.
#[test]
fn poisons_on_purpose() {
    let lock = Arc::new(Mutex::new(0));
    let l = lock.clone();
    std::thread::spawn(move || {
        let _guard = l.lock().unwrap();
        panic!("poison the lock");
    });
    while !lock.is_poisoned() {}
}

// MUST fire: the work panics, but the test never looks at the effect.
#[test]
fn panics_unobserved() {
    let lock = Arc::new(Mutex::new(0));
    let l = lock.clone();
    std::thread::spawn(move || { //~ test_leaks_spawn
        let _guard = l.lock().unwrap();
        panic!("nobody looks");
    });
    work();
}

// MUST NOT fire: the test drains the channel whose sender the work owns; the loop ends only
// when the work has ended and dropped it.
#[test]
fn test_drains_the_channel() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for i in 0..3 {
            tx.send(i).unwrap();
        }
        work();
    });
    for _ in rx {}
}

// MUST fire: the test takes one message and returns while the work goes on.
#[test]
fn test_takes_one_message() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || { //~ test_leaks_spawn
        tx.send(1).unwrap();
        work();
    });
    assert_eq!(rx.recv().unwrap(), 1);
}

// MUST NOT fire: threads a deadlock-detection test deadlocks on purpose cannot be joined.
#[test]
fn deadlocks_on_purpose() {
    let a = Arc::new(Mutex::new(()));
    let a2 = a.clone();
    let _guard = a.lock().unwrap();
    let _t = std::thread::spawn(move || {
        let _g = a2.lock().unwrap();
    });
    assert!(check_deadlock());
}
fn check_deadlock() -> bool {
    true
}

// MUST NOT fire: resetting the timer the test awaits.
#[async_std::test]
async fn resets_the_timer() {
    let timer = Arc::new(Mutex::new(Timer::after(Duration::from_secs(60))));
    let t = timer.clone();
    async_std::task::spawn(async move {
        t.lock().unwrap().reset(Duration::ZERO);
    });
    timer_fired(&timer).await;
}
struct Timer;
impl Timer {
    fn after(_d: Duration) -> Self {
        Timer
    }
    fn reset(&mut self, _d: Duration) {}
}
async fn timer_fired(_t: &Mutex<Timer>) {}

fn work() {}

// MUST NOT fire: a wait group's `done()` and a semaphore's `post()` wake the test that waits.
#[test]
fn wait_group_and_semaphore() {
    let wg = WaitGroup::new();
    let worker = wg.add(1);
    std::thread::spawn(move || {
        work();
        worker.done();
    });
    wg.wait();
    let sem = Arc::new(Semaphore::new(0));
    let s = sem.clone();
    std::thread::spawn(move || {
        s.post();
    });
    sem.wait();
}
struct WaitGroup;
impl WaitGroup {
    fn new() -> Self {
        WaitGroup
    }
    fn add(&self, _n: usize) -> WaitGroup {
        WaitGroup
    }
    fn done(self) {}
    fn wait(&self) {}
}
struct Semaphore;
impl Semaphore {
    fn new(_n: usize) -> Self {
        Semaphore
    }
    fn post(&self) {}
    fn wait(&self) {}
}

// MUST NOT fire: the sender is handed to the function that builds the thread's body, and the
// test drains the channel.
#[test]
fn producer_built_by_a_helper() {
    let (tx, rx) = mpsc::channel();
    for n in 0..4 {
        std::thread::spawn(producer(tx.clone(), n));
    }
    drop(tx);
    while rx.recv().is_ok() {}
}
fn producer(tx: mpsc::Sender<u32>, n: u32) -> impl FnOnce() {
    move || {
        tx.send(n).unwrap();
        work();
    }
}
