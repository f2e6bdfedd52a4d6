//! Lock orders taken through calls into other files of the crate.
use std::sync::Mutex;

mod audit;
mod jobs;

pub struct Bank {
    accounts: Mutex<Vec<u64>>,
    log: Mutex<Vec<String>>,
    fees: Mutex<u64>,
    rates: Mutex<u64>,
}

impl Bank {
    /// `accounts` then (through `record`, in `audit.rs`) `log`; `audit` takes them the
    /// other way round.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        let mut accounts = self.accounts.lock().unwrap();
        accounts[from] -= amount;
        accounts[to] += amount;
        self.record("transfer"); //~ lock_order_inversion
    }

    /// `fees` then (through `charge_rate`, in `audit.rs`) `rates`; `audit.rs` takes `rates`
    /// before `fees` too, so the order is the same everywhere.
    pub fn charge(&self) {
        let mut fees = self.fees.lock().unwrap();
        *fees += self.charge_rate();
    }
}
