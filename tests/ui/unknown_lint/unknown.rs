use std::sync::mpsc::Receiver;

pub fn misspelt(rx: Receiver<u32>) {
    // taskcheck: allow(detached_spwan) -- serves until exit //~ unknown_lint
    std::thread::spawn(move || loop { let _ = rx.recv(); }); //~ detached_spawn
}

// taskcheck: alow(detached_spawn) //~ unknown_lint
pub fn malformed() {}

// taskcheck: allow(parse_error) //~ unknown_lint
pub fn not_a_finding() {}

// taskcheck: allow(no_such_thing_at_all) //~ unknown_lint
pub fn far_from_any_lint() {}
