//@ warn: static_mut
pub static mut HITS: u64 = 0; //~ static_mut
