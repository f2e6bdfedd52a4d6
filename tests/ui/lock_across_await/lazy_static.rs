//@ deps: parking_lot, lazy_static, tokio
// A parking_lot guard of a `lazy_static!` mutex held across an `.await`: the lock is known by
// the static's declared type (its `lock()` has no `unwrap()`).
use lazy_static::lazy_static;

lazy_static! {
    static ref SEEN: parking_lot::Mutex<Vec<u64>> = parking_lot::Mutex::new(Vec::new());
}

async fn fetch(id: u64) -> u64 {
    id
}

// MUST: the guard lives across the `.await`.
pub async fn remember(id: u64) {
    let mut seen = SEEN.lock(); //~ lock_across_await
    let v = fetch(id).await;
    seen.push(v);
}

// Fine: the guard is dropped before the `.await`.
pub async fn remember_fixed(id: u64) {
    let v = fetch(id).await;
    SEEN.lock().push(v);
}
