//@ warn: send_sync_impl_unbounded
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

pub struct Inline<A: Items>(A);
pub trait Items {
    type Item;
}
// SAFETY: a bound on the parameter's associated type counts.
unsafe impl<A: Items> Send for Inline<A> where A::Item: Send {}

pub struct Lazy<T>(std::sync::OnceLock<T>);
// SAFETY: a bound on a type built from the parameter counts: it can only hold through `T`.
unsafe impl<T> Sync for Lazy<T> where std::sync::OnceLock<T>: Sync {}

pub struct Iter<'a, T> {
    map: &'a [T],
    at: *const T,
}
// SAFETY: the `&T` pattern: `T` is only reached through shared pointers, so `T: Sync` is right.
unsafe impl<'a, T: Sync> Send for Iter<'a, T> {}

pub struct Pool<T, C> {
    shards: shard::Array<T, C>,
    _cfg: PhantomData<C>,
}
// SAFETY: `C` only reaches `shard::Array`, defined in another file: it may be a configuration
// marker that is never stored, so nothing is reported.
unsafe impl<T: Send, C: cfg::Config> Send for Pool<T, C> {}

// A type defined in another file: its fields cannot be seen.
// SAFETY: see the type.
unsafe impl<T> Send for elsewhere::Handle<T> {}

pub struct FutureObj<T> {
    future: *mut (dyn std::future::Future<Output = T> + 'static),
}
// SAFETY: `T` only appears in a trait object's signature: no `T` is stored.
unsafe impl<T> Send for FutureObj<T> {}

#[cfg(test)]
mod tests {
    struct Packet<T>(std::sync::Arc<std::sync::Mutex<T>>);
    // SAFETY: test code is left alone.
    unsafe impl<T> Sync for Packet<T> {}
}

fn main() {}

// A length type: the field holds `N::Storage`, a type `N` names, never an `N`.
pub trait Length<T> {
    type Storage;
}
pub struct Array<T, N: Length<T>> {
    data: N::Storage,
}
// SAFETY: `Array<T, N>` is `[T; N]`.
unsafe impl<T: Send, N: Length<T>> Send for Array<T, N> {}
// SAFETY: as above.
unsafe impl<T: Sync, N: Length<T>> Sync for Array<T, N> {}

// A strategy parameter held only in `PhantomData`, through a function pointer.
pub struct Flavor<F, R> {
    inner: F,
    _relax: PhantomData<fn() -> R>,
}
// SAFETY: `F` is bounded; `R` is a strategy with no value.
unsafe impl<F: Send, R> Send for Flavor<F, R> {}

// ... or through another type of this file that holds it only in `PhantomData`.
pub struct Relax<R>(PhantomData<R>);
pub struct Spin<T, R> {
    data: UnsafeCell<T>,
    relax: Relax<R>,
}
impl<T, R> Spin<T, R> {
    pub fn lock(&self) -> &mut T {
        unsafe { &mut *self.data.get() }
    }
}
// SAFETY: the `Mutex` pattern for `T`; `R` is never stored.
unsafe impl<T: Send, R> Sync for Spin<T, R> {}
// SAFETY: as above.
unsafe impl<T: Send, R> Send for Spin<T, R> {}

// `SyncWrapper`: `T` is stored, but nothing reaches it through `&self`.
pub struct SyncWrapper<T> {
    value: T,
}
impl<T> SyncWrapper<T> {
    pub fn new(value: T) -> Self {
        SyncWrapper { value }
    }
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }
    pub fn into_inner(self) -> T {
        self.value
    }
}
// SAFETY: a shared `SyncWrapper` gives access to nothing.
unsafe impl<T> Sync for SyncWrapper<T> {}

// A guard's raw-lock parameter: behind a reference, and no `&self` method names it.
pub trait RawLock {
    fn unlock(&self);
}
pub struct Lock<R, T> {
    raw: R,
    data: UnsafeCell<T>,
}
pub struct Guard<'a, R: RawLock, T> {
    lock: &'a Lock<R, T>,
}
impl<'a, R: RawLock, T> Deref for Guard<'a, R, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { &*self.lock.data.get() }
    }
}
impl<'a, R: RawLock, T> Drop for Guard<'a, R, T> {
    fn drop(&mut self) {
        self.lock.raw.unlock();
    }
}
// SAFETY: a shared guard only lends `&T`.
unsafe impl<'a, R: RawLock, T: Sync> Sync for Guard<'a, R, T> {}

// A marker parameter named only as a type argument of another type: no `T` is handed out.
pub struct Notified<S>(std::ptr::NonNull<u8>, PhantomData<S>);
/// A queue of task headers, shared between threads.
pub struct Inject<T> {
    head: std::sync::atomic::AtomicPtr<u8>,
    _p: PhantomData<T>,
}
impl<T> Inject<T> {
    pub fn push(&self, _task: Notified<T>) {}
    pub fn pop(&self) -> Option<Notified<T>> {
        None
    }
}
// SAFETY: the queue holds task headers, never a `T`.
unsafe impl<T> Send for Inject<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Inject<T> {}

// A scoped thread-local key: the `&T` it takes and lends is the calling thread's own.
pub struct ScopedKey<T> {
    slot: &'static std::thread::LocalKey<std::cell::Cell<*const ()>>,
    _marker: PhantomData<T>,
}
impl<T> ScopedKey<T> {
    pub fn set<R>(&'static self, t: &T, f: impl FnOnce() -> R) -> R {
        self.slot.with(|c| c.set(t as *const T as *const ()));
        f()
    }
    pub fn with<F, R>(&'static self, f: F) -> R
    where
        F: FnOnce(&T) -> R,
    {
        f(unsafe { &*(self.slot.with(|c| c.get()) as *const T) })
    }
}
// SAFETY: each thread reads its own slot.
unsafe impl<T> Sync for ScopedKey<T> {}
