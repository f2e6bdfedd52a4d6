use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub fn start_server(hits: Arc<AtomicUsize>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            hits.fetch_add(1, Ordering::SeqCst);
        }
    });
    addr
}

pub fn start_task(hits: Arc<AtomicUsize>) {
    tokio::spawn(async move {
        hits.fetch_add(1, Ordering::SeqCst);
    });
}

pub fn count(hits: &AtomicUsize) -> usize {
    hits.load(Ordering::SeqCst)
}
