// MUST fire: library code. A caller of `serve` cannot stop the accept loop it starts.
pub fn serve(listener: tokio::net::TcpListener) {
    tokio::spawn(async move { //~ detached_spawn
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            drop(socket);
        }
    });
}
