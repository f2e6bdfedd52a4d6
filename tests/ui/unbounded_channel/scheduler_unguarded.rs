//@ warn: unbounded_channel
// A run queue with a send that no flag guards: a task can be queued again and again.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

struct Task {
    scheduled: AtomicBool,
    queue: Sender<Arc<Task>>,
}

impl Task {
    fn wake(self: &Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.queue.send(self.clone()).unwrap();
        }
    }

    fn reschedule(self: &Arc<Self>) {
        // Queued whatever the flag says.
        self.queue.send(self.clone()).unwrap();
    }
}

struct Executor {
    ready: Receiver<Arc<Task>>,
    queue: Sender<Arc<Task>>,
}

fn executor() -> Executor {
    // MUST fire: `reschedule` queues a task without the flag.
    let (queue, ready) = mpsc::channel(); //~ unbounded_channel
    Executor { ready, queue }
}

fn main() {
    let executor = executor();
    let task = Arc::new(Task { scheduled: AtomicBool::new(false), queue: executor.queue.clone() });
    task.wake();
    task.reschedule();
    drop(executor.ready);
}
