//@ deps: parking_lot, lazy_static
// Locks in `lazy_static!` statics, taken in opposite orders by two functions. parking_lot's
// `lock()` has no `unwrap()`: the lock is known by the static's declared type.
use lazy_static::lazy_static;
use parking_lot::Mutex;

lazy_static! {
    static ref USERS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static ref SESSIONS: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    static ref NAMES: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static ref IDS: Mutex<Vec<u64>> = Mutex::new(Vec::new());
}

pub fn login(name: &str, id: u64) {
    let mut users = USERS.lock();
    let mut sessions = SESSIONS.lock();
    users.push(name.to_string());
    sessions.push(id);
}

// MUST: `SESSIONS` then `USERS`, the opposite of `login`.
pub fn logout(id: u64) {
    let mut sessions = SESSIONS.lock();
    sessions.retain(|s| *s != id);
    USERS.lock().pop(); //~ lock_order_inversion
}

// Fine: `NAMES` then `IDS` in both functions.
pub fn add(name: &str, id: u64) {
    let mut names = NAMES.lock();
    let mut ids = IDS.lock();
    names.push(name.to_string());
    ids.push(id);
}

pub fn remove(id: u64) {
    let mut names = NAMES.lock();
    let mut ids = IDS.lock();
    ids.retain(|i| *i != id);
    names.pop();
}

thread_local! {
    static SCRATCH: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
}

// Fine: each thread has its own `SCRATCH`, so two threads never wait for each other's.
pub fn fill() {
    SCRATCH.with(|s| {
        let _s = s.lock().unwrap();
        NAMES.lock().clear();
    });
}

pub fn drain() {
    let _names = NAMES.lock();
    SCRATCH.with(|s| s.lock().unwrap().clear());
}
