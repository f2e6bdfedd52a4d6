//@ warn: blocking_in_async
//@ deps: tokio, futures, pollster, smol
// A future driven by `block_on` (or by `#[tokio::main]`) runs on the caller's own thread: a
// multi-thread runtime runs spawned tasks on its workers, the plain `block_on`s run nothing
// else. Blocking there stalls only that future, which waits for the result anyway.
use std::time::Duration;

// MUST NOT fire: the body of `#[tokio::main]` (default multi-thread flavour) reads its
// configuration before it starts serving; the spawned tasks run on the workers.
#[tokio::main]
async fn run() -> std::io::Result<()> {
    let config = std::fs::read_to_string("server.toml")?;
    let certificate = load_certificate().await?;
    tokio::spawn(async move {
        // MUST fire: a spawned task runs on a worker shared with the other tasks.
        std::thread::sleep(Duration::from_millis(10)); //~ blocking_in_async
        drop((config, certificate));
    });
    tokio::spawn(async {
        serve().await;
    });
    serve().await;
    Ok(())
}

// MUST NOT fire: awaited only by the `#[tokio::main]` body.
async fn load_certificate() -> std::io::Result<Vec<u8>> {
    std::fs::read("cert.der")
}

// MUST fire: awaited by the main body and by a spawned task.
async fn serve() {
    let _ = std::fs::read("index.html"); //~ blocking_in_async
    serve_one().await;
}

// MUST fire: awaited by `serve`, which a spawned task awaits.
async fn serve_one() {
    let _ = std::fs::metadata("index.html"); //~ blocking_in_async
}

fn main() {
    // MUST NOT fire: `futures::executor::block_on` drives this one future and nothing else.
    futures::executor::block_on(async {
        let _ = std::fs::read("a.txt");
        std::thread::sleep(Duration::from_millis(1));
    });
    // MUST NOT fire: `pollster::block_on` of a private `async fn` used nowhere else.
    pollster::block_on(compute());
    smol::block_on(async {
        let _ = std::fs::write("out.txt", b"done");
    });
    let _ = run();
}

// MUST NOT fire: only ever driven by `pollster::block_on` above.
async fn compute() {
    std::thread::sleep(Duration::from_millis(5));
}
