use crate::Db;

impl Db {
    /// A step of a chain through two files: `summary` is in `stats.rs`, and reads `self.state`.
    pub(crate) fn report(&self) -> String {
        let n = self.summary();
        format!("{n} pending")
    }

    pub(crate) fn log_len(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}
