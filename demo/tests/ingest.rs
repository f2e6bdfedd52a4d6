use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

fn process(counter: &AtomicUsize) {
    counter.fetch_add(1, Ordering::SeqCst);
}

/// Waits 50 ms and hopes the worker is done by then: flaky on a busy CI machine.
#[test]
fn worker_counts_records() {
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    thread::spawn(move || process(&seen));
    thread::sleep(Duration::from_millis(50));
    assert_eq!(counter.load(Ordering::SeqCst), 1);
}

/// Waits for the event itself: the worker says when it is done.
#[test]
fn worker_reports_completion() {
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        process(&seen);
        done_tx.send(()).unwrap();
    });
    done_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    worker.join().unwrap();
    assert_eq!(counter.load(Ordering::SeqCst), 1);
}

/// Paused time: the sleep advances a virtual clock instantly.
#[tokio::test(start_paused = true)]
async fn batches_flush_after_a_second() {
    let flushed = Arc::new(AtomicUsize::new(0));
    let seen = flushed.clone();
    let task = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        seen.fetch_add(1, Ordering::SeqCst);
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    task.await.unwrap();
    assert_eq!(flushed.load(Ordering::SeqCst), 1);
}
