//@ warn: blocking_in_async
//@ deps: async-std
use std::time::Duration;

// MUST fire: with async-std the fix is `async_std::task::sleep(d).await`.
pub async fn backoff(attempt: u32) {
    std::thread::sleep(Duration::from_millis(10 * attempt as u64)); //~ blocking_in_async
    let _ = std::fs::remove_file("lock"); //~ blocking_in_async
}

// MUST fire: an `async` block is async context, also inside a closure.
pub fn handler() -> impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
    || Box::pin(async move { std::thread::sleep(Duration::from_millis(1)) }) //~ blocking_in_async
}
