//@ deps: tokio
type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn fetch(i: u32) -> Result<u32, BoxError> {
    Ok(i)
}

// MUST fire: library code; the caller's runtime goes on running the other tasks.
pub async fn fetch_all() -> Result<(), BoxError> {
    let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
    for h in handles {
        h.await??; //~ early_exit_leaks_tasks
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // MUST NOT fire: a test helper whose error goes back to `test_wrapper`, which drops its
    // runtime right after `block_on`, cancelling the remaining tasks.
    async fn run_clients() -> Result<(), BoxError> {
        let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
        for h in handles {
            h.await??;
        }
        Ok(())
    }

    fn test_wrapper(f: impl std::future::Future<Output = Result<(), BoxError>>) -> Result<(), BoxError> {
        tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(f)
    }

    #[test]
    fn clients() -> Result<(), BoxError> {
        test_wrapper(run_clients())
    }

    // Std threads are not cancelled by any runtime: still reported in test code.
    fn join_workers() -> Result<(), String> {
        let mut handles = Vec::new();
        for i in 0..4 {
            handles.push(std::thread::spawn(move || i));
        }
        for h in handles {
            h.join().map_err(|_| "worker panicked".to_string())?; //~ early_exit_leaks_tasks
        }
        Ok(())
    }

    #[test]
    fn workers() -> Result<(), String> {
        join_workers()
    }
}
