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
        let _ = h.join();
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
