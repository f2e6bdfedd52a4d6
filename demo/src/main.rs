//! ingestd: accepts newline-delimited records over TCP, batches them and flushes the batches
//! to the store every second.

mod batch;
mod metrics;
mod store;

use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, Semaphore};
use tokio_util::sync::CancellationToken;

const MAX_ADMIN_SESSIONS: usize = 4;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let batches = Arc::new(Mutex::new(batch::Batches::default()));
    let shutdown = CancellationToken::new();

    // Flushes pending batches every second, forever: the handle is dropped, so the last
    // batch is lost on shutdown and a panic in `flush_all` goes unnoticed.
    let pending = batches.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            store::flush_all(&pending).await;
        }
    });

    // The same job done right: it stops when the token is cancelled, and `main` awaits it.
    let compactor = {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tick.tick() => store::compact().await,
                }
            }
        })
    };

    let admin = TcpListener::bind("127.0.0.1:7001").await?;
    let admin_task = tokio::spawn(serve_admin(admin, shutdown.clone()));

    let listener = TcpListener::bind("0.0.0.0:7000").await?;
    tokio::select! {
        result = serve_public(listener, batches.clone()) => result?,
        _ = tokio::signal::ctrl_c() => {}
    }

    shutdown.cancel();
    // A panic in either task surfaces here instead of vanishing with the handle.
    for (name, task) in [("admin", admin_task), ("compactor", compactor)] {
        if let Err(e) = task.await {
            eprintln!("{name} task failed: {e}");
        }
    }
    store::flush_all(&batches).await;
    Ok(())
}

/// One task per connection, as many as clients open: a burst of connections is a burst of
/// tasks, buffers and sockets.
async fn serve_public(listener: TcpListener, batches: Arc<Mutex<batch::Batches>>) -> std::io::Result<()> {
    loop {
        let (socket, peer) = listener.accept().await?;
        let batches = batches.clone();
        tokio::spawn(async move {
            if let Err(e) = ingest(socket, &batches).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}

/// Admin sessions are bounded: a permit is taken before each spawn and released by the task.
async fn serve_admin(listener: TcpListener, shutdown: CancellationToken) {
    let sessions = Arc::new(Semaphore::new(MAX_ADMIN_SESSIONS));
    loop {
        let Ok(permit) = sessions.clone().acquire_owned().await else { return };
        let (socket, _) = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(_) => continue,
            },
        };
        tokio::spawn(async move {
            metrics::report_to(socket).await;
            drop(permit);
        });
    }
}

async fn ingest(socket: TcpStream, batches: &Mutex<batch::Batches>) -> std::io::Result<()> {
    let mut lines = BufReader::new(socket).lines();
    while let Some(line) = lines.next_line().await? {
        let record = batch::Record::parse(&line)?;
        batches.lock().await.push(record);
    }
    Ok(())
}
