//@ deps: tokio
use std::sync::mpsc::Receiver;

// A group that suppresses nothing is unused, like a lint name.
// taskcheck: allow(rule-8) -- no test sleeps here any more //~ unused_suppression
pub fn nothing_here() {}

// `all` with no finding under it.
pub fn clean() -> u32 {
    1 + 1 // taskcheck: allow(all) //~ unused_suppression
}

// The group is used, the lint name beside it is not: only the name goes.
pub fn group_used(rx: Receiver<u32>) {
    // taskcheck: allow(rule-1, sleep_in_test) -- serves until exit //~ unused_suppression
    std::thread::spawn(move || loop { let _ = rx.recv(); });
}
