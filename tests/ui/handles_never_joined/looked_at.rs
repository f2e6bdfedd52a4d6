//@ deps: tokio
// Collections of handles that are measured, looked at through `&`, or dropped: nothing joins
// them. Each sits beside the same collection joined, or handed to something that can join it.
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

fn work(i: u32) -> u32 {
    i
}

// MUST fire: only counted.
pub fn counted() -> bool {
    let mut handles = Vec::new(); //~ handles_never_joined
    for i in 0..4 {
        handles.push(thread::spawn(move || work(i)));
    }
    println!("started {} workers", handles.len());
    handles.is_empty()
}

// MUST NOT fire: counted, then joined.
pub fn counted_then_joined() {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(thread::spawn(move || work(i)));
    }
    println!("started {} workers", handles.len());
    for h in handles {
        h.join().expect("worker thread panicked");
    }
}

// MUST fire: iterated through shared references, which cannot join a thread.
pub fn named() {
    let handles: Vec<_> = (0..4).map(|i| thread::spawn(move || work(i))).collect(); //~ handles_never_joined
    for h in &handles {
        println!("{:?}", h.thread().name());
    }
    let ids: Vec<_> = handles.iter().map(|h| h.thread().id()).collect();
    println!("{ids:?}");
}

// MUST NOT fire: the same loop by value joins them.
pub fn named_then_joined() {
    let handles: Vec<_> = (0..4).map(|i| thread::spawn(move || work(i))).collect();
    for h in &handles {
        println!("{:?}", h.thread().name());
    }
    for h in handles {
        h.join().expect("worker thread panicked");
    }
}

// MUST fire: dropped on purpose, the threads detached.
pub fn dropped() {
    let mut handles = Vec::new(); //~ handles_never_joined
    handles.push(thread::spawn(|| work(1)));
    handles.push(thread::spawn(|| work(2)));
    drop(handles);
}

// MUST NOT fire: handed to a helper by value (trusted to join them).
fn join_all(handles: Vec<JoinHandle<u32>>) {
    for h in handles {
        h.join().expect("worker thread panicked");
    }
}
pub fn handed_on() {
    let mut handles = Vec::new();
    handles.push(thread::spawn(|| work(1)));
    join_all(handles);
}

// MUST NOT fire: through `&`, a handle in a cell can still be taken out and joined.
pub fn in_cells() {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(Mutex::new(Some(thread::spawn(move || work(i)))));
    }
    for h in &handles {
        if let Some(h) = h.lock().unwrap().take() {
            h.join().expect("worker thread panicked");
        }
    }
}

// MUST NOT fire: the function polls `is_finished()` until every thread is done.
pub fn polled() {
    let handles: Vec<_> = (0..4).map(|i| thread::spawn(move || work(i))).collect();
    while !handles.iter().all(|h| h.is_finished()) {
        thread::yield_now();
    }
}

// MUST NOT fire: tokio tasks looked at through `&` in a file that aborts tasks: `abort()`
// takes `&self`.
pub async fn aborted_through_ref() {
    let tasks: Vec<_> = (0..4).map(|i| tokio::spawn(async move { work(i) })).collect();
    for t in &tasks {
        t.abort();
    }
}

// MUST NOT fire: a collection the function does not own (a field's, a guard's): its handles
// live on.
pub struct Pool {
    workers: Vec<JoinHandle<u32>>,
    queue: Mutex<Vec<JoinHandle<u32>>>,
}
impl Pool {
    pub fn grow(&mut self) {
        let workers = &mut self.workers;
        workers.push(thread::spawn(|| work(1)));
        let mut queued = self.queue.lock().unwrap();
        queued.push(thread::spawn(|| work(2)));
    }
}

// MUST NOT fire: handles pushed into a static that a function of the file drains and joins.
static RUNNING: Mutex<Vec<JoinHandle<u32>>> = Mutex::new(Vec::new());

pub fn start_in_static() {
    let h = thread::spawn(|| work(1));
    RUNNING.lock().unwrap().push(h);
}

pub fn stop_static() {
    for h in std::mem::take(&mut *RUNNING.lock().unwrap()) {
        h.join().expect("worker thread panicked");
    }
}

// MUST fire: a map of handles whose keys and values are only listed.
pub fn mapped(names: &[&str]) {
    let mut running = std::collections::HashMap::new(); //~ handles_never_joined
    for (i, name) in names.iter().enumerate() {
        running.insert(name.to_string(), thread::spawn(move || work(i as u32)));
    }
    for name in running.keys() {
        println!("{name} started");
    }
    for h in running.values() {
        println!("{:?}", h.thread().id());
    }
}

// MUST NOT fire: the same map, each handle removed and joined.
pub fn mapped_then_joined(names: &[&str]) {
    let mut running = std::collections::HashMap::new();
    for (i, name) in names.iter().enumerate() {
        running.insert(name.to_string(), thread::spawn(move || work(i as u32)));
    }
    for name in names {
        if let Some(h) = running.remove(*name) {
            h.join().expect("worker thread panicked");
        }
    }
}
