//@ test-file
// A file under `tests/` is test code as a whole, helpers included.
use std::thread;
use std::time::Duration;

pub fn helper_waits() {
    let h = thread::spawn(|| {});
    thread::sleep(Duration::from_millis(20)); //~ sleep_in_test
    h.join().unwrap();
}
