//@ warn: test_leaks_spawn
//@ deps: tokio, async-std, smol, rayon
use std::sync::mpsc;

fn work() -> u32 {
    1
}

async fn compute() -> u32 {
    4
}

struct Server;
impl Server {
    fn handle_one(&self, _tx: mpsc::Sender<u32>) {}
}

// MUST fire: a std thread the test never joins outlives the test.
#[test]
fn thread_not_joined() {
    let (tx, rx) = mpsc::channel();
    let server = Server;
    std::thread::spawn(move || server.handle_one(tx)); //~ test_leaks_spawn
    assert_eq!(rx.recv().unwrap(), 1);
}

// Bound to a name that is never read, or dropped by hand.
#[test]
fn handle_unused_or_dropped() {
    let _server = std::thread::spawn(work); //~ test_leaks_spawn
    let h = std::thread::Builder::new().spawn(work).unwrap(); //~ test_leaks_spawn
    drop(h);
}

// MUST fire: a tokio task that asserts and is never awaited: the runtime swallows the panic.
#[tokio::test]
async fn tokio_task_asserts() {
    tokio::spawn(async { //~ test_leaks_spawn
        assert_eq!(compute().await, 4);
    });
}

// async-std and smol's global executors, and rayon's global pool, outlive the test.
#[async_std::test]
async fn async_std_task() {
    async_std::task::spawn(async { work() }); //~ test_leaks_spawn
}

#[test]
fn smol_detached() {
    smol::spawn(async { work() }).detach(); //~ test_leaks_spawn
}

#[test]
fn rayon_job() {
    rayon::spawn(|| { //~ test_leaks_spawn
        work();
    });
}

// An endless worker thread in a test is this lint's finding, not `detached_spawn`'s (which
// leaves test code alone): it keeps running, spinning here, while the next tests run.
#[test]
fn endless_worker() {
    let (_tx, rx) = mpsc::channel::<u32>();
    std::thread::spawn(move || loop { //~ test_leaks_spawn
        let _ = rx.try_recv();
    });
}
