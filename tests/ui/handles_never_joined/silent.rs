//@ deps: tokio, smol, futures
use std::thread::JoinHandle;

fn work(i: u32) -> u32 {
    i
}

// MUST NOT fire: joined in a loop, through an iterator, drained, popped.
pub fn joined() {
    let mut a = Vec::new();
    for i in 0..4 {
        a.push(std::thread::spawn(move || work(i)));
    }
    for h in a {
        h.join().unwrap();
    }
    let b: Vec<_> = (0..4).map(|i| std::thread::spawn(move || work(i))).collect();
    let _sum: u32 = b.into_iter().map(|h| h.join().unwrap()).sum();
    let mut c = Vec::new();
    c.push(std::thread::spawn(|| work(1)));
    for h in c.drain(..) {
        h.join().unwrap();
    }
    let mut d = Vec::new();
    d.push(std::thread::spawn(|| work(1)));
    while let Some(h) = d.pop() {
        h.join().unwrap();
    }
}

// MUST NOT fire: awaited with `join_all`, aborted.
pub async fn awaited() {
    let a: Vec<_> = (0..4).map(|i| tokio::spawn(async move { work(i) })).collect();
    futures::future::join_all(a).await;
    let mut b = Vec::new();
    b.push(tokio::spawn(async { work(1) }));
    for h in &b {
        h.abort();
    }
}

struct Workers {
    handles: Vec<JoinHandle<u32>>,
}

fn join_all(handles: Vec<JoinHandle<u32>>) {
    for h in handles {
        h.join().unwrap();
    }
}

// MUST NOT fire: moved out: returned, stored, passed to a helper.
pub fn moved() -> Vec<JoinHandle<u32>> {
    let mut stored = Vec::new();
    stored.push(std::thread::spawn(|| work(1)));
    let _w = Workers { handles: stored };
    let mut passed = Vec::new();
    passed.push(std::thread::spawn(|| work(2)));
    join_all(passed);
    let mut returned = Vec::new();
    returned.push(std::thread::spawn(|| work(3)));
    returned
}

// MUST NOT fire: handles that are not detached on drop: scoped threads (joined by the
// scope), smol tasks (cancelled on drop), a field.
impl Workers {
    pub fn add(&mut self) {
        self.handles.push(std::thread::spawn(|| work(1)));
    }
}
pub fn not_detaching() {
    std::thread::scope(|s| {
        let mut scoped = Vec::new();
        for i in 0..4 {
            scoped.push(s.spawn(move || work(i)));
        }
    });
    let _tasks: Vec<_> = (0..4).map(|i| smol::spawn(async move { work(i) })).collect();
}

// MUST NOT fire: a collection of endless workers is `detached_spawn`'s finding.
pub fn endless(rx: std::sync::mpsc::Receiver<u32>) {
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let _workers: Vec<_> = (0..4)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || loop { //~ detached_spawn
                let _ = rx.lock().unwrap().recv();
            })
        })
        .collect();
}
