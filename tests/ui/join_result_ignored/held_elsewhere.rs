//@ warn: join_result_ignored
//@ deps: tokio
// Handles whose spawn is out of sight: a parameter's, a `static`'s, a typed local's. Each
// ignored join sits beside the same join handled, or beside a case the lint leaves alone.
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

fn flush() -> u32 {
    1
}

// MUST fire: a handle received as a parameter, joined with the result thrown away.
pub fn wait_one(h: JoinHandle<u32>) {
    let _ = h.join(); //~ join_result_ignored
}

// MUST NOT fire: the same parameter, joined and propagated.
pub fn wait_one_checked(h: JoinHandle<u32>) {
    h.join().expect("worker thread panicked");
}

// MUST fire: the elements of a parameter's collection.
pub fn wait_all(handles: Vec<JoinHandle<()>>) {
    for h in handles {
        h.join().ok(); //~ join_result_ignored
    }
}

// MUST NOT fire: the same collection, each panic re-raised.
pub fn wait_all_checked(handles: Vec<JoinHandle<()>>) {
    for h in handles {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

// MUST fire: the collection's type is an alias, the closure's parameter says what it holds.
type Handles = Vec<JoinHandle<()>>;
pub fn wait_each(handles: Handles) {
    handles.into_iter().for_each(|h: JoinHandle<()>| {
        let _ = h.join(); //~ join_result_ignored
    });
}

// MUST fire: drained from a `&mut` parameter.
pub fn drain_all(handles: &mut Vec<(String, thread::JoinHandle<()>)>) {
    for (_name, h) in handles.drain(..) {
        let _ = h.join(); //~ join_result_ignored
    }
}

// MUST fire: a tokio handle received as a parameter, its `JoinError` thrown away.
pub async fn wait_task(task: tokio::task::JoinHandle<()>) {
    let _ = task.await; //~ join_result_ignored
}

// MUST NOT fire: the task is aborted first; the `JoinError` is the expected cancellation.
pub async fn cancel_task(task: tokio::task::JoinHandle<()>) {
    task.abort();
    let _ = task.await;
}

static WORKERS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

pub fn start() {
    let h = thread::spawn(|| {
        flush();
    });
    WORKERS.lock().unwrap().push(h);
}

// MUST fire: the handles a `static` holds, taken out and joined, the result ignored.
pub fn stop_taken() {
    let taken = std::mem::take(&mut *WORKERS.lock().unwrap());
    for h in taken {
        let _ = h.join(); //~ join_result_ignored
    }
}

// MUST fire: drained straight from the static, popped from it.
pub fn stop_drained() {
    for h in WORKERS.lock().unwrap().drain(..) {
        h.join().ok(); //~ join_result_ignored
    }
    while let Some(h) = WORKERS.lock().unwrap().pop() {
        _ = h.join(); //~ join_result_ignored
    }
}

// MUST fire: a static initialised on first use (`OnceLock`).
static LATE: std::sync::OnceLock<Mutex<Vec<JoinHandle<()>>>> = std::sync::OnceLock::new();

pub fn stop_late() {
    for h in LATE.get_or_init(Default::default).lock().unwrap().drain(..) {
        let _ = h.join(); //~ join_result_ignored
    }
}

// MUST NOT fire: a local of the same name shadows the static.
pub fn shadowed() {
    #[allow(non_snake_case)]
    let mut WORKERS = vec![pool::JoinHandle];
    for h in WORKERS.drain(..) {
        let _ = h.join();
    }
}

// MUST NOT fire: the same drain, each panic propagated.
pub fn stop_checked() {
    for h in WORKERS.lock().unwrap().drain(..) {
        h.join().expect("worker thread panicked");
    }
}

// MUST NOT fire: a bare `h.join();` is rustc's `unused_must_use` warning already.
#[allow(unused_must_use)]
pub fn stop_bare(handles: Vec<JoinHandle<()>>) {
    for h in handles {
        h.join();
    }
}

// MUST NOT fire: the spawns the file puts into this static run inside `catch_unwind`.
static GUARDED: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

pub fn start_guarded() {
    GUARDED.lock().unwrap().push(thread::spawn(|| {
        if std::panic::catch_unwind(flush).is_err() {
            eprintln!("flush panicked");
        }
    }));
}

pub fn stop_guarded() {
    for h in std::mem::take(&mut *GUARDED.lock().unwrap()) {
        let _ = h.join();
    }
}

// MUST NOT fire: a `JoinHandle` that is not a thread's or a tokio task's.
mod pool {
    pub struct JoinHandle;
    impl JoinHandle {
        pub fn join(self) -> Result<(), ()> {
            Ok(())
        }
    }
    pub fn wait(h: JoinHandle) {
        let _ = h.join();
    }
}

// MUST NOT fire: a destructor joining the handles it was handed.
pub struct Pool {
    workers: Vec<JoinHandle<()>>,
}
impl Drop for Pool {
    fn drop(&mut self) {
        let workers: Vec<JoinHandle<()>> = std::mem::take(&mut self.workers);
        for h in workers {
            let _ = h.join();
        }
    }
}

// MUST fire: a typed local taken from a field, outside a destructor.
impl Pool {
    pub fn shutdown(&mut self) {
        let workers: Vec<JoinHandle<()>> = std::mem::take(&mut self.workers);
        for h in workers {
            let _ = h.join(); //~ join_result_ignored
        }
    }
}
