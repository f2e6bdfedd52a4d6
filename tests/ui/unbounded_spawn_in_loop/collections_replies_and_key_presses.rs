//@ deps: tokio, futures
use futures::StreamExt;
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

// MUST NOT fire: a channel's messages come from the program's own producers (a scheduler's
// activations, a worker's jobs); the limit belongs where outside input enters.
pub fn per_job(jobs: Receiver<String>) {
    let pending = jobs.iter();
    for job in pending {
        std::thread::spawn(move || job.len());
    }
}

// MUST NOT fire: each request carries the channel its answer goes back on, and its sender
// waits for that answer: the live tasks are at most the callers waiting.
pub async fn serve_requests(mut rx: mpsc::UnboundedReceiver<(String, oneshot::Sender<u32>)>) {
    while let Some((req, reply_tx)) = rx.recv().await {
        tokio::spawn(forward(req, reply_tx));
    }
}

// MUST NOT fire either when the task does not answer: the channel's messages are the
// program's own.
pub async fn reply_ignored(mut rx: mpsc::UnboundedReceiver<(String, oneshot::Sender<u32>)>) {
    while let Some((req, reply_tx)) = rx.recv().await {
        let _ = reply_tx.send(0);
        tokio::spawn(handle(req));
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

// MUST fire: the same loop over a listener's connections.
pub async fn per_connection_stream(listener: std::net::TcpListener) {
    let mut conns = Box::pin(futures::stream::iter(listener.incoming()));
    loop {
        let Some(c) = conns.next().await else { break };
        tokio::spawn(handle(c)); //~ unbounded_spawn_in_loop
    }
}
