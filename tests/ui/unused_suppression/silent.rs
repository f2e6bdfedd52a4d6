//@ deps: tokio
//! taskcheck: allow(sleep_in_test) -- this file's tests wait on wall-clock timers on purpose
use std::sync::mpsc::Receiver;
use std::time::Duration;

async fn flush() {}

pub fn line_above(rx: Receiver<u32>) {
    // taskcheck: allow(detached_spawn) -- the worker lives as long as the process
    std::thread::spawn(move || loop { let _ = rx.recv(); });
}

pub fn same_line() {
    tokio::spawn(async { loop { flush().await; } }); // taskcheck: allow(detached_spawn) -- process-long
}

// taskcheck: allow(detached_spawn) -- a whole item, attributes and docs between are fine
/// Starts the background flusher.
#[inline]
pub fn whole_item() {
    let _first = 1;
    tokio::spawn(async { loop { flush().await; } });
}

// taskcheck: allow(detached_spawn) -- every method of the impl
impl Pool {
    pub fn start(&self) {
        tokio::spawn(async { loop { flush().await; } });
    }
}
pub struct Pool;

// Comments that are not directives, and directives in strings, are ignored.
// taskcheck is a linter; this is prose, not a suppression.
pub const TEXT: &str = "// taskcheck: allow(detached_spawn)";

#[test]
fn file_level() {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = std::thread::spawn(move || tx.send(1).unwrap());
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(rx.try_recv(), Ok(1));
    h.join().unwrap();
}
