// A closure that borrows `self` or the function's locals, handed to a method that is not a
// spawn, runs during that call, while the caller's guards are held: locking the same lock in
// it waits for the caller's own guard.
use std::sync::Mutex;

pub trait Visit<T> {
    fn visit_each(&self, f: impl FnMut(&T));
}

impl<T> Visit<T> for Vec<T> {
    fn visit_each(&self, mut f: impl FnMut(&T)) {
        for x in self {
            f(x);
        }
    }
}

pub struct Table {
    rows: Mutex<Vec<u32>>,
    total: Mutex<u64>,
}

impl Table {
    pub fn sum(&self) {
        let rows = self.rows.lock().unwrap();
        rows.visit_each(|r| {
            let n = self.rows.lock().unwrap().len(); //~ double_lock
            *self.total.lock().unwrap() += u64::from(*r) + n as u64;
        });
    }

    // Another lock in the callback: no re-lock.
    pub fn add_up(&self) {
        let rows = self.rows.lock().unwrap();
        rows.visit_each(|r| *self.total.lock().unwrap() += u64::from(*r));
    }

    // A `move` closure may be kept and run later: not taken to run under the guard.
    pub fn later(&self, hooks: &mut Vec<Box<dyn FnMut()>>, rows: std::sync::Arc<Mutex<Vec<u32>>>) {
        let _g = rows.lock().unwrap();
        let again = rows.clone();
        hooks.push(Box::new(move || again.lock().unwrap().clear()));
    }
}
