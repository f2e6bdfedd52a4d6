//@ edition: 2021
// Edition 2021 rejects a trait object without `dyn`, so it is not rewritten.
pub type Callback = Box<Fn(u8) + Send>; //~ parse_error
