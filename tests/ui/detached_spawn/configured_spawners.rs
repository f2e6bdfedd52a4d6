//@ deps: tokio
//@ spawners: spawn_logged = tokio::spawn, rt::go = std::thread::spawn
use crate::tasks::spawn_logged;
use std::sync::mpsc::Receiver;

async fn flush() {}

mod tasks {
    pub fn spawn_logged<F: std::future::Future<Output = ()> + Send + 'static>(f: F) {
        let _ = f;
    }
}

mod rt {
    pub fn go<F: FnOnce() + Send + 'static>(f: F) {
        let _ = f;
    }
}

// The project's own spawn functions, named in `[spawners]`, are spawns.
pub fn start(rx: Receiver<u32>) {
    spawn_logged(async { loop { flush().await; } }); //~ detached_spawn
    rt::go(move || loop { let _ = rx.recv(); }); //~ detached_spawn
    // A function of another name is not.
    tasks_other(async { loop { flush().await; } });
}

fn tasks_other<F>(_: F) {}
