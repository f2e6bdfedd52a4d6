//@ warn: join_result_ignored, test_leaks_spawn
//@ deps: tokio, rayon
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

async fn handle<T>(_t: T) {}

// MUST NOT fire: a semaphore permit bounds the loop.
pub async fn bounded(listener: tokio::net::TcpListener, limit: Arc<Semaphore>) -> std::io::Result<()> {
    loop {
        let permit = limit.clone().acquire_owned().await.unwrap();
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move {
            handle(socket).await;
            drop(permit);
        });
    }
}

// MUST NOT fire: a JoinSet capped by its length.
pub async fn capped(items: Vec<u32>) {
    let mut set = JoinSet::new();
    for item in items {
        while set.len() >= 8 {
            set.join_next().await;
        }
        set.spawn(handle(item));
    }
    while set.join_next().await.is_some() {}
}

// MUST NOT fire: a literal range or list is a deliberate count.
pub fn workers(n: usize) {
    let mut hs = Vec::new();
    for i in 0..4 {
        hs.push(std::thread::spawn(move || i));
    }
    for i in 0..n {
        hs.push(std::thread::spawn(move || i));
    }
    for name in ["a", "b"] {
        hs.push(std::thread::spawn(move || name.len()));
    }
    for h in hs {
        let _ = h.join(); //~ join_result_ignored
    }
}

// MUST NOT fire: a pool bounds the concurrency.
pub fn pooled(items: Vec<u32>) {
    for item in items {
        rayon::spawn(move || drop(item));
    }
}

// MUST NOT fire: spawned and awaited in the same iteration.
pub async fn sequential(items: Vec<u32>) {
    for item in items {
        let h = tokio::spawn(handle(item));
        h.await.unwrap();
    }
}

// MUST NOT fire: a local bound to a literal list.
pub fn named_list() {
    let people = vec!["Anna", "Bob", "Cody"];
    std::thread::scope(|s| {
        for name in people {
            s.spawn(move || name.len());
        }
    });
}

// MUST NOT fire: only the innermost loop decides; here it is a bounded count.
pub async fn per_round(rounds: Vec<u32>) {
    for _round in rounds {
        let mut hs = Vec::new();
        for i in 0..16 {
            hs.push(tokio::spawn(handle(i)));
        }
        for h in hs {
            h.await.unwrap();
        }
    }
}

// MUST NOT fire: a `loop` that pulls no input is a state machine or retry loop.
pub fn state_machine(mut state: Option<u32>) -> u32 {
    loop {
        match state.take() {
            Some(v) => {
                let _h = tokio::spawn(handle(v));
                return v;
            }
            None => state = Some(1),
        }
    }
}

// MUST NOT fire: a count check bounds the loop.
pub async fn count_checked(mut rx: tokio::sync::mpsc::Receiver<u32>, live: Arc<()>) {
    while let Some(m) = rx.recv().await {
        if Arc::strong_count(&live) < 5_000 {
            let live = live.clone();
            tokio::spawn(async move {
                handle(m).await;
                drop(live);
            });
        }
    }
}

// MUST NOT fire: test code iterates fixtures of a known size.
#[test]
fn per_fixture() {
    for case in fixtures() {
        std::thread::spawn(move || case).join().unwrap();
        let _h = std::thread::spawn(move || case); //~ test_leaks_spawn
    }
}
fn fixtures() -> Vec<u32> {
    vec![1, 2]
}
