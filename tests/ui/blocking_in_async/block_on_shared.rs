//@ warn: blocking_in_async
//@ deps: tokio
// A current-thread runtime runs the tasks spawned on it on the thread that blocks on the
// root future: blocking the root stalls them.
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ticker = tokio::spawn(async {
        loop {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    // MUST fire: the spawned ticker shares this thread.
    std::thread::sleep(Duration::from_secs(1)); //~ blocking_in_async
    ticker.abort();
}
