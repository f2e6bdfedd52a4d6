//@ warn: unbounded_channel
// A run queue where a task is queued only by the caller that sets its `scheduled` flag holds
// at most one entry per live task: it is bounded by construction.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

struct Task {
    scheduled: AtomicBool,
    queue: Mutex<Sender<Arc<Task>>>,
}

impl Task {
    fn wake(self: &Arc<Self>) {
        // MUST NOT fire (below): only the waker that flips the flag queues the task.
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.queue.lock().unwrap().send(self.clone()).unwrap();
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.scheduled.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_err() {
            return;
        }
        self.queue.lock().unwrap().send(self.clone()).unwrap();
    }
}

struct Executor {
    ready: Receiver<Arc<Task>>,
    queue: Sender<Arc<Task>>,
}

impl Executor {
    fn new() -> Executor {
        // MUST NOT fire: every send through a field is guarded by the flag.
        let (queue, ready) = mpsc::channel();
        Executor { ready, queue }
    }

    fn spawn(&self) {
        let task = Arc::new(Task { scheduled: AtomicBool::new(false), queue: Mutex::new(self.queue.clone()) });
        task.wake();
    }

    fn run_once(&self) {
        if let Ok(task) = self.ready.try_recv() {
            task.scheduled.store(false, Ordering::Release);
            task.wake_by_ref();
        }
    }
}

fn main() {
    let executor = Executor::new();
    executor.spawn();
    executor.run_once();
}
