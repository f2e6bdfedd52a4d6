pub trait Task: Send + Sync + 'static {
    fn run(&self);
}

pub trait Plain: Clone {
    fn name(&self) -> &str;
}
