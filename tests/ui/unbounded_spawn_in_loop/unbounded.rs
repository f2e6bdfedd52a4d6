//@ warn: join_result_ignored
//@ deps: tokio
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

// A stream of messages.
pub async fn per_message(mut rx: tokio::sync::mpsc::Receiver<u32>) {
    while let Some(m) = rx.recv().await {
        tokio::spawn(handle(m)); //~ unbounded_spawn_in_loop
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
