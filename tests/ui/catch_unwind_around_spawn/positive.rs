//@ deps: tokio, futures, rayon
use futures::FutureExt;
use std::panic::{self, AssertUnwindSafe};

fn process(_batch: Vec<u8>) {}
async fn handle() {}

// MUST fire: the thread's panic never reaches the `catch_unwind` around the spawn.
pub fn guarded(batch: Vec<u8>) {
    let _ = panic::catch_unwind(|| { //~ catch_unwind_around_spawn
        std::thread::spawn(move || process(batch));
    });
}

// MUST fire: a handle bound and never joined inside the guard is as good as dropped.
pub fn bound_not_joined() {
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| { //~ catch_unwind_around_spawn
        let _worker = std::thread::spawn(|| process(Vec::new()));
    }));
}

// MUST fire: `FutureExt::catch_unwind` on a future that spawns a tokio task.
pub async fn guarded_task() {
    let _ = AssertUnwindSafe(async {
        tokio::spawn(handle());
    })
    .catch_unwind() //~ catch_unwind_around_spawn
    .await;
}

// MUST fire: `rayon::spawn` panics abort the process (without a `panic_handler`).
pub fn guarded_rayon() {
    let _ = panic::catch_unwind(|| rayon::spawn(|| process(Vec::new()))); //~ catch_unwind_around_spawn
}
