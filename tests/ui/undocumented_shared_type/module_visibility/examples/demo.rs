//@ warn: undocumented_shared_type
//! An example: nothing here is the library's API.
use std::sync::Mutex;

/// The example's state.
pub struct State {
    pub m: Mutex<u8>,
}

fn main() {
    let s = State { m: Mutex::new(0) };
    *s.m.lock().unwrap() += 1;
}
