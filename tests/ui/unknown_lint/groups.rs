use std::sync::mpsc::Receiver;

// Group names are checked like lint names, with the closest group as the suggestion.
pub fn misspelt_group(rx: Receiver<u32>) {
    // taskcheck: allow(rule_1) -- serves until exit //~ unknown_lint
    std::thread::spawn(move || loop { let _ = rx.recv(); }); //~ detached_spawn
}

// taskcheck: allow(rule-13) //~ unknown_lint
pub fn no_such_rule() {}

// taskcheck: allow(al) //~ unknown_lint
pub fn short_for_all() {}
