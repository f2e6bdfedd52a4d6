//@ deps: tokio
//! taskcheck: allow(rule-8) -- this file's tests wait on wall-clock timers on purpose
use std::sync::mpsc::Receiver;
use std::time::Duration;

async fn flush() {}

// A rule group suppresses every lint of its rule, as `-A rule-1` does.
pub fn by_rule(rx: Receiver<u32>) {
    // taskcheck: allow(rule-1) -- the worker lives as long as the process
    std::thread::spawn(move || loop { let _ = rx.recv(); });
}

// `all` suppresses whatever is found under it.
// taskcheck: allow(all) -- generated glue, reviewed by hand
pub fn everything() {
    tokio::spawn(async { loop { flush().await; } });
}

// A group whose lints are all off for the run is not unused: it is needed once they are on
// (`unnamed_thread`, the only `labels` lint, is allow-by-default).
pub fn named_later() -> std::thread::JoinHandle<()> {
    std::thread::spawn(|| {}) // taskcheck: allow(labels)
}

#[test]
fn file_level() {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = std::thread::spawn(move || tx.send(1).unwrap());
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(rx.try_recv(), Ok(1));
    h.join().unwrap();
}
