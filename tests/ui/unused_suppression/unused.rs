//@ deps: tokio
use std::sync::mpsc::Receiver;

async fn flush() {}

// Nothing to suppress on the next line or in the item below: the whole comment goes.
// taskcheck: allow(detached_spawn) -- the worker used to live here //~ unused_suppression
pub fn nothing_here() {}

// One name is used, the other is not: only that name goes.
pub fn one_of_two(rx: Receiver<u32>) {
    // taskcheck: allow(sleep_in_test, detached_spawn) -- serves until exit //~ unused_suppression
    std::thread::spawn(move || loop { let _ = rx.recv(); });
}

// At the end of a line of code.
pub fn trailing() -> u32 {
    1 + 1 // taskcheck: allow(detached_spawn) //~ unused_suppression
}

// Two lines below the finding is too far: the finding is reported, the comment is unused.
pub fn too_far() {
    tokio::spawn(async { loop { flush().await; } }); //~ detached_spawn

    // taskcheck: allow(detached_spawn) //~ unused_suppression
}
