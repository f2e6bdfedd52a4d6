use std::sync::Mutex;

// `lock_order_inversion` is found in the workspace phase, after every file: a comment
// suppresses its findings all the same.
struct Bank {
    accounts: Mutex<Vec<u64>>,
    log: Mutex<Vec<String>>,
}

impl Bank {
    pub fn deposit(&self, n: u64) {
        let mut accounts = self.accounts.lock().unwrap();
        let mut log = self.log.lock().unwrap();
        accounts.push(n);
        log.push(format!("deposit {n}"));
    }

    pub fn report(&self) -> usize {
        let log = self.log.lock().unwrap();
        // taskcheck: allow(lock_order_inversion) -- report runs only when deposits are stopped
        let accounts = self.accounts.lock().unwrap();
        log.len() + accounts.len()
    }
}
