// MUST NOT fire: without tokio-util, `drop_guard` is some other crate's API.
pub fn release(lease: leases::Lease, other: leases::Lease) {
    let _ = lease.drop_guard();
    other.drop_guard();
}
