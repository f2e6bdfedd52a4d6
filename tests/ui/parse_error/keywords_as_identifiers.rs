//@ edition: 2015
// In edition 2015 `try`, `async` and `await` are identifiers, and so is `dyn` unless a
// bound follows it; `try!` is std's macro.
use std::thread;

macro_rules! await {
    ($e:expr) => {
        $e
    };
}

pub fn try<F: FnOnce()>(f: F) {
    f()
}

pub fn async(dyn: u32) -> u32 { let await = dyn; thread::spawn(|| loop {}); await } //~ detached_spawn

pub fn uses(object: &dyn Send) -> Result<u32, ()> {
    let _ = object;
    let x = try!(Ok(1));
    try(|| {});
    Ok(await!(x))
}
