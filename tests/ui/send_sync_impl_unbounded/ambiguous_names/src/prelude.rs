pub use crate::reexported::{Job, Slot};
