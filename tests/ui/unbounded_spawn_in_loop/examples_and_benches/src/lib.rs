// MUST fire: library code. Every connection gets a task, with no limit.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            handle(socket).await;
        });
    }
}

async fn handle(_socket: tokio::net::TcpStream) {}
