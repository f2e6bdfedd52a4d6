//! Not seen: this file takes no lock of its own, so the lock lints do not read it (the
//! prefilter skips such files), and the opposite order taken here is not compared.
use crate::guards::Ledger;

impl Ledger {
    /// `audit`, then `entries`: the opposite of `add`'s order, unseen.
    pub fn reversed(&self) {
        let mut audit = self.audit();
        let entries = self.entries();
        audit.push(format!("entries {}", *entries));
    }
}
