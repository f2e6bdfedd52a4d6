//@ warn: undocumented_shared_type
use std::sync::Mutex;

/// In a private module, but re-exported with `pub use`.
pub struct Exported { //~ undocumented_shared_type
    state: Mutex<u8>,
}
