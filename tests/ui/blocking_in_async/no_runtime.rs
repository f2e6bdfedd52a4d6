//@ warn: blocking_in_async
use std::thread;
use std::time::Duration;

// MUST fire: no runtime dependency: a help names the async timers, no fix is offered.
pub async fn wait() {
    thread::sleep(Duration::from_millis(5)); //~ blocking_in_async
}
