//@ warn: blocking_in_async
//@ deps: tokio
use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

// MUST fire: `std::thread::sleep` in an `async fn` (machine-applicable fix with tokio).
pub async fn poll_loop() {
    std::thread::sleep(Duration::from_millis(100)); //~ blocking_in_async
}

// MUST fire: `std::fs` functions and `File::open` through a `use`.
use std::fs::{self, File};

pub async fn load(path: &str) -> std::io::Result<String> {
    let text = fs::read_to_string(path)?; //~ blocking_in_async
    let mut file = File::open(path)?; //~ blocking_in_async
    let mut rest = String::new();
    file.read_to_string(&mut rest)?;
    Ok(text + &rest)
}

// MUST fire: `std::net` I/O: connect, accept on a std listener, bind of a host name.
pub async fn serve() -> std::io::Result<()> {
    let _client = std::net::TcpStream::connect("127.0.0.1:8080")?; //~ blocking_in_async
    let listener = std::net::TcpListener::bind("localhost:0")?; //~ blocking_in_async
    let (_conn, _) = listener.accept()?; //~ blocking_in_async
    Ok(())
}

// MUST fire: joining a std thread, and receiving on a std mpsc channel, in async code.
pub async fn join_and_recv() {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || tx.send(1).unwrap());
    worker.join().unwrap(); //~ blocking_in_async
    let _ = rx.recv(); //~ blocking_in_async
    std::thread::spawn(|| ()).join().unwrap(); //~ blocking_in_async
}

// MUST fire: an `async` block is async context, also inside a plain `fn`.
pub fn make_task() -> impl std::future::Future<Output = ()> {
    async {
        std::thread::sleep(Duration::from_secs(1)); //~ blocking_in_async
    }
}

// MUST fire: iterating a std receiver, and a closure that runs in place (no `.await` fix).
pub async fn drain(paths: Vec<String>) {
    let (tx, rx) = mpsc::sync_channel::<u32>(4);
    drop(tx);
    for _msg in rx {} //~ blocking_in_async
    let _sizes: Vec<usize> = paths.iter().map(|p| fs::read(p).map(|b| b.len()).unwrap_or(0)).collect(); //~ blocking_in_async
}
