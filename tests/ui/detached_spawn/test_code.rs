//@ warn: test_leaks_spawn
//@ deps: tokio
// Test code is left alone: a task spawned there dies with the test's runtime, and a thread a
// test leaves running is `test_leaks_spawn`'s finding.
use std::time::Duration;

// MUST fire: library code, the same loop as the tests below.
pub fn start_ticker() {
    tokio::spawn(async { //~ detached_spawn
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    // MUST NOT fire: a test server started by a helper of the test module, on the test's
    // runtime.
    async fn start_server(listener: tokio::net::TcpListener) {
        tokio::spawn(async move {
            loop {
                let _ = listener.accept().await.unwrap();
            }
        });
    }

    // MUST NOT fire: the `#[tokio::test]` runtime cancels the task when the test returns.
    #[tokio::test]
    async fn greedy_task() {
        tokio::spawn(async {
            loop {
                tokio::task::yield_now().await;
            }
        });
        tokio::task::yield_now().await;
    }

    // MUST NOT fire: a runtime the test owns cancels the task when the test drops it.
    #[test]
    fn under_load() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            tokio::spawn(async {
                loop {
                    tokio::task::yield_now().await;
                }
            });
        });
    }

    // A std thread a test leaves spinning is reported, by `test_leaks_spawn`.
    #[test]
    fn clone_churn() {
        std::thread::spawn(move || loop { //~ test_leaks_spawn
            std::thread::yield_now();
        });
    }
}
