pub use crate::boxed::{Job, Slot};
