pub use crate::hidden_api::Hidden2;
