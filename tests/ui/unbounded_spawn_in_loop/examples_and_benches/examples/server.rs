// MUST NOT fire: an example. Its accept loop demonstrates the API, and only the demo's own
// client connects to it.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move {
            drop(socket);
            tokio::task::yield_now().await;
        });
    }
}
