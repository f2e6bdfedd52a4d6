//@ deps: tokio
// A spawned closure or async block that only calls a method of a local whose type the
// function shows (`Type::new(…)`, `Type { … }`, `: Type`, also inside `Arc::new`) runs that
// method's loop.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::Duration;

pub struct Flusher {
    path: String,
}

impl Flusher {
    pub fn new(path: String) -> Flusher {
        Flusher { path }
    }

    fn run(self) {
        loop {
            std::fs::write(&self.path, b"tick").ok();
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

pub struct Reporter {
    every: Duration,
    running: Arc<AtomicBool>,
}

impl Reporter {
    async fn report(self) {
        let mut tick = tokio::time::interval(self.every);
        loop {
            tick.tick().await;
            println!("alive");
        }
    }

    fn run_while_running(self) {
        while self.running.load(Ordering::Relaxed) {
            std::thread::sleep(self.every);
        }
    }
}

pub struct Drain {
    rx: Receiver<u32>,
}

impl Drain {
    fn run(self) -> u32 {
        let mut total = 0;
        while let Ok(n) = self.rx.recv() {
            total += n;
        }
        total
    }
}

pub fn start_flusher(path: String) {
    let flusher = Flusher::new(path);
    std::thread::spawn(move || flusher.run()); //~ detached_spawn
}

pub fn start_reporter(every: Duration, running: Arc<AtomicBool>) {
    let reporter = Reporter { every, running };
    tokio::spawn(async move { reporter.report().await }); //~ detached_spawn
}

pub fn start_annotated(flusher: Flusher) {
    std::thread::spawn(move || flusher.run()); //~ detached_spawn
}

pub struct Ticker {
    every: Duration,
}

impl Ticker {
    fn new(every: Duration) -> Ticker {
        Ticker { every }
    }

    fn tick_forever(&self) {
        loop {
            std::thread::sleep(self.every);
            println!("tick");
        }
    }

    fn tick_while(&self, running: &AtomicBool) {
        while running.load(Ordering::Relaxed) {
            std::thread::sleep(self.every);
        }
    }
}

pub fn start_shared_ticker(every: Duration) -> Arc<Ticker> {
    let ticker = Arc::new(Ticker::new(every));
    let shared = ticker.clone();
    // Not followed: the type of a clone is not looked up.
    std::thread::spawn(move || shared.tick_forever());
    let boxed = Box::new(Ticker { every });
    std::thread::spawn(move || boxed.tick_forever()); //~ detached_spawn
    let annotated: Arc<Ticker> = Arc::new(Ticker::new(every));
    std::thread::spawn(move || annotated.tick_forever()); //~ detached_spawn
    ticker
}

// Silent: the loop checks a stop flag.
pub fn start_stoppable_ticker(every: Duration, running: Arc<AtomicBool>) {
    let ticker = std::sync::Arc::new(Ticker::new(every));
    std::thread::spawn(move || ticker.tick_while(&running));
}

// Silent: the loop checks a stop flag.
pub fn start_stoppable(every: Duration, running: Arc<AtomicBool>) {
    let reporter = Reporter { every, running };
    std::thread::spawn(move || reporter.run_while_running());
}

// Silent: the loop ends when the channel's senders are gone.
pub fn start_drain(rx: Receiver<u32>) {
    let drain = Drain { rx };
    std::thread::spawn(move || drain.run());
}

// Silent: the handle is kept and joined.
pub fn start_joined(path: String) {
    let flusher = Flusher::new(path);
    let handle = std::thread::spawn(move || flusher.run());
    handle.join().unwrap();
}

// Silent: the receiver's type is not known here (a generic parameter).
pub fn start_generic<T: Runner + Send + 'static>(runner: T) {
    std::thread::spawn(move || runner.run());
}

pub trait Runner {
    fn run(self);
}
