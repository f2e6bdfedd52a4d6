pub struct Handle(*mut u8);
impl Handle {
    pub fn Open(&self, name: &str, flags: u32, mode: u32) -> Result<Handle, u32> { unsafe { Ok(Handle(core::ptr::null_mut::<u8>().wrapping_add(name.len() + flags as usize + mode as usize))) } }
}
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}
