//@ warn: unnamed_thread, uncancellable_loop
//@ deps: tokio
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

fn named() -> std::io::Result<thread::JoinHandle<()>> {
    thread::Builder::new().name("ticker".into()).spawn(|| loop { //~ uncancellable_loop
        std::hint::spin_loop();
    })
}

fn named_through_a_binding() -> std::io::Result<thread::JoinHandle<()>> {
    let builder = thread::Builder::new().name("ticker".into());
    builder.spawn(|| loop { //~ uncancellable_loop
        std::hint::spin_loop();
    })
}

fn short_lived() -> thread::JoinHandle<u32> {
    thread::spawn(|| (0..10).sum())
}

fn loop_that_ends(stop: Arc<AtomicBool>) -> thread::JoinHandle<()> {
    thread::spawn(move || loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
    })
}

fn scoped() {
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..3 {
                let _ = i;
            }
        });
    });
}

async fn a_task_is_not_a_thread() {
    let t = tokio::spawn(async {
        loop {
            tokio::task::yield_now().await;
        }
    });
    t.abort();
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_servers_are_left_alone() {
        let server = std::thread::spawn(|| loop { //~ uncancellable_loop
            std::hint::spin_loop();
        });
        server.join().unwrap();
    }
}

fn main() {}
