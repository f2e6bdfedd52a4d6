//@ warn: blocking_in_async
//@ deps: futures
// Futures raced inside the root future share its thread: one blocked branch stalls the other.
use std::time::Duration;

async fn heartbeat() {}

async fn slow() {
    // MUST fire: `join!` polls `heartbeat` in the same task, and it stalls meanwhile.
    std::thread::sleep(Duration::from_secs(1)); //~ blocking_in_async
}

fn main() {
    futures::executor::block_on(async {
        futures::join!(heartbeat(), slow());
    });
}
