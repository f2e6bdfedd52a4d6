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
