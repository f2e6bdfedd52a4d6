use crate::Bank;

impl Bank {
    pub(crate) fn record(&self, line: &str) {
        self.log.lock().unwrap().push(line.to_string());
    }

    pub fn audit(&self) -> usize {
        let log = self.log.lock().unwrap();
        let accounts = self.accounts.lock().unwrap();
        log.len() + accounts.len()
    }

    pub(crate) fn charge_rate(&self) -> u64 {
        *self.rates.lock().unwrap()
    }

    pub fn report(&self) -> u64 {
        let fees = self.fees.lock().unwrap();
        let rates = self.rates.lock().unwrap();
        *fees + *rates
    }
}
