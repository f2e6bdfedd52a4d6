//@ warn: undocumented_shared_type
/// In a `#[doc(hidden)]` module: not documented API.
pub struct Internals {
    state: std::sync::Mutex<u8>,
}
