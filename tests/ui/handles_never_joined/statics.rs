//@ deps: tokio
// Handles pushed into a `static`: reported only when every function that could take them out
// is in sight (a private static, no module of another file) and none does.
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

fn work(i: u32) -> u32 {
    i
}

// MUST fire: pushed and counted, never taken out.
static STARTED: Mutex<Vec<JoinHandle<u32>>> = Mutex::new(Vec::new()); //~ handles_never_joined

pub fn start(i: u32) -> usize {
    let h = thread::spawn(move || work(i));
    let mut started = STARTED.lock().unwrap();
    started.push(h);
    started.len()
}

pub fn start_direct(i: u32) {
    STARTED.lock().unwrap().push(thread::spawn(move || work(i)));
    println!("{} running", STARTED.lock().unwrap().len());
}

// MUST NOT fire: the same static, drained and joined by a function of the file.
static RUNNING: Mutex<Vec<JoinHandle<u32>>> = Mutex::new(Vec::new());

pub fn run(i: u32) {
    RUNNING.lock().unwrap().push(thread::spawn(move || work(i)));
}

pub fn stop() {
    for h in RUNNING.lock().unwrap().drain(..) {
        h.join().expect("worker thread panicked");
    }
}

// MUST NOT fire: public, so code of another file may drain it.
pub static SHARED: Mutex<Vec<JoinHandle<u32>>> = Mutex::new(Vec::new());

pub fn share(i: u32) {
    SHARED.lock().unwrap().push(thread::spawn(move || work(i)));
}

// MUST NOT fire: handed to a helper as a whole (trusted to take the handles out).
static HANDED: Mutex<Vec<JoinHandle<u32>>> = Mutex::new(Vec::new());

fn join_all(handles: &Mutex<Vec<JoinHandle<u32>>>) {
    for h in handles.lock().unwrap().drain(..) {
        h.join().expect("worker thread panicked");
    }
}

pub fn hand(i: u32) {
    HANDED.lock().unwrap().push(thread::spawn(move || work(i)));
    join_all(&HANDED);
}

// MUST fire: tokio tasks, pushed and never awaited.
static TASKS: Mutex<Vec<tokio::task::JoinHandle<()>>> = Mutex::new(Vec::new()); //~ handles_never_joined

pub fn start_task() {
    TASKS.lock().unwrap().push(tokio::spawn(async {
        work(1);
    }));
}
