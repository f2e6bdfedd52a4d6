//@ warn: condvar_wait_without_loop
// MUST NOT: the file implements a condition variable (it defines `Condvar`); its tests wait
// once to see a notification arrive. The same wait in a file that only uses a `Condvar` is
// reported (`condvar_wait_without_loop.rs`, `started_straight`).
use std::sync::{Arc, Mutex, MutexGuard};

pub struct Condvar {
    inner: std::sync::Condvar,
}

impl Condvar {
    pub fn new() -> Condvar {
        Condvar { inner: std::sync::Condvar::new() }
    }

    pub fn wait<'a, T>(&self, g: MutexGuard<'a, T>) -> std::sync::LockResult<MutexGuard<'a, T>> {
        self.inner.wait(g)
    }

    pub fn notify_one(&self) {
        self.inner.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_one() {
        let m = Arc::new(Mutex::new(()));
        let m2 = m.clone();
        let c = Arc::new(Condvar::new());
        let c2 = c.clone();
        let g = m.lock().unwrap();
        let _t = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            c2.notify_one();
        });
        let g = c.wait(g).unwrap();
        drop(g);
    }
}
