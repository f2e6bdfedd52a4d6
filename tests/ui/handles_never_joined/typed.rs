// Collections whose written type holds join handles spawned out of sight: a parameter taken
// by value, a typed local. Each sits beside the same collection joined or not owned.
use std::thread::JoinHandle;

fn start_workers() -> Vec<JoinHandle<()>> {
    (0..4).map(|_| std::thread::spawn(|| {})).collect()
}

// MUST fire: a typed local, only counted.
pub fn started() -> usize {
    let workers: Vec<JoinHandle<()>> = start_workers(); //~ handles_never_joined
    workers.len()
}

// MUST NOT fire: the same local, joined.
pub fn started_and_joined() {
    let workers: Vec<JoinHandle<()>> = start_workers();
    for w in workers {
        w.join().expect("worker thread panicked");
    }
}

// MUST fire: a parameter taken by value, only measured, dropped at the end.
pub fn count(handles: Vec<JoinHandle<()>>) -> usize { //~ handles_never_joined
    handles.len()
}

// MUST NOT fire: a parameter behind a reference (the caller still holds the handles), and
// one named `_` on purpose.
pub fn count_borrowed(handles: &Vec<JoinHandle<()>>) -> usize {
    handles.len()
}
pub fn ignore(_handles: Vec<JoinHandle<()>>) {}

// MUST fire: taken out of a field and dropped, which detaches the threads.
pub struct Pool {
    workers: Vec<JoinHandle<()>>,
}
impl Pool {
    pub fn forget_workers(&mut self) {
        let workers: Vec<JoinHandle<()>> = std::mem::take(&mut self.workers); //~ handles_never_joined
        println!("letting {} workers go", workers.len());
    }

    // MUST NOT fire: taken out and joined.
    pub fn join_workers(&mut self) {
        let workers: Vec<JoinHandle<()>> = std::mem::take(&mut self.workers);
        for w in workers {
            w.join().expect("worker thread panicked");
        }
    }
}
