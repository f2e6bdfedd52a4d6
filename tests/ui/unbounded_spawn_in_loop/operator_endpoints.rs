//@ deps: tokio
use tokio::net::TcpListener;

async fn handle<T>(_t: T) {}

// MUST NOT fire: a metrics endpoint serves the operator's scraper, usually on a local address.
pub async fn serve_metrics(listener: TcpListener) {
    while let Ok((socket, _)) = listener.accept().await {
        tokio::spawn(handle(socket));
    }
}

pub struct DebugServer {
    listener: TcpListener,
}

// MUST NOT fire: a debug console, named by its type.
impl DebugServer {
    pub async fn run(self) {
        loop {
            let Ok((socket, _)) = self.listener.accept().await else { continue };
            tokio::spawn(handle(socket));
        }
    }
}

pub struct Server {
    listener: TcpListener,
}

// MUST fire: the same loop serving the public, whose clients decide how many tasks run.
impl Server {
    pub async fn run(self) {
        loop {
            let Ok((socket, _)) = self.listener.accept().await else { continue };
            tokio::spawn(handle(socket)); //~ unbounded_spawn_in_loop
        }
    }
}
