//@ deps: tokio, futures
use futures::FutureExt;
use std::panic::{self, AssertUnwindSafe};

fn process() {}
async fn handle() {}

// MUST NOT fire: joined inside the guard: `join().unwrap()` re-raises the thread's panic on
// this thread, where `catch_unwind` catches it.
pub fn joined() {
    let _ = panic::catch_unwind(|| {
        std::thread::spawn(process).join().unwrap();
    });
    let _ = panic::catch_unwind(|| {
        let worker = std::thread::spawn(process);
        worker.join().unwrap();
    });
}

// MUST NOT fire: awaited inside the guarded future.
pub async fn awaited() {
    let _ = AssertUnwindSafe(async {
        tokio::spawn(handle()).await.unwrap();
    })
    .catch_unwind()
    .await;
}

// MUST NOT fire: scoped threads: the scope re-raises their panics.
pub fn scoped() {
    let _ = panic::catch_unwind(|| {
        std::thread::scope(|s| {
            s.spawn(process);
        });
    });
}

// MUST NOT fire: the handle leaves the guard and is joined by the caller.
pub fn returned() -> std::thread::JoinHandle<()> {
    panic::catch_unwind(|| std::thread::spawn(process)).unwrap()
}

// MUST NOT fire: no spawn inside, or the `catch_unwind` is inside the spawned work.
pub fn inside() {
    let _ = panic::catch_unwind(process);
    let t = std::thread::spawn(|| {
        let _ = panic::catch_unwind(process);
    });
    t.join().unwrap();
}
