use crate::guard::Ref;
use crate::{Bounded, Registry, Stack};

impl<T> Stack<T> {
    pub fn len(&self) -> usize {
        0
    }

    pub fn peek(&self) -> &T {
        unsafe { &*self.buf.as_ptr().cast::<T>() }
    }

    pub fn pop(&self) -> Option<T> {
        None
    }
}

impl<T> Bounded<T> {
    pub fn pop(&self) -> Option<T> {
        None
    }
}

impl<T, C> Registry<T, C> {
    pub fn get(&self, key: usize) -> Option<Ref<'_, T, C>> {
        let _ = key;
        None
    }
}
