/// The other platform's file of the same re-exported module.
pub struct Socket { //~ undocumented_shared_type
    state: std::sync::Mutex<u8>,
}
