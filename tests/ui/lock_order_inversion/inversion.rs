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

pub fn add_group(b: &Bank) {
    let _l = b.log.lock().unwrap();
    let _g = GROUPS.lock().unwrap(); //~ lock_order_inversion
    let _u = USERS.lock().unwrap(); //~ lock_order_inversion
}
