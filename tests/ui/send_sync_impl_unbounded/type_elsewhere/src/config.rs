use std::marker::PhantomData;

pub struct Config<P> {
    shards: usize,
    _policy: PhantomData<P>,
}

impl<P> Config<P> {
    pub fn shards(&self) -> usize {
        self.shards
    }
}
