use std::marker::PhantomData;

pub struct Slot<T> {
    _kind: PhantomData<T>,
}

pub trait Job {}
