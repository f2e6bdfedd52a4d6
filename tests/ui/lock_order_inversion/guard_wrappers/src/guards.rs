//! The types and the functions that return their guards.
use std::sync::{Mutex, MutexGuard};

pub struct Bank {
    accounts: Mutex<u32>,
    log: Mutex<Vec<String>>,
}

impl Bank {
    pub(crate) fn accounts(&self) -> MutexGuard<'_, u32> {
        self.accounts.lock().unwrap()
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, Vec<String>> {
        self.log.lock().unwrap()
    }
}

pub struct Ledger {
    entries: Mutex<u32>,
    audit: Mutex<Vec<String>>,
}

impl Ledger {
    pub(crate) fn entries(&self) -> MutexGuard<'_, u32> {
        self.entries.lock().unwrap()
    }

    pub(crate) fn audit(&self) -> MutexGuard<'_, Vec<String>> {
        self.audit.lock().unwrap()
    }
}
