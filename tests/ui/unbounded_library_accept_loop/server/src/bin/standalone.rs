// A binary of the package: its accept loop is the application's, so
// `unbounded_spawn_in_loop` reports it, not the library lint.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            drop(socket);
            tokio::task::yield_now().await;
        });
    }
}
