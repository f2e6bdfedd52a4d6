//@ warn: blocking_in_async, uncancellable_loop
//@ deps: tokio, tokio-util, smol
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

async fn flush() {}

struct Service {
    worker: tokio::task::JoinHandle<()>,
}

// MUST NOT fire: the handle is joined, awaited, aborted, stored, returned or collected.
pub async fn kept() -> tokio::task::JoinHandle<()> {
    let awaited = tokio::spawn(async { loop { flush().await; } }); //~ uncancellable_loop
    awaited.await.unwrap();
    let aborted = tokio::spawn(async { loop { flush().await; } });
    aborted.abort();
    let mut all = Vec::new();
    all.push(tokio::spawn(async { loop { flush().await; } }));
    for h in all {
        h.await.unwrap();
    }
    let _service = Service { worker: tokio::spawn(async { loop { flush().await; } }) };
    let joined = std::thread::spawn(|| loop { std::hint::spin_loop() }); //~ uncancellable_loop
    joined.join().unwrap(); //~ blocking_in_async
    tokio::spawn(async { loop { flush().await; } })
}

// MUST NOT fire: JoinSet, TaskTracker and scoped threads manage their spawns.
pub async fn managed() {
    let mut set = JoinSet::new();
    set.spawn(async { loop { flush().await; } });
    let tracker = TaskTracker::new();
    tracker.spawn(async { loop { flush().await; } }); //~ uncancellable_loop
    std::thread::scope(|s| {
        s.spawn(|| loop { std::hint::spin_loop() }); //~ uncancellable_loop
    });
    set.shutdown().await;
}

// MUST NOT fire: the body watches a token, a shutdown channel or a stop flag.
pub fn cancellable(token: CancellationToken, mut shutdown: mpsc::Receiver<()>, stop: Arc<AtomicBool>) {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = flush() => {}
            }
        }
    });
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.recv() => return,
                _ = flush() => {}
            }
        }
    });
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::hint::spin_loop();
        }
    });
}

// MUST NOT fire: ends when the senders drop; finite bodies; loops with an exit.
pub fn finite(mut rx: mpsc::Receiver<u32>) {
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            let _ = m;
        }
    });
    tokio::spawn(async { flush().await });
    tokio::spawn(async {
        loop {
            if std::env::var("X").is_ok() {
                break;
            }
            flush().await;
        }
    });
    std::thread::spawn(|| -> std::io::Result<()> {
        loop {
            std::fs::read("x")?;
        }
    });
}

// MUST NOT fire: a smol task dropped at once is cancelled, which `task_dropped_on_spawn` reports.
pub fn smol_dropped() {
    let _ = smol::spawn(async { loop { smol::future::yield_now().await; } }); //~ task_dropped_on_spawn
}

// MUST NOT fire: a local function named `spawn` is not tokio's.
fn spawn<F>(_f: F) {}
pub fn local_spawn() {
    spawn(async { loop { flush().await; } });
}
