//! Spawned work whose loop is in a function of another file.
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

mod poller;
mod pump;
mod worker;
use crate::poller::poll_forever;
use crate::pump::Pump;

/// `worker::run` loops forever: nothing stops this thread.
pub fn start(rx: Receiver<u32>) {
    std::thread::spawn(move || worker::run(rx)); //~ detached_spawn
}

/// `poll_forever`, brought in by a `use`, loops forever: nothing stops this task.
pub async fn start_task(n: u32) {
    tokio::spawn(poll_forever(n)); //~ detached_spawn
}

/// `run_until_closed` ends when the channel's senders are gone.
pub fn start_until_closed(rx: Receiver<u32>) {
    std::thread::spawn(move || worker::run_until_closed(rx));
}

/// `run_until_stopped` checks a stop flag.
pub fn start_stoppable(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || worker::run_until_stopped(stop));
}

/// The handle is kept and joined.
pub fn start_joined(rx: Receiver<u32>) {
    let handle = std::thread::spawn(move || worker::run(rx));
    handle.join().unwrap();
}

/// `Pump::run`, an associated function in `pump.rs`, loops forever: nothing stops this thread.
pub fn start_pump(rx: Receiver<u32>) {
    std::thread::spawn(move || Pump::run(rx)); //~ detached_spawn
}

/// `Pump::drain` ends when the channel's senders are gone.
pub fn start_drain(rx: Receiver<u32>) {
    std::thread::spawn(move || Pump::drain(rx));
}

/// `Pump::pump`, a method in `pump.rs`, loops forever: nothing stops this thread.
pub fn start_pump_method(rx: Receiver<u32>) {
    let pump = Pump::new(rx);
    std::thread::spawn(move || pump.pump()); //~ detached_spawn
}

/// `Pump::pump_until_closed` ends when the channel's senders are gone.
pub fn start_pump_until_closed(rx: Receiver<u32>) {
    let pump = Pump::new(rx);
    std::thread::spawn(move || pump.pump_until_closed());
}
