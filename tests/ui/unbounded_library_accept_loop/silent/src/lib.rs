//@ warn: unbounded_library_accept_loop
// Library accept loops with a bound in sight, or serving the operator's own tools: silent.
use std::sync::Arc;
use tokio::sync::Semaphore;

pub async fn serve(listener: tokio::net::TcpListener, max_connections: usize) -> std::io::Result<()> {
    let limit = Arc::new(Semaphore::new(max_connections));
    loop {
        let permit = limit.clone().acquire_owned().await.expect("never closed");
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move {
            handle(socket).await;
            drop(permit);
        });
    }
}

pub async fn serve_counted(listener: tokio::net::TcpListener, max: usize) -> std::io::Result<()> {
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        if tasks.len() >= max {
            tasks.join_next().await;
        }
        let (socket, _) = listener.accept().await?;
        tasks.spawn(handle(socket));
    }
}

pub async fn serve_metrics(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(handle(socket));
    }
}

async fn handle(_socket: tokio::net::TcpStream) {
    tokio::task::yield_now().await;
}
