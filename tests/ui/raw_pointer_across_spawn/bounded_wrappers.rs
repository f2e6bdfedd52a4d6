//@ warn: send_sync_impl_unbounded
// A type whose `unsafe impl Send`/`Sync` requires `Send`/`Sync` of what it holds is thread-safe
// for what it owns, as `Arc<T>` is: a value of it moved into a thread is not the `SendPtr`
// trick, unless it was built from a raw pointer into someone else's memory.
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

struct Inner<T> {
    count: AtomicUsize,
    value: T,
}

/// A reference-counted pointer, like `std::sync::Arc`.
pub struct MyArc<T> {
    ptr: NonNull<Inner<T>>,
}

// SAFETY: shared ownership of a `T` across threads, as `std::sync::Arc<T>`.
unsafe impl<T: Send + Sync> Send for MyArc<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

impl<T> MyArc<T> {
    pub fn new(value: T) -> Self {
        let inner = Box::new(Inner { count: AtomicUsize::new(1), value });
        MyArc { ptr: NonNull::from(Box::leak(inner)) }
    }

    pub fn get(&self) -> &T {
        unsafe { &self.ptr.as_ref().value }
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> Self {
        unsafe { self.ptr.as_ref() }.count.fetch_add(1, Ordering::Relaxed);
        MyArc { ptr: self.ptr }
    }
}

/// A buffer of bytes shared by its clones, `Send` exactly when its storage is.
pub struct Buffer {
    data: MyArc<Vec<u8>>,
    start: *const u8,
}

// SAFETY: `start` points into `data`, which the buffer keeps alive.
unsafe impl Send for Buffer where Vec<u8>: Send {}

impl Buffer {
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let data = MyArc::new(bytes);
        let start = data.get().as_ptr();
        Buffer { data, start }
    }
}

/// The `SendPtr` trick: `Send` whatever the pointee.
struct SendPtr<T>(*mut T);
// SAFETY: the threads write disjoint elements.
unsafe impl<T> Send for SendPtr<T> {} //~ send_sync_impl_unbounded

// MUST NOT fire: the crate's own `Arc`-like type, built from a value it owns.
pub fn shares_an_owned_value() -> usize {
    let shared = MyArc::new(vec![1, 2, 3]);
    let other = shared.clone();
    let worker = thread::spawn(move || other.get().len());
    worker.join().unwrap() + shared.get().len()
}

// MUST NOT fire: a type whose `unsafe impl` is bounded by its storage, built from owned bytes.
pub fn moves_a_buffer() {
    let buffer = Buffer::from_vec(vec![0; 16]);
    let worker = thread::spawn(move || unsafe { *buffer.start });
    worker.join().unwrap();
}

// MUST fire: a generic wrapper whose `unsafe impl` requires nothing of the pointee.
pub fn unbounded_generic_wrapper(counts: &mut [u64]) {
    let p = SendPtr(counts.as_mut_ptr());
    let worker = thread::spawn(move || unsafe { *p.0 += 1 }); //~ raw_pointer_across_spawn
    worker.join().unwrap();
}

// MUST fire: the bounded type built from a pointer into borrowed memory, which the thread may
// outlive.
pub fn bounded_type_over_a_borrowed_pointer(data: &mut Vec<u8>) {
    let view = Buffer { data: MyArc::new(Vec::new()), start: data.as_ptr() };
    let worker = thread::spawn(move || unsafe { *view.start }); //~ raw_pointer_across_spawn
    worker.join().unwrap();
}
