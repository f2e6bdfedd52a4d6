//@ deps: parking_lot
// MUST NOT: the file implements a condition variable (it defines `Condvar`, here an alias as
// parking_lot does); its test waits
// with a second mutex held on purpose, to see the misuse panic. The same wait in a file that
// only uses a `Condvar` is reported (`condvar_wait_holding_lock.rs`, `fast_wait_holding`).
use parking_lot::{Mutex, MutexGuard};

pub type Condvar = parking_lot::Condvar;

pub fn wait<T>(c: &Condvar, g: &mut MutexGuard<'_, T>) {
    c.wait(g);
}

#[test]
#[should_panic]
fn two_mutexes() {
    let m = Mutex::new(());
    let m3 = Mutex::new(());
    let c = Condvar::new();
    let _g = m.lock();
    c.wait(&mut m3.lock());
}
