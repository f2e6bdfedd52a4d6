// Handwritten code that talks about generated code, in a string or below the first lines,
// is still checked.
pub const NOTE: &str = "// @generated DO NOT EDIT";

pub struct Registry(*mut u8);
unsafe impl Send for Registry {} //~ undocumented_unsafe_send_sync

pub struct Other(*mut u8);
unsafe impl Sync for Other {} //~ undocumented_unsafe_send_sync

// This marker is too far down to mark the file as generated: DO NOT EDIT
unsafe impl Send for Other {} //~ undocumented_unsafe_send_sync
