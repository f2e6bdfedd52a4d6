// A closure that borrows `self` or the function's locals, handed to a method that is not a
// spawn, runs during that call: while the caller's guards are held. Here `prune` takes `stats`
// inside the callback it hands to `retain_with` under the guard of `conns`, and `report` takes
// them the other way round.
use std::sync::Mutex;

pub trait RetainWith<T> {
    fn retain_with(&mut self, keep: impl FnMut(&T) -> bool);
}

impl<T> RetainWith<T> for Vec<T> {
    fn retain_with(&mut self, keep: impl FnMut(&T) -> bool) {
        self.retain(keep);
    }
}

pub struct Pool {
    conns: Mutex<Vec<u32>>,
    stats: Mutex<u64>,
}

impl Pool {
    pub fn prune(&self) {
        let mut conns = self.conns.lock().unwrap();
        conns.retain_with(|c| {
            *self.stats.lock().unwrap() += 1;
            *c > 0
        });
    }

    pub fn report(&self) -> (u64, usize) {
        let stats = self.stats.lock().unwrap();
        let conns = self.conns.lock().unwrap(); //~ lock_order_inversion
        (*stats, conns.len())
    }
}

// A closure that borrows nothing may be kept and run later (a hook, a signal handler): it is
// not taken to run under the guard.
static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static HOOKS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

pub struct Registry {
    pub hooks: std::cell::RefCell<Vec<fn()>>,
}

impl Registry {
    pub fn on_change(&self, hook: fn()) {
        self.hooks.borrow_mut().push(hook);
    }
}

pub fn install(registry: &Registry) {
    let _events = EVENTS.lock().unwrap();
    registry.on_change(|| {
        let _hooks = HOOKS.lock().unwrap();
    });
}

pub fn fire() {
    let hooks = HOOKS.lock().unwrap();
    let _events = EVENTS.lock().unwrap();
    drop(hooks);
}
