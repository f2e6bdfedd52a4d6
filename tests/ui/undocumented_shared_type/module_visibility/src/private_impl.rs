//@ warn: undocumented_shared_type
/// Found through `#[path = "private_impl.rs"] mod private_sys`: private.
pub struct Private {
    wake: std::sync::Condvar,
}
