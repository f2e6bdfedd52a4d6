//@ warn: undocumented_shared_type
pub use crate::hidden_api::Hidden2;
