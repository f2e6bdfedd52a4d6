//@ warn: uncancellable_loop, join_result_ignored
//@ deps: tokio, tokio-util, smol
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

async fn flush() {}
fn work() {}
fn step() -> Result<(), ()> {
    Ok(())
}

// MUST NOT fire: the body selects on a token, a shutdown channel, or checks a stop flag.
pub async fn watched(token: CancellationToken, mut shutdown: mpsc::Receiver<()>, stop: Arc<AtomicBool>) {
    let a = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = flush() => {}
            }
        }
    });
    let b = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.recv() => {}
                _ = flush() => {}
            }
        }
    });
    let _ = (a.await, b.await);
    let c = std::thread::spawn(move || loop {
        if stop.load(Ordering::Relaxed) {
            std::process::exit(0);
        }
        work();
    });
    std::mem::forget(c);
}

// MUST NOT fire: the loop has a `break`, `return` or `?` path, or ends when the channel closes.
pub fn exits() {
    let a = std::thread::spawn(|| loop {
        if step().is_err() {
            break;
        }
    });
    let b = std::thread::spawn(|| -> Result<(), ()> {
        loop {
            step()?;
        }
    });
    let _ = (a.join(), b.join());
}

pub async fn channel_closes(mut rx: mpsc::Receiver<u32>) {
    let c = tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            let _ = m;
        }
    });
    let _ = c.await; //~ join_result_ignored
}

// MUST NOT fire: for tokio tasks a visible `abort()` (or `abort_handle()`) is cancellation.
pub async fn aborted() {
    let task = tokio::spawn(async {
        loop {
            flush().await;
        }
    });
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    task.abort();
    let other = tokio::spawn(async { loop { flush().await; } }).abort_handle();
    other.abort();
}

// MUST NOT fire: a `JoinSet` aborts its tasks when dropped; a smol `Task` cancels on drop.
pub async fn built_in() {
    let mut set = JoinSet::new();
    set.spawn(async { loop { flush().await; } });
    set.join_next().await;
    let task = smol::spawn(async { loop { flush().await; } });
    drop(task);
}

// MUST NOT fire: a finite body.
pub fn finite() {
    let h = std::thread::spawn(|| {
        for _ in 0..10 {
            work();
        }
    });
    h.join().unwrap();
}

// MUST NOT fire as `uncancellable_loop`: a detached endless spawn is `detached_spawn`'s.
pub fn detached() {
    tokio::spawn(async { loop { flush().await; } }); //~ detached_spawn
    std::thread::spawn(|| loop { work() }); //~ detached_spawn
}

// MUST NOT fire: in a test, the test's runtime cancels its tasks when the test returns.
#[tokio::test]
async fn load_generator() {
    let load = tokio::spawn(async { loop { flush().await; } });
    tokio::select! {
        _ = load => {}
        _ = flush() => {}
    }
}
