//@ warn: uncancellable_loop
//@ deps: tokio, tokio-util, async-std
use std::sync::mpsc;
use tokio_util::task::TaskTracker;

async fn flush() {}
fn work() {}

// MUST fire: a joined std thread whose loop never checks a stop signal (join hangs).
pub fn joined_thread(jobs: mpsc::Receiver<u32>) {
    let worker = std::thread::spawn(move || {
        loop { //~ uncancellable_loop
            let _ = jobs.try_recv();
            work();
        }
    });
    worker.join().unwrap();
}

// MUST fire: a kept std thread handle does not make the loop stoppable.
pub struct Pool {
    workers: Vec<std::thread::JoinHandle<()>>,
}

pub fn stored_thread(pool: &mut Pool) {
    let handle = std::thread::Builder::new()
        .name("flusher".into())
        .spawn(|| while true { work() }) //~ uncancellable_loop
        .unwrap();
    pool.workers.push(handle);
}

// MUST fire: a scoped thread that loops forever keeps the scope from ever returning.
pub fn scoped() {
    std::thread::scope(|s| {
        s.spawn(|| loop { work() }); //~ uncancellable_loop
    });
}

// MUST fire: a tokio task awaited but never cancelled, with no abort in sight.
pub async fn awaited_task() {
    let task = tokio::spawn(async {
        loop { //~ uncancellable_loop
            flush().await;
        }
    });
    task.await.unwrap();
}

// MUST fire: `abort()` cannot stop a `spawn_blocking` task.
pub async fn blocking_task() {
    let task = tokio::task::spawn_blocking(|| loop { work() }); //~ uncancellable_loop
    task.abort();
}

// MUST fire: a tracked task that never ends: `tracker.wait()` never returns.
pub async fn tracked(tracker: TaskTracker) {
    tracker.spawn(async {
        loop { //~ uncancellable_loop
            flush().await;
        }
    });
    tracker.close();
    tracker.wait().await;
}

// MUST fire: an async-std task awaited with no `cancel()` anywhere.
pub async fn async_std_task() {
    let task = async_std::task::spawn(async {
        loop { //~ uncancellable_loop
            flush().await;
        }
    });
    task.await;
}

// MUST fire: the endless loop is in the function the task runs.
async fn run_forever() {
    loop { //~ uncancellable_loop
        flush().await;
    }
}

pub async fn spawns_run() {
    tokio::spawn(run_forever()).await.unwrap();
}

// MUST fire once for a loop that two spawns share.
pub async fn spawns_run_twice() {
    let a = tokio::spawn(run_forever());
    let b = tokio::spawn(run_forever());
    let _ = (a.await, b.await);
}
