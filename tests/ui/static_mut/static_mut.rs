static mut REQUESTS: usize = 0; //~ static_mut
pub static mut READY: bool = false; //~ static_mut
static mut BUFFER: *mut u8 = std::ptr::null_mut(); //~ static_mut
static mut CONFIG: Option<String> = None; //~ static_mut
static mut LOG: Vec<String> = Vec::new(); //~ static_mut

fn handle() {
    unsafe { REQUESTS += 1 };
    static mut CALLS: u32 = 0; //~ static_mut
    unsafe { CALLS += 1 };
}

mod inner {
    pub(crate) static mut DEPTH: i64 = -1; //~ static_mut
}

#[cfg(test)]
mod tests {
    // Tests run in parallel: a `static mut` races there too.
    static mut SEEN: u8 = 0; //~ static_mut

    #[test]
    fn counts() {
        unsafe { SEEN += 1 };
    }
}

fn main() {
    handle();
}
