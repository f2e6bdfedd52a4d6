use std::sync::mpsc::Receiver;

// taskcheck is mentioned in prose here, which is not a directive.
pub fn known(rx: Receiver<u32>) {
    // taskcheck: allow(detached_spawn) -- serves until exit
    std::thread::spawn(move || loop { let _ = rx.recv(); });
}
