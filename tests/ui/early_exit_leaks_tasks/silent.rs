//@ deps: tokio
type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn fetch(i: u32) -> Result<u32, BoxError> {
    Ok(i)
}

fn work(i: u32) -> u32 {
    i
}

// MUST NOT fire: the loop aborts the rest before leaving.
pub async fn aborts_first() -> Result<(), BoxError> {
    let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
    for h in &mut handles.iter_mut() {
        if let Err(e) = h.await {
            for other in &handles {
                other.abort();
            }
            return Err(e.into());
        }
    }
    Ok(())
}

// MUST NOT fire: a `JoinSet` aborts the remaining tasks when it drops.
pub async fn join_set() -> Result<(), BoxError> {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..4 {
        set.spawn(fetch(i));
    }
    while let Some(res) = set.join_next().await {
        res??;
    }
    Ok(())
}

// MUST NOT fire: every handle is joined and the first error returned afterwards.
pub fn join_all_then_fail() -> Result<(), String> {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(std::thread::spawn(move || work(i)));
    }
    let mut first_err = None;
    for h in handles {
        if let Err(e) = h.join() {
            first_err.get_or_insert(e);
        }
    }
    match first_err {
        Some(_) => Err("a worker panicked".into()),
        None => Ok(()),
    }
}

// MUST NOT fire: `break` with the collection used after the loop (the rest is joined there).
pub async fn break_then_rest() {
    let mut handles = Vec::new();
    for i in 0..4 {
        handles.push(tokio::spawn(fetch(i)));
    }
    while let Some(h) = handles.pop() {
        if h.await.is_err() {
            break;
        }
    }
    for h in handles {
        h.abort();
    }
}

// MUST NOT fire: scoped threads are joined by their scope whatever the closure does.
pub fn scoped() -> Result<(), String> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|i| s.spawn(move || work(i))).collect();
        for h in handles {
            h.join().map_err(|_| "panicked".to_string())?;
        }
        Ok(())
    })
}

// MUST NOT fire: a test's tokio runtime cancels the remaining tasks when the test returns.
#[tokio::test]
async fn in_a_test() -> Result<(), BoxError> {
    let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
    for h in handles {
        h.await??;
    }
    Ok(())
}

// MUST NOT fire: `?` inside a closure does not leave the loop; `main` ends the process.
pub async fn closure_exit() {
    let handles: Vec<_> = (0..4).map(|i| tokio::spawn(fetch(i))).collect();
    for h in handles {
        let r = h.await;
        let _ = (|| -> Result<(), String> { r.map_err(|e| e.to_string())?; Ok(()) })();
    }
}

fn main() -> Result<(), String> {
    let handles: Vec<_> = (0..4).map(|i| std::thread::spawn(move || work(i))).collect();
    for h in handles {
        h.join().map_err(|_| "worker panicked".to_string())?;
    }
    Ok(())
}
