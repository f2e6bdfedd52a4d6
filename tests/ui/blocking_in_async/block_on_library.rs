//@ warn: blocking_in_async
//@ deps: futures
// A public `async fn` of a library may be awaited by any task of its callers, even when this
// file also blocks on it.
use std::time::Duration;

// MUST fire: callers elsewhere may await it on a shared executor.
pub async fn load(path: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(path) //~ blocking_in_async
}

// MUST NOT fire: a private helper only this `block_on` drives.
async fn warm_up() {
    std::thread::sleep(Duration::from_millis(1));
}

pub fn load_blocking(path: &str) -> std::io::Result<Vec<u8>> {
    futures::executor::block_on(async {
        warm_up().await;
        load(path).await
    })
}
