// Integration tests share helpers through `tests/common/mod.rs`.
mod common;

use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

// MUST: `common::start_server` spawns the server's thread and returns while it runs.
#[test]
fn server_counts_a_connection() {
    let hits = Arc::new(AtomicUsize::new(0));
    let addr = common::start_server(hits.clone());
    let _stream = TcpStream::connect(addr).unwrap();
    std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

// MUST: a task spawned by the helper, on the multi-thread runtime.
#[tokio::test(flavor = "multi_thread")]
async fn task_counts() {
    let hits = Arc::new(AtomicUsize::new(0));
    common::start_task(hits.clone());
    tokio::time::sleep(Duration::from_millis(10)).await; //~ sleep_in_test
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

// MUST NOT: on a current-thread runtime the helper's task runs before the timer fires.
#[tokio::test]
async fn task_counts_on_one_thread() {
    let hits = Arc::new(AtomicUsize::new(0));
    common::start_task(hits.clone());
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

// MUST NOT: `common::count` starts nothing; the sleep lets a deadline pass.
#[test]
fn only_reads() {
    let hits = AtomicUsize::new(0);
    let before = common::count(&hits);
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(common::count(&hits), before);
}

// MUST NOT: a function of another crate is not a helper of this one.
#[test]
fn other_crate() {
    let hits = Arc::new(AtomicUsize::new(0));
    other_crate::start(hits.clone());
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}
