// A test crate of its own folder: `tests/it/main.rs` declares `tests/it/util.rs`.
mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

// MUST: `util::spawn_counter` spawns a thread and returns while it runs.
#[test]
fn counter_runs() {
    let hits = Arc::new(AtomicUsize::new(0));
    util::spawn_counter(hits.clone());
    std::thread::sleep(Duration::from_millis(10)); //~ sleep_in_test
    assert!(hits.load(Ordering::SeqCst) > 0);
}

// MUST NOT: the helper returns the handle and the test joins it before checking.
#[test]
fn counter_joined() {
    let hits = Arc::new(AtomicUsize::new(0));
    let handle = util::counter_handle(hits.clone());
    std::thread::sleep(Duration::from_millis(10));
    handle.join().unwrap();
    assert!(hits.load(Ordering::SeqCst) > 0);
}
