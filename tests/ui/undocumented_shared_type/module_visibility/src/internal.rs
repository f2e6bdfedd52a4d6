//@ warn: undocumented_shared_type
use std::sync::Mutex;

/// `pub`, but in a private module that nothing re-exports: not public API.
pub struct Internal {
    state: Mutex<u8>,
}
