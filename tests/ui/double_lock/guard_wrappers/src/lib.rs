//! The guards come from functions of another file (`guards.rs`): the caller holds each while
//! the value it returned lives.
mod guards;
mod unread;

use guards::{Access, Fast, Store};

impl Store {
    /// `wl` returns a write guard of `self.inner`, which `g` holds: the second call waits for it.
    pub fn twice(&self) {
        let mut g = self.wl();
        g.items.push(1);
        let n = self.wl().items.len(); //~ double_lock
        g.items.push(n as u32);
    }

    /// The first guard is dropped before the second call.
    pub fn dropped_first(&self) {
        let mut g = self.wl();
        g.items.push(1);
        drop(g);
        self.wl().items.push(2);
    }

    /// Each temporary guard is dropped at the end of its statement.
    pub fn temporaries(&self) {
        self.wl().items.push(1);
        self.wl().items.push(2);
    }

    /// `lock_state` returns the guard of `self.state`, locked again here while `s` holds it.
    pub fn then_direct(&self) {
        let s = self.lock_state();
        let n = s.items.len();
        self.state.lock().unwrap().items.push(n as u32); //~ double_lock
    }

    /// `s` is released before the direct lock.
    pub fn then_direct_released(&self) {
        let n = {
            let s = self.lock_state();
            s.items.len()
        };
        self.state.lock().unwrap().items.push(n as u32);
    }

    /// Two different locks: `self.state` and `self.other`.
    pub fn different(&self) -> usize {
        let s = self.lock_state();
        let o = self.lock_other();
        o.items.len() + s.items.len()
    }
}

impl Fast {
    /// parking_lot's guard, taken twice.
    pub fn twice(&self) -> usize {
        let a = self.guard();
        let b = self.guard(); //~ double_lock
        a.items.len() + b.items.len()
    }

    /// The first guard's statement ends before the second call.
    pub fn one_at_a_time(&self) -> usize {
        let n = self.guard().items.len();
        n + self.guard().items.len()
    }
}
