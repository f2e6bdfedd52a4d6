//@ deps: parking_lot, lazy_static, once_cell
// Locks in statics declared by `lazy_static!`, `once_cell`'s `Lazy`, std's `LazyLock` and
// `OnceLock`, and `thread_local!`. parking_lot's `lock()` has no `unwrap()`: the lock is known
// by the static's declared type.
use lazy_static::lazy_static;
use once_cell::sync::Lazy;
use std::sync::{LazyLock, Mutex, OnceLock};

lazy_static! {
    static ref REGISTRY: Mutex<Vec<u32>> = Mutex::new(Vec::new());
    /// The spliced item keeps its attributes and visibility.
    pub static ref CACHE: parking_lot::Mutex<Vec<u32>> = parking_lot::Mutex::new(Vec::new());
    static ref OTHER: parking_lot::Mutex<u32> = parking_lot::Mutex::new(0);
}

static POOL: Lazy<parking_lot::Mutex<Vec<u32>>> = Lazy::new(|| parking_lot::Mutex::new(Vec::new()));
static TABLE: LazyLock<Mutex<Vec<u32>>> = LazyLock::new(|| Mutex::new(Vec::new()));
static CONFIG: OnceLock<Mutex<u32>> = OnceLock::new();

thread_local! {
    static LOCAL: Mutex<u32> = Mutex::new(0);
    static OTHER_LOCAL: Mutex<u32> = Mutex::new(0);
}

// MUST: a `lazy_static!` std mutex locked twice.
pub fn register(n: u32) {
    let mut all = REGISTRY.lock().unwrap();
    all.push(n);
    let len = REGISTRY.lock().unwrap().len(); //~ double_lock
    all.push(len as u32);
}

// MUST: parking_lot's `lock()` returns the guard itself.
pub fn cache(n: u32) {
    let mut c = CACHE.lock();
    if c.is_empty() {
        CACHE.lock().push(n); //~ double_lock
    }
    c.push(n);
}

// MUST: through a helper of the file.
pub fn refill() {
    let _pool = POOL.lock();
    pool_len(); //~ double_lock
}

fn pool_len() -> usize {
    POOL.lock().len()
}

// MUST: `LazyLock<Mutex<…>>`.
pub fn table() -> usize {
    let t = TABLE.lock().unwrap();
    let again = TABLE.lock().unwrap(); //~ double_lock
    t.len() + again.len()
}

// MUST: a `OnceLock` reached by `get_or_init` and by `get()`: the same lock.
pub fn config() -> u32 {
    let c = CONFIG.get_or_init(|| Mutex::new(0));
    let guard = c.lock().unwrap();
    let other = *CONFIG.get().unwrap().lock().unwrap(); //~ double_lock
    *guard + other
}

// MUST: a thread-local mutex locked twice in one `with`.
pub fn local() {
    LOCAL.with(|l| {
        let _g = l.lock().unwrap();
        *l.lock().unwrap() += 1; //~ double_lock
    });
}

// MUST: `with` runs its closure on the spot, and `bump_local` locks this thread's `LOCAL`
// again.
pub fn local_through_call() {
    LOCAL.with(|l| {
        let _g = l.lock().unwrap();
        bump_local(); //~ double_lock
    });
}

fn bump_local() {
    LOCAL.with(|l| *l.lock().unwrap() += 1);
}

// Fine: two thread-locals are two locks.
pub fn two_locals() {
    LOCAL.with(|l| {
        let _g = l.lock().unwrap();
        OTHER_LOCAL.with(|o| *o.lock().unwrap() += 1);
    });
}

// Fine: the guard is gone before the second `with`.
pub fn local_fixed() {
    let n = LOCAL.with(|l| *l.lock().unwrap());
    bump_local();
    LOCAL.with(|l| *l.lock().unwrap() += n);
}

// Fine: the guard is gone before the second lock.
pub fn register_fixed(n: u32) {
    let len = {
        let all = REGISTRY.lock().unwrap();
        all.len()
    };
    REGISTRY.lock().unwrap().push(n + len as u32);
}

// Fine: two different statics.
pub fn two_statics() -> u32 {
    let c = CACHE.lock();
    let o = OTHER.lock();
    c.len() as u32 + *o
}

// Fine: `try_lock` fails instead of waiting.
pub fn try_again() -> bool {
    let _c = CACHE.lock();
    CACHE.try_lock().is_some()
}

// Fine: one lock for the whole function.
pub fn table_fixed() -> usize {
    let t = TABLE.lock().unwrap();
    t.len() * 2
}
