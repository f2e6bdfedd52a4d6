//@ deps: tokio
type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn fetch(i: u32) -> Result<u32, BoxError> {
    Ok(i)
}

fn work(i: u32) -> u32 {
    i
}

// MUST fire: `?` on the first failure leaves the other tasks running.
pub async fn question_mark() -> Result<(), BoxError> {
    let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
    for h in handles {
        h.await??; //~ early_exit_leaks_tasks
    }
    Ok(())
}

// MUST fire: `return` on a panicked thread leaves the other threads detached.
pub fn return_on_panic() -> Result<(), String> {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(std::thread::spawn(move || work(i)));
    }
    for h in handles {
        if h.join().is_err() {
            return Err("worker panicked".into()); //~ early_exit_leaks_tasks
        }
    }
    Ok(())
}

// MUST fire: `break` out of the joining loop; the collection is not used after it.
pub async fn break_out() {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(tokio::spawn(fetch(i)));
    }
    for h in handles {
        match h.await {
            Ok(Ok(_)) => {}
            _ => break, //~ early_exit_leaks_tasks
        }
    }
}

// `while let … pop()` loops too; several exits get one finding.
pub async fn pop_loop() -> Result<(), BoxError> {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(tokio::spawn(fetch(i)));
    }
    while let Some(h) = handles.pop() {
        let v = h.await?; //~ early_exit_leaks_tasks
        if v.is_err() {
            return Ok(());
        }
    }
    Ok(())
}
