//@ deps: rayon, smol
use std::sync::mpsc::Receiver;
use std::thread;

fn work(_rx: &Receiver<u32>) {}

// MUST fire: the std example of RULES.md, through `use std::thread`.
pub fn std_thread(rx: Receiver<u32>) {
    std::thread::spawn(move || loop { work(&rx) }); //~ detached_spawn
}

pub fn via_use(rx: Receiver<u32>) {
    let _worker = thread::spawn(move || loop { work(&rx) }); //~ detached_spawn
}

pub fn builder(rx: Receiver<u32>) {
    thread::Builder::new().name("worker".into()).spawn(move || loop { work(&rx) }).unwrap(); //~ detached_spawn
}

// rayon::spawn has no handle at all.
pub fn pool(rx: Receiver<u32>) {
    rayon::spawn(move || loop { work(&rx) }); //~ detached_spawn
}

// smol: `.detach()` lets the task run on with nothing to stop it.
pub fn smol_detached() {
    smol::spawn(async { loop { smol::future::yield_now().await; } }).detach(); //~ detached_spawn
}
