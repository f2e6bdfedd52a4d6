//@ edition: 2015
// Old forms are rewritten, but a real syntax error is still one, reported where it is.
pub type Callback = Box<Fn(u8) + Send>;

pub fn f() { let = 1; } //~ parse_error
