//@ warn: static_mut
static mut REQUESTS: usize = 0; //~ static_mut
pub static mut READY: bool = false; //~ static_mut
static mut BUFFER: *mut u8 = std::ptr::null_mut(); //~ static_mut
static mut CONFIG: Option<String> = None; //~ static_mut
static mut LOG: Vec<String> = Vec::new(); //~ static_mut

fn handle() {
    unsafe { REQUESTS += 1 };
    static mut CALLS: u32 = 0; //~ static_mut
    unsafe { CALLS += 1 };
}

mod inner {
    pub(crate) static mut DEPTH: i64 = -1; //~ static_mut
}

#[cfg(test)]
mod tests {
    // Tests run in parallel: a `static mut` races there too.
    static mut SEEN: u8 = 0; //~ static_mut

    #[test]
    fn counts() {
        unsafe { SEEN += 1 };
    }
}

fn main() {
    handle();
}

// Written under a `Once`, but read without it: the read races with the write.
mod half_once {
    use std::sync::Once;
    static INIT: Once = Once::new();
    static mut VALUE: u32 = 0; //~ static_mut

    pub fn init() {
        INIT.call_once(|| unsafe { VALUE = 7 });
    }

    pub fn read() -> u32 {
        unsafe { VALUE }
    }
}

// Every access is in `call_once`, but the static is `pub`: other files may touch it.
pub mod public_once {
    use std::sync::Once;
    static INIT: Once = Once::new();
    pub static mut VALUE: u32 = 0; //~ static_mut

    pub fn init() {
        INIT.call_once(|| unsafe { VALUE = 7 });
    }
}

// A guard taken after the access does not protect it.
mod late_guard {
    use std::sync::Mutex;
    static LOCK: Mutex<()> = Mutex::new(());
    static mut COUNT: u32 = 0; //~ static_mut

    pub fn bump() {
        unsafe { COUNT += 1 };
        let _g = LOCK.lock().unwrap();
    }
}

// Relaxed atomics order nothing.
mod relaxed_flag {
    use std::sync::atomic::{AtomicBool, Ordering};
    static READY: AtomicBool = AtomicBool::new(false);
    static mut DATA: u64 = 0; //~ static_mut

    pub fn publish(v: u64) {
        unsafe { DATA = v };
        READY.store(true, Ordering::Relaxed);
    }
}

// A test that starts threads shares its local static with them.
#[test]
fn threads_share_the_counter() {
    static mut HITS: u32 = 0; //~ static_mut
    let t = std::thread::spawn(|| unsafe { HITS += 1 });
    unsafe { HITS += 1 };
    t.join().unwrap();
}
