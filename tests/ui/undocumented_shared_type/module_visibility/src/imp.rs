//@ warn: undocumented_shared_type
/// Public through `pub use self::imp as platform`.
pub struct Parker { //~ undocumented_shared_type
    state: std::sync::atomic::AtomicU32,
}
