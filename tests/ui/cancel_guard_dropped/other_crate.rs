// MUST NOT fire: without tokio-util, `drop_guard` is some other API.
struct Lease;
impl Lease {
    fn drop_guard(&self) {}
}

pub fn release(lease: Lease) {
    let _ = lease.drop_guard();
    lease.drop_guard();
}
