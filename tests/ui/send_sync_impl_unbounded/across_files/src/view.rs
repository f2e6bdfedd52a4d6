use std::marker::PhantomData;
use std::ptr::NonNull;

/// A window onto values owned elsewhere.
pub struct View<'g, T> {
    at: NonNull<T>,
    len: usize,
    _borrow: PhantomData<&'g T>,
}

impl<'g, T> Iterator for View<'g, T> {
    type Item = &'g T;
    fn next(&mut self) -> Option<&'g T> {
        None
    }
}
