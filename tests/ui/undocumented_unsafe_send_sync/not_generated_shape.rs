pub struct A(*mut u8);
unsafe impl Send for A {} //~ undocumented_unsafe_send_sync
unsafe impl Sync for A {} //~ undocumented_unsafe_send_sync
pub struct B(*mut u8);
unsafe impl Send for B {} //~ undocumented_unsafe_send_sync
unsafe impl Sync for B {} //~ undocumented_unsafe_send_sync
pub struct C(*mut u8);
unsafe impl Send for C {} //~ undocumented_unsafe_send_sync
unsafe impl Sync for C {} //~ undocumented_unsafe_send_sync
pub struct D(*mut u8);
unsafe impl Send for D {} //~ undocumented_unsafe_send_sync
unsafe impl Sync for D {} //~ undocumented_unsafe_send_sync
// Eight bare impls, but a file with a comment (these annotations are comments) is written by
// hand: reported. Without any comment it is generator-shaped (`generated_shape.rs`); a
// comment-free file with fewer impls is reported (unit tests of `safety_comments`, since an
// annotation here would be a comment).
