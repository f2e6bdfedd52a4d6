use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

static REQUESTS: AtomicUsize = AtomicUsize::new(0);
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
const LIMIT: usize = 10;
static NAME: &str = "static mut in a string";

extern "C" {
    // A C library's global: Rust cannot change how it is shared.
    static mut errno: i32;
}

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

macro_rules! declare {
    () => {
        static mut HIDDEN: u8 = 0;
    };
}

fn main() {
    let mut local = 0;
    local += LIMIT;
    REQUESTS.fetch_add(local, Ordering::Relaxed);
    LOG.lock().unwrap().push(NAME.to_string());
    DEPTH.with(|d| d.set(d.get() + 1));
}
