//@ warn: undocumented_shared_type
/// Found through `#[path = "unix_impl.rs"] pub mod unix_sys`.
pub struct Poller { //~ undocumented_shared_type
    wake: std::sync::Condvar,
}
