use crate::Db;

impl Db {
    pub(crate) fn summary(&self) -> usize {
        self.pending()
    }

    fn pending(&self) -> usize {
        self.state.read().unwrap().pending.len()
    }

    pub(crate) fn record(&self, line: &str) {
        self.log.lock().unwrap().push(line.to_string());
    }
}
