//@ warn: static_mut
static mut CALLS: u32 = 0; //~ static_mut

#[test]
fn counts() {
    unsafe { CALLS += 1 };
}
