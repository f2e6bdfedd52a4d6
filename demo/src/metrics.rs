//! Process metrics: counters updated by the ingest path, reported to admin sessions, and
//! exported to a file by a background thread.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

pub static RECORDS: AtomicU64 = AtomicU64::new(0);

pub async fn report_to(mut socket: TcpStream) {
    let line = format!("records {}\n", RECORDS.load(Ordering::Relaxed));
    let _ = socket.write_all(line.as_bytes()).await;
}

/// Starts the file exporter. Its thread loops forever and its handle is thrown away: nothing
/// can stop it, and if it panics the exports silently stop.
pub fn start_exporter(path: std::path::PathBuf) {
    thread::spawn(move || loop {
        let _ = std::fs::write(&path, RECORDS.load(Ordering::Relaxed).to_string());
        thread::sleep(Duration::from_secs(10));
    });
}

/// The exporter done right: a stop flag, and a handle that `stop` joins.
pub struct Exporter {
    running: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Exporter {
    pub fn start(path: std::path::PathBuf) -> Exporter {
        let running = Arc::new(AtomicBool::new(true));
        let flag = running.clone();
        let thread = thread::Builder::new()
            .name("metrics-exporter".into())
            .spawn(move || {
                while flag.load(Ordering::Acquire) {
                    let _ = std::fs::write(&path, RECORDS.load(Ordering::Relaxed).to_string());
                    thread::park_timeout(Duration::from_secs(10));
                }
            })
            .expect("spawn the exporter thread");
        Exporter { running, thread: Some(thread) }
    }

    pub fn stop(mut self) {
        self.running.store(false, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}
