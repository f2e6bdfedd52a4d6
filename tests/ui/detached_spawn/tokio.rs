//@ deps: tokio
use std::time::Duration;

async fn flush() {}

// MUST fire: the example of RULES.md.
pub fn metrics() {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tokio::spawn(async move { //~ detached_spawn
        loop {
            tick.tick().await;
            flush().await;
        }
    });
}

// An alias through `use`, the task module path, and `let _ =`.
use tokio::spawn as go;
pub fn aliased() {
    let _ = go(async { loop { flush().await; } }); //~ detached_spawn
    let _ = tokio::task::spawn(async { loop { flush().await; } }); //~ detached_spawn
}

// A binding never read again, `drop` and `mem::forget`.
pub fn bound_but_dropped() {
    let handle = tokio::spawn(async { loop { flush().await; } }); //~ detached_spawn
    let second = tokio::spawn(async { loop { flush().await; } }); //~ detached_spawn
    drop(second);
    let third = tokio::spawn(async { loop { flush().await; } }); //~ detached_spawn
    std::mem::forget(third);
}

// Endless sources: an accept loop that never gives up.
pub async fn accept_forever(listener: tokio::net::TcpListener) {
    tokio::spawn(async move { //~ detached_spawn
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
}

// The body is a function of this file.
async fn run_forever() {
    loop {
        flush().await;
    }
}
pub fn spawns_fn() {
    tokio::spawn(run_forever()); //~ detached_spawn
}
