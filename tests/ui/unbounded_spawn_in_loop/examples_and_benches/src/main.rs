// MUST fire: the application's own accept loop. Every connection gets a task, with no limit.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    serve(tokio::net::TcpListener::bind("0.0.0.0:8080").await?).await
}

async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            handle(socket).await;
        });
    }
}

async fn handle(_socket: tokio::net::TcpStream) {}
