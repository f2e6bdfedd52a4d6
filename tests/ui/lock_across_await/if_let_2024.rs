//@ edition: 2024
//@ deps: tokio
use std::sync::Mutex;

async fn flush() {}

// From edition 2024 an `if let` scrutinee's temporary is dropped before `else`.
pub async fn else_branch(m: &Mutex<Option<u32>>) {
    if let Some(v) = *m.lock().unwrap() {
        let _ = v;
    } else {
        flush().await;
    }
}

// It still lives through the `then` block.
pub async fn then_branch(m: &Mutex<Option<u32>>) {
    if let Some(v) = *m.lock().unwrap() { //~ lock_across_await
        let _ = v;
        flush().await;
    }
}
