//@ deps: tokio
// Code compiled only for a test-support feature is test code like `#[cfg(test)]` code: a
// feature with a word `test`, `tests`, `testing`, `testutil(s)`, `mock(s)` or `mocking`.
use std::time::Duration;

async fn tick() {
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// MUST NOT fire: helpers other crates' tests enable with `features = ["test-util"]`.
#[cfg(feature = "test-util")]
pub mod test_util {
    pub fn start_clock() {
        tokio::spawn(super::tick());
    }
}

// MUST NOT fire: `any(test, …)` is test code too.
#[cfg(any(test, feature = "mock"))]
pub fn start_mock() {
    tokio::spawn(tick());
}

// MUST fire: `testnet` only begins with "test"; the client for a test network is production
// code.
#[cfg(feature = "testnet")]
pub fn start_testnet_client() {
    tokio::spawn(tick()); //~ detached_spawn
}

// MUST fire: compiled when the test-support feature is off.
#[cfg(not(feature = "test-util"))]
pub fn start_real_clock() {
    tokio::spawn(tick()); //~ detached_spawn
}
