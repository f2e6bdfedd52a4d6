pub struct A(*mut u8);
unsafe impl Send for A {}
unsafe impl Sync for A {}
pub struct B(*mut u8);
unsafe impl Send for B {}
unsafe impl Sync for B {}
pub struct C(*mut u8);
unsafe impl Send for C {}
unsafe impl Sync for C {}
#[repr(transparent)]
pub struct D(*mut u8);
unsafe impl Send for D {}
unsafe impl Sync for D {}
