//@ warn: undocumented_shared_type
/// Declared by `mod via_macro;` inside `cfg_if!`: private.
pub struct ViaMacro {
    state: std::sync::Mutex<u8>,
}
