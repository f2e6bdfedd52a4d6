use crate::op::{Job, Op};
use std::marker::PhantomData;
use std::ops::Deref;

/// A callback typed by the progress it reports; it holds no progress value.
pub struct Callback<P> {
    call: Box<dyn Fn(u32) + Send + Sync>,
    _progress: PhantomData<P>,
}

pub trait Operation {
    type Done;
    fn on_done(&self, done: &Self::Done);
}

impl<P> Operation for Op<P> {
    type Done = Callback<P>;
    fn on_done(&self, done: &Self::Done) {}
}

/// Values stored by a job.
pub struct Store<P> {
    items: Vec<P>,
}

impl<P> Deref for Job<P> {
    type Target = Store<P>;
    fn deref(&self) -> &Self::Target {
        unimplemented!()
    }
}
