//@ warn: undocumented_shared_type
use std::sync::atomic::AtomicBool;

/// `pub` in a `pub(crate)` module: not public API.
pub struct Flag(AtomicBool);
