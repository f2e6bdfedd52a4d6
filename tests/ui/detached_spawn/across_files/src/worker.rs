use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;

pub fn run(rx: Receiver<u32>) {
    loop {
        let _ = rx.try_recv();
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

pub fn run_until_closed(rx: Receiver<u32>) {
    while let Ok(n) = rx.recv() {
        println!("{n}");
    }
}

pub fn run_until_stopped(stop: Arc<AtomicBool>) {
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
