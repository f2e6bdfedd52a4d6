//@ test-attributes: rstest, test_case
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

// `test-attributes` in the configuration: `#[rstest]` marks a test like `#[test]`.
#[rstest]
fn rstest_then_sleep() {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || flag.store(true, Ordering::SeqCst));
    std::thread::sleep(Duration::from_millis(100)); //~ sleep_in_test
    assert!(done.load(Ordering::SeqCst));
}

// An attribute not in the list is not a test.
#[bench_case]
fn not_a_test() {
    let h = std::thread::spawn(|| {});
    std::thread::sleep(Duration::from_millis(100));
    h.join().unwrap();
}
