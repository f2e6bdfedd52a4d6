//@ deps: parking_lot, lazy_static
// A `lazy_static!` read-write lock read twice by one thread; parking_lot's `read()` has no
// `unwrap()`, so the lock is known by the static's declared type.
use lazy_static::lazy_static;
use parking_lot::RwLock;

lazy_static! {
    static ref ROUTES: RwLock<Vec<String>> = RwLock::new(Vec::new());
}

// MUST: a writer queued between the two reads blocks the second one.
pub fn describe() -> String {
    let routes = ROUTES.read();
    let count = ROUTES.read().len(); //~ recursive_read_lock
    format!("{} routes, first {:?}", count, routes.first())
}

// Fine: one read guard for the whole function.
pub fn describe_fixed() -> String {
    let routes = ROUTES.read();
    format!("{} routes, first {:?}", routes.len(), routes.first())
}
