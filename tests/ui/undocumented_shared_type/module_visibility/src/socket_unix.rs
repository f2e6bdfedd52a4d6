/// Found through `#[path = "socket_unix.rs"] mod socket;` and `pub use socket::Socket`.
pub struct Socket { //~ undocumented_shared_type
    state: std::sync::Mutex<u8>,
}
