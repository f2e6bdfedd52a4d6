//@ edition: 2024
use std::sync::RwLock;

// From edition 2024 the scrutinee's guard is dropped before `else` (the edition guide's
// example), but it still lives through the `then` block.
pub fn f(value: &RwLock<Option<bool>>) {
    if let Some(x) = *value.read().unwrap() {
        let _ = x;
        *value.write().unwrap() = None; //~ double_lock
    } else {
        let mut v = value.write().unwrap();
        if v.is_none() {
            *v = Some(true);
        }
    }
}
