// A test of the library calls a helper of another module that starts a worker and returns
// while it runs.
pub mod testing;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub fn ready(flag: &AtomicBool) -> bool {
    flag.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::start_worker;
    use std::time::Duration;

    // MUST: the helper of `testing.rs` spawns a thread and returns while it runs.
    #[test]
    fn worker_sets_the_flag() {
        let flag = Arc::new(AtomicBool::new(false));
        start_worker(flag.clone());
        std::thread::sleep(Duration::from_millis(50)); //~ sleep_in_test
        assert!(flag.load(Ordering::SeqCst));
    }

    // MUST NOT: this helper joins its thread before it returns.
    #[test]
    fn worker_done_before_the_sleep() {
        let flag = Arc::new(AtomicBool::new(false));
        crate::testing::run_worker(flag.clone());
        std::thread::sleep(Duration::from_millis(50));
        assert!(flag.load(Ordering::SeqCst));
    }
}
