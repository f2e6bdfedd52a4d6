//@ deps: tokio, async-std
fn work(i: u32) -> u32 {
    i
}

// MUST fire: handles pushed and never joined.
pub fn pushed() {
    let mut handles = Vec::new(); //~ handles_never_joined
    for i in 0..4 {
        handles.push(std::thread::spawn(move || work(i)));
    }
}

// MUST fire: handles collected; `len()` does not join them.
pub fn collected() -> usize {
    let handles: Vec<_> = (0..4).map(|i| std::thread::spawn(move || work(i))).collect(); //~ handles_never_joined
    handles.len()
}

// tokio handles through `extend`.
pub async fn extended() {
    let mut tasks = Vec::with_capacity(4); //~ handles_never_joined
    tasks.extend((0..4).map(|i| tokio::spawn(async move { work(i) })));
}

// Through a binding, and async-std handles.
pub fn through_binding() {
    let mut workers = vec![]; //~ handles_never_joined
    for i in 0..2 {
        let h = async_std::task::spawn(async move { work(i) });
        workers.push(h);
    }
}

// Tokio handles looked at through `&` (only `abort()`, which this file never calls, acts on
// the task through a shared reference), then cleared.
pub async fn listed_then_cleared() {
    let mut tasks: Vec<_> = (0..4).map(|i| tokio::spawn(async move { work(i) })).collect(); //~ handles_never_joined
    for t in &tasks {
        println!("{:?}", t.id());
    }
    tasks.clear();
}

// Leaked with `std::mem::forget`: the threads are detached all the same.
pub fn forgotten() {
    let mut handles = Vec::new(); //~ handles_never_joined
    handles.push(std::thread::spawn(|| work(1)));
    std::mem::forget(handles);
}
