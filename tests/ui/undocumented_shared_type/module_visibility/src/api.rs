//@ warn: undocumented_shared_type
use std::sync::RwLock;

/// Public through `pub mod api`.
pub struct Registry { //~ undocumented_shared_type
    names: RwLock<Vec<String>>,
}
