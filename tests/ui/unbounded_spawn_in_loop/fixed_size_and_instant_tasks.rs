//@ deps: tokio
use std::sync::mpsc::Receiver;
use tokio::sync::broadcast;

const NAMES: [&str; 3] = ["a.example.", "b.example.", "c.example."];
const SLOWNESSES: &[u8] = &[2, 3, 4];

async fn lookup(_name: &str) {}

// MUST NOT fire: a `const` array or a literal slice is bounded input.
pub fn resolve_all() {
    for name in NAMES {
        tokio::spawn(lookup(name));
    }
    for slowness in SLOWNESSES {
        let slowness = *slowness;
        std::thread::spawn(move || slowness);
    }
}

// MUST NOT fire: the task never awaits, so it ends on its first poll and tasks cannot pile up.
pub async fn notify_all(mut rx: tokio::sync::mpsc::Receiver<u64>, tx: broadcast::Sender<u64>) {
    while let Some(id) = rx.recv().await {
        let tx = tx.clone();
        tokio::spawn(async move {
            if let Err(e) = tx.send(id) {
                eprintln!("no listener for {id}: {e}");
            }
        });
    }
}

// MUST fire: the same loop, but the task awaits, so slow tasks accumulate.
pub async fn forward_all(mut rx: tokio::sync::mpsc::Receiver<u64>, tx: tokio::sync::mpsc::Sender<u64>) {
    while let Some(id) = rx.recv().await {
        let tx = tx.clone();
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            let _ = tx.send(id).await;
        });
    }
}

// MUST fire: a thread per message of a channel, even one that does nothing but return.
pub fn per_message(rx: Receiver<String>) {
    for msg in rx {
        std::thread::spawn(move || msg.len()); //~ unbounded_spawn_in_loop
    }
}
