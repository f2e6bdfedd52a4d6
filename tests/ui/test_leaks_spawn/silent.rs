//@ deps: tokio, tokio-util, smol
use std::sync::mpsc::Receiver;

fn work() -> u32 {
    1
}

async fn serve() {}

// MUST NOT fire: joined, awaited, aborted, passed on.
#[tokio::test]
async fn handled() {
    let a = std::thread::spawn(work);
    a.join().unwrap();
    let b = tokio::spawn(async { assert!(true) });
    b.await.unwrap();
    let c = tokio::spawn(async { assert!(true) });
    c.abort();
    let d = std::thread::spawn(work);
    keep(d);
}

fn keep(_h: std::thread::JoinHandle<u32>) {}

// MUST NOT fire: a tokio task without assertions dies with the test's runtime.
#[tokio::test]
async fn background_server() {
    tokio::spawn(serve());
    let _server = tokio::spawn(async { serve().await });
}

// MUST NOT fire: `JoinSet` (aborted when dropped), `TaskTracker`, thread scopes, a local
// smol executor.
#[tokio::test]
async fn managed() {
    let mut set = tokio::task::JoinSet::new();
    set.spawn(async { assert!(true) });
    set.join_next().await;
    let tracker = tokio_util::task::TaskTracker::new();
    tracker.spawn(async { assert!(true) });
    std::thread::scope(|s| {
        s.spawn(work);
    });
    let ex = smol::LocalExecutor::new();
    ex.spawn(async { work() }).detach();
}

// MUST NOT fire: not a test, and spawns inside spawned work belong to that work.
pub fn not_a_test() {
    std::thread::spawn(work);
}

#[test]
fn nested() {
    let outer = std::thread::spawn(|| {
        std::thread::spawn(work);
    });
    outer.join().unwrap();
}

// MUST NOT fire: an endless detached worker is `detached_spawn`'s finding; a dropped smol
// `Task` is `task_dropped_on_spawn`'s.
#[test]
fn other_lints() {
    let (_tx, rx): (_, Receiver<u32>) = std::sync::mpsc::channel();
    std::thread::spawn(move || loop { //~ detached_spawn
        let _ = rx.recv();
    });
    smol::spawn(async { work() }); //~ task_dropped_on_spawn
}
