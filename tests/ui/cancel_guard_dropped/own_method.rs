//@ deps: tokio-util
// MUST NOT fire: `self.drop_guard()` and a `drop_guard` this file defines are the user's own API.
use tokio_util::sync::CancellationToken;

pub struct PageGuard {
    token: CancellationToken,
}

impl PageGuard {
    fn drop_guard(&mut self) {}
    pub fn release(&mut self) {
        self.drop_guard();
    }
}
