use std::marker::PhantomData;
use std::ptr::NonNull;

pub struct Ring<T> {
    buf: NonNull<u8>,
    _items: PhantomData<T>,
}

impl<T> Ring<T> {
    pub fn push(&self, item: T) {
        let _ = item;
    }
}
