//@ warn: unbounded_library_accept_loop
// A server library: every connection gets a task, with no limit. Off by default
// (`pedantic`); this fixture enables it through the harness.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(async move { //~ unbounded_library_accept_loop
            handle(socket).await;
        });
    }
}

// Lines are not connections: no file descriptor caps them, so `unbounded_spawn_in_loop`
// reports them in a library too.
pub async fn each_line(reader: tokio::io::BufReader<tokio::net::TcpStream>) -> std::io::Result<()> {
    use tokio::io::AsyncBufReadExt;
    let mut lines = reader.lines();
    while let Some(line) = lines.next_line().await? {
        tokio::spawn(async move { //~ unbounded_spawn_in_loop
            tokio::task::yield_now().await;
            drop(line);
        });
    }
    Ok(())
}

pub(crate) async fn handle(_socket: tokio::net::TcpStream) {
    tokio::task::yield_now().await;
}

// A thread per connection is `unbounded_spawn_in_loop`'s, in a library too.
pub fn serve_blocking(listener: std::net::TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept()?;
        std::thread::spawn(move || drop(socket)); //~ unbounded_spawn_in_loop
    }
}
