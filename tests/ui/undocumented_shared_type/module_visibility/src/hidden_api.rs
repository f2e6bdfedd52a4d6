//@ warn: undocumented_shared_type
/// Re-exported, but only by a private module: not public API.
pub struct Hidden2 {
    state: std::sync::Mutex<u8>,
}
