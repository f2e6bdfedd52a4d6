//@ warn: join_result_ignored
//@ deps: tokio, futures
use futures::StreamExt;
use tokio::net::TcpListener;

async fn handle<T>(_t: T) {}

// The classic accept loop: one task per connection, no limit.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        tokio::spawn(handle(socket)); //~ unbounded_spawn_in_loop
    }
}

// One task per line of a reader of unknown size.
pub async fn fan_out(input: impl std::io::BufRead) {
    let mut handles = Vec::new();
    for url in input.lines() {
        handles.push(tokio::spawn(handle(url))); //~ unbounded_spawn_in_loop
    }
    for h in handles {
        let _ = h.await; //~ join_result_ignored
    }
}

// A stream of connections, pinned, pulled in a `while let`.
pub async fn per_stream_item(listener: std::net::TcpListener) {
    let mut conns = Box::pin(futures::stream::iter(listener.incoming()));
    while let Some(conn) = conns.next().await {
        tokio::spawn(handle(conn)); //~ unbounded_spawn_in_loop
    }
}

// Datagrams of a socket, and lines read one by one.
pub async fn per_datagram(socket: tokio::net::UdpSocket) -> std::io::Result<()> {
    let mut buf = [0u8; 1500];
    loop {
        let (n, peer) = socket.recv_from(&mut buf).await?;
        let packet = buf[..n].to_vec();
        tokio::spawn(handle((packet, peer))); //~ unbounded_spawn_in_loop
    }
}

pub fn per_read_line(mut input: impl std::io::BufRead) {
    let mut line = String::new();
    while input.read_line(&mut line).unwrap_or(0) > 0 {
        let taken = std::mem::take(&mut line);
        std::thread::spawn(move || taken.len()); //~ unbounded_spawn_in_loop
    }
}

// Iterator adaptors are loops too; threads as well as tasks.
pub fn threads_per_line(input: &str) {
    let handles: Vec<_> = input
        .lines()
        .map(|line| {
            let line = line.to_string();
            std::thread::spawn(move || line.len()) //~ unbounded_spawn_in_loop
        })
        .collect();
    for h in handles {
        let _ = h.join(); //~ join_result_ignored
    }
}
