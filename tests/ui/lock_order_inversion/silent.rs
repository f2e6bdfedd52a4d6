use std::sync::{Mutex, RwLock};

struct Bank {
    accounts: Mutex<Vec<u64>>,
    log: Mutex<Vec<String>>,
    index: RwLock<Vec<u64>>,
    names: RwLock<Vec<String>>,
}

impl Bank {
    // MUST NOT: the same order everywhere.
    pub fn deposit(&self) {
        let _a = self.accounts.lock().unwrap();
        let _l = self.log.lock().unwrap();
    }

    pub fn withdraw(&self) {
        let _a = self.accounts.lock().unwrap();
        self.log.lock().unwrap().push(String::new());
    }

    // MUST NOT: the first guard is dropped before the second lock.
    pub fn report(&self) {
        let log = self.log.lock().unwrap();
        drop(log);
        let _a = self.accounts.lock().unwrap();
    }

    // MUST NOT: a temporary guard ends with its statement.
    pub fn count(&self) {
        let n = self.log.lock().unwrap().len();
        let _b = self.accounts.lock().unwrap();
        let _ = n;
    }

    // MUST NOT: both sides only read one of the locks (readers do not exclude each other).
    pub fn lookup(&self) {
        let _i = self.index.read().unwrap();
        let _n = self.names.write().unwrap();
    }

    pub fn rename(&self) {
        let _n = self.names.read().unwrap();
        let _i = self.index.read().unwrap();
    }
}

// MUST NOT: fields of the same name in two different types are different locks.
struct Left {
    a: Mutex<u32>,
    b: Mutex<u32>,
}
struct Right {
    a: Mutex<u32>,
    b: Mutex<u32>,
}

impl Left {
    pub fn f(&self) {
        let _a = self.a.lock().unwrap();
        let _b = self.b.lock().unwrap();
    }
}

impl Right {
    pub fn g(&self) {
        let _b = self.b.lock().unwrap();
        let _a = self.a.lock().unwrap();
    }
}

// MUST NOT: locals have no identity across functions.
pub fn locals(x: &Mutex<u32>, y: &Mutex<u32>) {
    let _a = x.lock().unwrap();
    let _b = y.lock().unwrap();
}

pub fn locals_reversed(x: &Mutex<u32>, y: &Mutex<u32>) {
    let _b = y.lock().unwrap();
    let _a = x.lock().unwrap();
}

// MUST NOT: both paths hold the same outer lock first, so they never run at the same time.
static TREE: Mutex<()> = Mutex::new(());

struct Tree {
    parent: Mutex<u32>,
    children: Mutex<Vec<u32>>,
}

impl Tree {
    pub fn adopt(&self) {
        let _tree = TREE.lock().unwrap();
        let _p = self.parent.lock().unwrap();
        let _c = self.children.lock().unwrap();
    }

    pub fn orphan(&self) {
        let _tree = TREE.lock().unwrap();
        let _c = self.children.lock().unwrap();
        let _p = self.parent.lock().unwrap();
    }
}

// MUST NOT: the two orders are the two branches of a test that orders the objects by id: one
// global order, the classic way to lock two objects.
struct Actor {
    id: u64,
    links: Mutex<Vec<u64>>,
    peers: Mutex<Vec<u64>>,
}

impl Actor {
    pub fn link(&self, other: &Actor) {
        if self.id < other.id {
            let _mine = self.links.lock().unwrap();
            let _theirs = self.peers.lock().unwrap();
        } else {
            let _theirs = self.peers.lock().unwrap();
            let _mine = self.links.lock().unwrap();
        }
    }

    pub fn unlink(&self, other: &Actor) {
        match self.id.cmp(&other.id) {
            std::cmp::Ordering::Less => {
                let _mine = self.links.lock().unwrap();
                let _theirs = self.peers.lock().unwrap();
            }
            _ => {
                let _theirs = self.peers.lock().unwrap();
                let _mine = self.links.lock().unwrap();
            }
        }
    }
}

// MUST NOT: a method that has `self` exclusively (`&mut self`) owns both locks, held in place:
// no other thread can hold either while it runs.
struct Txn {
    tables: Mutex<u32>,
    system: Mutex<u32>,
}

impl Txn {
    pub fn commit(&self) {
        let _s = self.system.lock().unwrap();
        let _t = self.tables.lock().unwrap();
    }

    pub fn restore(&mut self) {
        let _t = self.tables.lock().unwrap();
        let _s = self.system.lock().unwrap();
    }

    // A private `&self` helper called only from `&mut self` methods has `self` to itself too.
    pub fn durable_commit(&mut self) {
        self.store_freed();
    }

    fn store_freed(&self) {
        let _t = self.tables.lock().unwrap();
        let _s = self.system.lock().unwrap();
    }
}
