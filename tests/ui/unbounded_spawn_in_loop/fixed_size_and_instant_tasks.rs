//@ deps: tokio
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
pub async fn notify_all(listener: tokio::net::TcpListener, tx: broadcast::Sender<std::net::SocketAddr>) {
    while let Ok((_socket, id)) = listener.accept().await {
        let tx = tx.clone();
        tokio::spawn(async move {
            if let Err(e) = tx.send(id) {
                eprintln!("no listener for {id}: {e}");
            }
        });
    }
}

// MUST fire: the same loop, but the task awaits, so slow tasks accumulate.
pub async fn forward_all(listener: tokio::net::TcpListener, tx: tokio::sync::mpsc::Sender<std::net::SocketAddr>) {
    while let Ok((_socket, peer)) = listener.accept().await {
        let tx = tx.clone();
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            let _ = tx.send(peer).await;
        });
    }
}

// MUST fire: a thread per line of input, even one that does nothing but return.
pub fn per_message(input: std::io::Stdin) {
    for msg in input.lines() {
        std::thread::spawn(move || msg.map(|m| m.len())); //~ unbounded_spawn_in_loop
    }
}
