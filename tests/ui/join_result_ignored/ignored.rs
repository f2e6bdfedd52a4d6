//@ warn: join_result_ignored
//@ deps: tokio
use std::thread;

fn flush() -> u32 {
    1
}

// MUST fire: `let _ = handle.join();`
pub fn let_underscore() {
    let writer = thread::spawn(flush);
    let _ = writer.join(); //~ join_result_ignored
}

// MUST fire: `handle.join().ok();`
pub fn ok_discarded() {
    let handle = thread::spawn(flush);
    handle.join().ok(); //~ join_result_ignored
}

// The spawn expression itself, a builder's handle, `drop(…)`.
pub fn spawn_expr_and_builder() -> std::io::Result<()> {
    let _ = thread::spawn(flush).join(); //~ join_result_ignored
    let reader_handle = thread::Builder::new().name("reader".into()).spawn(flush)?;
    drop(reader_handle.join()); //~ join_result_ignored
    Ok(())
}

// Scoped threads: a panic joined by hand is not re-raised by the scope.
pub fn scoped() {
    thread::scope(|s| {
        let h = s.spawn(flush);
        let _ = h.join(); //~ join_result_ignored
    });
}

// MUST fire: `let _ = handle.await;` and `_ = handle.await;` on tokio's `JoinHandle`.
pub async fn tokio_await() {
    let task = tokio::spawn(async { flush() });
    let _ = task.await; //~ join_result_ignored
    let h = tokio::task::spawn_blocking(flush);
    _ = h.await; //~ join_result_ignored
    let _ = tokio::spawn(async { flush() }).await; //~ join_result_ignored
    tokio::spawn(async { flush() }).await.ok(); //~ join_result_ignored
}

// Elements of a collection of handles.
pub fn elements() {
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(thread::spawn(flush));
    }
    for h in handles {
        let _ = h.join(); //~ join_result_ignored
    }
    let more: Vec<_> = (0..4).map(|_| thread::spawn(flush)).collect();
    more.into_iter().for_each(|h| {
        h.join().ok(); //~ join_result_ignored
    });
}
