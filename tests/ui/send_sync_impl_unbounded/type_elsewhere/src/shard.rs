use crate::slot::Slot;
use std::marker::PhantomData;

pub struct Array<T, C> {
    slots: Box<[Slot<T>]>,
    _config: PhantomData<C>,
}
