use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub fn start_worker(flag: Arc<AtomicBool>) {
    std::thread::spawn(move || flag.store(true, Ordering::SeqCst));
}

pub fn run_worker(flag: Arc<AtomicBool>) {
    let handle = std::thread::spawn(move || flag.store(true, Ordering::SeqCst));
    handle.join().unwrap();
}
