use std::cell::UnsafeCell;
use std::marker::PhantomData;

pub struct Slot<T> {
    value: UnsafeCell<Option<T>>,
}
// SAFETY: moving the slot moves the value.
unsafe impl<T: Send> Send for Slot<T> {}
// SAFETY: shared access hands out `&T` and moves `T` out once.
unsafe impl<T: Send + Sync> Sync for Slot<T> {}

pub struct Lock<T> {
    value: UnsafeCell<T>,
}
// SAFETY: the `Mutex` pattern: exclusive access makes `T: Send` enough for `Sync`.
unsafe impl<T: Send> Sync for Lock<T> {}
// SAFETY: bounds in the `where` clause count.
unsafe impl<T> Send for Lock<T> where T: Send {}

pub struct Reader<T> {
    value: *const T,
}
// SAFETY: `T: Sync` satisfies `Sync`.
unsafe impl<T: Sync> Sync for Reader<T> {}
// SAFETY: `T: Send + Sync` in the `where` clause satisfies both.
unsafe impl<T: ?Sized> Send for Reader<T> where T: Send + Sync {}

/// A local trait that requires `Send`.
pub trait Job: Send + 'static {}
pub trait Named where Self: Sync {}

pub struct Runner<J>(Vec<J>);
// SAFETY: `J: Job` implies `J: Send` through the trait's supertraits.
unsafe impl<J: Job> Send for Runner<J> {}
// SAFETY: `N: Named` implies `N: Sync` through the trait's `where Self: Sync`.
unsafe impl<N: Named> Sync for Runner<N> {}

pub struct Marker<T> {
    raw: *mut u8,
    _type: PhantomData<fn() -> T>,
}
// SAFETY: `T` only appears in `PhantomData`: no `T` is ever held.
unsafe impl<T> Send for Marker<T> {}

pub struct Raw(*mut u8);
// SAFETY: no type parameters at all.
unsafe impl Send for Raw {}

pub struct Borrowed<'a>(&'a [u8], *const u8);
// SAFETY: lifetimes are not type parameters.
unsafe impl<'a> Sync for Borrowed<'a> {}

pub struct Buf<const N: usize>([u8; N], *mut u8);
// SAFETY: const parameters are not type parameters.
unsafe impl<const N: usize> Send for Buf<N> {}

#[derive(Clone)]
pub struct Plain<T>(T);
impl<T: Default> Default for Plain<T> {
    fn default() -> Self {
        Plain(T::default())
    }
}

fn main() {}
