//@ test-file
// A file under `tests/` is test code as a whole, helpers included.
use std::thread;
use std::time::Duration;

pub fn helper_waits() {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = thread::spawn(move || tx.send(1).unwrap());
    thread::sleep(Duration::from_millis(20)); //~ sleep_in_test
    assert_eq!(rx.try_recv(), Ok(1));
    h.join().unwrap();
}
