use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

pub fn spawn_counter(hits: Arc<AtomicUsize>) {
    std::thread::spawn(move || hits.fetch_add(1, Ordering::SeqCst));
}

pub fn counter_handle(hits: Arc<AtomicUsize>) -> JoinHandle<usize> {
    std::thread::spawn(move || hits.fetch_add(1, Ordering::SeqCst))
}
