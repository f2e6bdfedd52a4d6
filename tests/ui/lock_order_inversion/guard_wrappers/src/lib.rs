//! The locks are taken through functions of another file (`guards.rs`) that return their
//! guards: the caller holds each while the value it returned lives.
mod guards;
mod unread;

use guards::{Bank, Ledger};
use std::sync::Mutex;

/// A lock of this file's own: the lock lints read a file only when it locks something itself.
static CALLS: Mutex<u32> = Mutex::new(0);

fn count() {
    *CALLS.lock().unwrap() += 1;
}

impl Bank {
    /// `accounts`, then `log`.
    pub fn deposit(&self, n: u32) {
        let mut accounts = self.accounts();
        *accounts += n;
        let mut log = self.log();
        log.push(format!("deposit {n}"));
    }

    /// `log`, then `accounts`: the opposite order.
    pub fn report(&self) {
        count();
        let mut log = self.log();
        let accounts = self.accounts(); //~ lock_order_inversion
        log.push(format!("balance {}", *accounts));
    }
}

impl Ledger {
    /// `entries`, then `audit`.
    pub fn add(&self, n: u32) {
        let mut entries = self.entries();
        *entries += n;
        self.audit().push(format!("add {n}"));
    }

    /// The same order: `entries`, then `audit`.
    pub fn check(&self) {
        let entries = self.entries();
        let mut audit = self.audit();
        audit.push(format!("entries {}", *entries));
    }

    /// One at a time: `audit`'s guard is dropped at the end of its statement.
    pub fn note(&self) {
        self.audit().push("note".to_string());
        *self.entries() += 1;
    }
}
