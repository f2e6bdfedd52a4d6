//@ warn: join_result_ignored
//@ deps: tokio, async-std, smol
use std::path::Path;
use std::thread;

fn flush() -> u32 {
    1
}

// MUST NOT fire: the result is used: unwrapped, matched, propagated, bound, inspected.
pub fn handled() -> Result<(), Box<dyn std::error::Error>> {
    let a = thread::spawn(flush);
    a.join().unwrap();
    let b = thread::spawn(flush);
    if let Err(panic) = b.join() {
        std::panic::resume_unwind(panic);
    }
    let c = thread::spawn(flush);
    let result = c.join();
    assert!(result.is_ok());
    let d = thread::spawn(flush);
    if d.join().ok().is_none() {
        return Err("worker panicked".into());
    }
    Ok(())
}

// MUST NOT fire: a thread that panics on purpose (to poison a lock), and a `#[should_panic]`
// test.
#[test]
fn poison() {
    let lock = std::sync::Arc::new(std::sync::Mutex::new(0));
    let lock2 = lock.clone();
    let _: Result<(), _> = thread::spawn(move || {
        let _guard = lock2.lock().unwrap();
        panic!("poison it");
    })
    .join();
    assert!(lock.lock().is_err());
    let unwind = move || {
        let _guard = lock.lock();
        panic!("unwind past the guard");
    };
    let _ = thread::spawn(unwind).join();
}

#[tokio::test]
#[should_panic]
async fn expected_panic() {
    let _ = tokio::task::spawn_blocking(flush).await;
}

// MUST NOT fire: a bare `handle.join();` is rustc's `unused_must_use` warning already.
#[allow(unused_must_use)]
pub fn bare_statement() {
    let h = thread::spawn(flush);
    h.join();
}

// MUST NOT fire: after `abort()` the `JoinError` is the expected cancellation.
pub async fn after_abort() {
    let h = tokio::spawn(async { flush() });
    h.abort();
    let _ = h.await;
}

// MUST NOT fire: async-std's `JoinHandle` and smol's `Task` re-raise the panic on `.await`.
pub async fn propagating_runtimes() {
    let a = async_std::task::spawn(async { flush() });
    let _ = a.await;
    let b = smol::spawn(async { flush() });
    let _ = b.await;
}

// MUST NOT fire: `select!` and `join!` write the `.await`, and `JoinSet` results.
pub async fn macros() {
    let a = tokio::spawn(async { flush() });
    let b = tokio::spawn(async { flush() });
    tokio::select! {
        _ = a => {}
        _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
    }
    let _ = tokio::join!(b);
    let mut set = tokio::task::JoinSet::new();
    set.spawn(async { flush() });
    let _ = set.join_next().await;
}

// MUST NOT fire: `join` that is not a thread's (paths, strings). Handles received from
// elsewhere are in `held_elsewhere.rs`.
pub fn other_joins(parts: &[&str]) {
    let _ = Path::new("a").join("b");
    let _ = parts.join(",");
}
