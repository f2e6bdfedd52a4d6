//@ warn: static_mut
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

// Every access in a critical section the file shows.
mod once_guarded {
    use std::sync::{Once, OnceLock};
    static INIT: Once = Once::new();
    static mut SOURCE: u32 = 0;

    // Written in `call_once`, read after it in the same function.
    pub fn source() -> u32 {
        INIT.call_once(|| unsafe { SOURCE = 4 });
        unsafe { SOURCE }
    }

    static CELL: OnceLock<u32> = OnceLock::new();
    static mut SEED: u32 = 0;
    pub fn seed() -> u32 {
        *CELL.get_or_init(|| unsafe {
            SEED += 1;
            SEED
        })
    }
}

mod lock_guarded {
    use std::sync::Mutex;
    static LOCK: Mutex<()> = Mutex::new(());
    static mut COUNT: u32 = 0;

    pub fn bump() -> u32 {
        let _guard = LOCK.lock().unwrap();
        unsafe {
            COUNT += 1;
            COUNT
        }
    }
}

// Published once through an atomic with release/acquire ordering (the `log` crate's logger).
mod published {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STATE: AtomicUsize = AtomicUsize::new(0);
    static mut LOGGER: &str = "nop";

    pub fn set(name: &'static str) {
        if STATE.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            unsafe { LOGGER = name };
            STATE.store(2, Ordering::Release);
        }
    }

    pub fn get() -> &'static str {
        if STATE.load(Ordering::Acquire) == 2 {
            unsafe { LOGGER }
        } else {
            "nop"
        }
    }
}

// One value per thread.
mod per_thread {
    #[thread_local]
    static mut CURRENT: *const u8 = std::ptr::null();

    pub fn current() -> *const u8 {
        unsafe { CURRENT }
    }
}

// Declared in a test that starts no thread: only this test run reaches it.
#[test]
fn counts_drops() {
    static mut DROPS: u32 = 0;
    struct Thing;
    impl Drop for Thing {
        fn drop(&mut self) {
            unsafe { DROPS += 1 };
        }
    }
    drop(Thing);
    assert_eq!(unsafe { DROPS }, 1);
}
