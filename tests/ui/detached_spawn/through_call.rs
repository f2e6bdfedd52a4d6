//@ deps: tokio
// A spawned closure or async block that only calls a function of this file runs that
// function's loop: the loop is looked for there, one call deep.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn flush_forever(path: String) {
    loop {
        std::fs::write(&path, b"tick").ok();
        std::thread::sleep(Duration::from_secs(1));
    }
}

async fn report_forever(every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        println!("alive");
    }
}

pub fn start_flusher(path: String) {
    std::thread::spawn(move || flush_forever(path)); //~ detached_spawn
}

pub fn start_reporter() {
    tokio::spawn(async move { report_forever(Duration::from_secs(5)).await }); //~ detached_spawn
}

// The loop ends when it is told to.
fn flush_until(path: String, flag: Arc<AtomicBool>) {
    while !flag.load(Ordering::Relaxed) {
        std::fs::write(&path, b"tick").ok();
        std::thread::sleep(Duration::from_secs(1));
    }
}

pub fn start_stoppable(path: String, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || flush_until(path, stop));
}

// The shutdown signal is handed to the function under another name: the call shows it.
fn pump(path: String, flag: Arc<AtomicBool>) {
    loop {
        if flag.load(Ordering::Relaxed) {
            std::process::exit(0);
        }
        std::fs::write(&path, b"tick").ok();
    }
}

pub fn start_pump(path: String, shutdown: Arc<AtomicBool>) {
    std::thread::spawn(move || pump(path, shutdown));
}

// The handle is kept and joined: not detached.
pub fn run_flusher(path: String) {
    let handle = std::thread::spawn(move || flush_forever(path));
    handle.join().unwrap();
}

// More than one call: not looked into.
pub fn start_two(path: String) {
    std::thread::spawn(move || {
        println!("starting");
        flush_forever(path)
    });
}
