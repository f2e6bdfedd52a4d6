//@ deps: tokio
use std::sync::mpsc::Receiver;
use tokio::sync::{mpsc, oneshot};

async fn handle<T>(_t: T) {}
async fn forward<T>(_req: T, _reply: oneshot::Sender<u32>) {}

// MUST NOT fire: a collection in memory is sized by the program (registered jobs, the
// children of a supervisor), not by outside input.
pub async fn notify_children(children: Vec<String>) {
    for child in children {
        tokio::spawn(handle(child));
    }
}

// MUST fire: the connections of a listener are outside input.
pub fn per_connection(listener: std::net::TcpListener) {
    for stream in listener.incoming() {
        std::thread::spawn(move || drop(stream)); //~ unbounded_spawn_in_loop
    }
}

// MUST fire: a channel's messages are input, whether the loop names the receiver by its type
// or iterates a local bound to it.
pub fn per_job(jobs: Receiver<String>) {
    let pending = jobs.iter();
    for job in pending {
        std::thread::spawn(move || job.len()); //~ unbounded_spawn_in_loop
    }
}

// MUST NOT fire: each request carries the channel its answer goes back on, and its sender
// waits for that answer: the live tasks are at most the callers waiting.
pub async fn serve_requests(mut rx: mpsc::UnboundedReceiver<(String, oneshot::Sender<u32>)>) {
    while let Some((req, reply_tx)) = rx.recv().await {
        tokio::spawn(forward(req, reply_tx));
    }
}

// MUST fire: the message carries a reply channel, but the task does not answer on it, so
// nothing makes the sender wait.
pub async fn reply_ignored(mut rx: mpsc::UnboundedReceiver<(String, oneshot::Sender<u32>)>) {
    while let Some((req, reply_tx)) = rx.recv().await {
        let _ = reply_tx.send(0);
        tokio::spawn(handle(req)); //~ unbounded_spawn_in_loop
    }
}

pub struct EventStream;
impl EventStream {
    pub fn new() -> Self {
        EventStream
    }
    pub async fn next(&mut self) -> Option<u32> {
        None
    }
}

// MUST NOT fire: a terminal's key presses are paced by the person typing them, even when the
// interactive loop also drains a channel.
pub async fn per_key_press(mut updates: mpsc::Receiver<u32>) {
    let mut keys = Box::pin(EventStream::new());
    loop {
        let Some(key) = keys.next().await else { break };
        if let Some(u) = updates.recv().await {
            drop(u);
        }
        tokio::spawn(handle(key));
    }
}

// MUST fire: the same loop over a network stream.
pub async fn per_packet(mut packets: mpsc::Receiver<u32>) {
    loop {
        let Some(p) = packets.recv().await else { break };
        tokio::spawn(handle(p)); //~ unbounded_spawn_in_loop
    }
}
