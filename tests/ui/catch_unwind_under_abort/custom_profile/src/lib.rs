// MUST fire (on Cargo.toml, for each aborting profile): the code takes the `Err` of a std
// thread's `join()` and asks tokio's `JoinError::is_panic`.
pub fn run_worker() {
    let worker = std::thread::spawn(|| panic!("boom"));
    match worker.join() {
        Ok(()) => {}
        Err(_) => eprintln!("worker panicked, restarting"),
    }
}

pub async fn supervise() {
    let task = tokio::spawn(async { panic!("boom") });
    if let Err(e) = task.await {
        if e.is_panic() {
            eprintln!("task panicked");
        }
    }
}
