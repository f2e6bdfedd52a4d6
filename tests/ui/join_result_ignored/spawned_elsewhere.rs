//@ warn: join_result_ignored
// A file that spawns nothing: its handles come from another file, known by their type.
use std::sync::Mutex;
use std::thread::JoinHandle;

pub static THREADS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

// MUST fire: the handles of a static filled in another file, taken and joined, the result
// ignored.
pub fn stop_all() {
    let taken = std::mem::take(&mut *THREADS.lock().unwrap());
    for h in taken {
        let _ = h.join(); //~ join_result_ignored
    }
}

// MUST NOT fire: each panic re-raised.
pub fn stop_all_checked() {
    let taken = std::mem::take(&mut *THREADS.lock().unwrap());
    for h in taken {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

// MUST fire: a parameter.
pub fn wait(h: JoinHandle<()>) {
    h.join().ok(); //~ join_result_ignored
}
