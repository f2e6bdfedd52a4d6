//@ deps: parking_lot
use std::sync::{Mutex, RwLock};

struct Bank {
    accounts: Mutex<Vec<u64>>,
    log: Mutex<Vec<String>>,
    audit: RwLock<u64>,
    ledger: RwLock<u64>,
}

impl Bank {
    // One order: `accounts`, then `log`.
    pub fn deposit(&self, n: u64) {
        let mut accounts = self.accounts.lock().unwrap();
        let mut log = self.log.lock().unwrap();
        accounts.push(n);
        log.push(format!("deposit {n}"));
    }

    // MUST: the opposite order, in another function.
    pub fn report(&self) -> usize {
        let log = self.log.lock().unwrap();
        let accounts = self.accounts.lock().unwrap(); //~ lock_order_inversion
        log.len() + accounts.len()
    }

    // Through a call: `audit` (write) is held while `record` takes `ledger`…
    pub fn close(&self) {
        let mut audit = self.audit.write().unwrap();
        *audit += 1;
        self.record();
    }

    fn record(&self) {
        *self.ledger.write().unwrap() += 1;
    }

    // …and here `ledger` is held while `audit` is read: a writer in `close` and this reader
    // wait for each other.
    pub fn check(&self) -> u64 {
        let ledger = self.ledger.write().unwrap();
        let audit = self.audit.read().unwrap(); //~ lock_order_inversion
        *ledger + *audit
    }
}

// Statics, and a parameter whose type names the lock's owner.
static USERS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

pub fn add_user(bank: &Bank) {
    let _u = USERS.lock().unwrap();
    let _g = GROUPS.lock().unwrap();
    let _l = bank.log.lock().unwrap();
}

// `USERS` after `b.log` is not reported against `bank.log` after `USERS`: both paths hold
// `GROUPS` by then, so that pair alone cannot deadlock; the `GROUPS`/`USERS` inversion can.
pub fn add_group(b: &Bank) {
    let _l = b.log.lock().unwrap();
    let _g = GROUPS.lock().unwrap(); //~ lock_order_inversion
    let _u = USERS.lock().unwrap(); //~ lock_order_inversion
}

// MUST: `&mut self`, but the locks sit behind an `Arc` that other threads can share.
struct Shared {
    left: std::sync::Arc<Mutex<u32>>,
    right: std::sync::Arc<Mutex<u32>>,
}

impl Shared {
    pub fn forward(&self) {
        let _l = self.left.lock().unwrap();
        let _r = self.right.lock().unwrap();
    }

    pub fn backward(&mut self) {
        let _r = self.right.lock().unwrap();
        let _l = self.left.lock().unwrap(); //~ lock_order_inversion
    }
}

// MUST: a private `&self` helper that a `&self` method calls can run on two threads at once.
struct Journal {
    head: Mutex<u32>,
    tail: Mutex<u32>,
}

impl Journal {
    pub fn append(&self) {
        let _h = self.head.lock().unwrap();
        let _t = self.tail.lock().unwrap();
    }

    pub fn flush(&self) {
        self.rewind();
    }

    fn rewind(&self) {
        let _t = self.tail.lock().unwrap();
        let _h = self.head.lock().unwrap(); //~ lock_order_inversion
    }
}

// MUST: an outer lock held for reading on both paths does not keep them apart.
struct Gated {
    gate: RwLock<()>,
    a: Mutex<u32>,
    b: Mutex<u32>,
}

impl Gated {
    pub fn ab(&self) {
        let _g = self.gate.read().unwrap();
        let _a = self.a.lock().unwrap();
        let _b = self.b.lock().unwrap();
    }

    pub fn ba(&self) {
        let _g = self.gate.read().unwrap();
        let _b = self.b.lock().unwrap();
        let _a = self.a.lock().unwrap(); //~ lock_order_inversion
    }
}

// MUST: two upgradable reads exclude each other.
struct Upgrades {
    x: parking_lot::RwLock<u32>,
    y: parking_lot::RwLock<u32>,
}

impl Upgrades {
    pub fn xy(&self) {
        let _x = self.x.upgradable_read();
        let _y = self.y.upgradable_read();
    }

    pub fn yx(&self) {
        let _y = self.y.upgradable_read();
        let _x = self.x.upgradable_read(); //~ lock_order_inversion
    }
}

// MUST: a path that ignores the order the others keep by id.
struct Peer {
    id: u64,
    inbox: Mutex<Vec<u64>>,
    outbox: Mutex<Vec<u64>>,
}

impl Peer {
    pub fn sorted(&self, other: &Peer) {
        if self.id < other.id {
            let _i = self.inbox.lock().unwrap();
            let _o = self.outbox.lock().unwrap();
        } else {
            let _o = self.outbox.lock().unwrap();
            let _i = self.inbox.lock().unwrap();
        }
    }

    pub fn flush(&self) {
        let _o = self.outbox.lock().unwrap();
        let _i = self.inbox.lock().unwrap(); //~ lock_order_inversion
    }
}
