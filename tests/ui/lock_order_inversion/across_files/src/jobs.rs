//! Three locks in a cycle, one step in each of three files' functions: `QUEUE` → `WORKERS`
//! here, `WORKERS` → `RESULTS` and `RESULTS` → `QUEUE` through calls into `results.rs`.
use std::sync::Mutex;

mod results;

pub static QUEUE: Mutex<Vec<u32>> = Mutex::new(Vec::new());
pub static WORKERS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

pub fn dispatch() {
    let queue = QUEUE.lock().unwrap();
    let mut workers = WORKERS.lock().unwrap();
    workers.extend(queue.iter());
}

pub fn finish() {
    let workers = WORKERS.lock().unwrap();
    results::store(workers.len()); //~ lock_order_inversion
}
