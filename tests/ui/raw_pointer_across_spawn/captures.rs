//@ deps: tokio, rayon
use std::ptr::{self, NonNull};
use std::thread;
use std::thread::spawn as go;

struct SendPtr(*mut u64);
// SAFETY: each thread writes a distinct index.
unsafe impl Send for SendPtr {}

struct SyncConst<T> {
    ptr: *const T,
}
// SAFETY: the pointee is only read.
unsafe impl<T: Sync> Sync for SyncConst<T> {}
// SAFETY: the pointee is only read.
unsafe impl<T: Send + Sync> Send for SyncConst<T> {}

impl<T> SyncConst<T> {
    fn new(ptr: *const T) -> Self {
        SyncConst { ptr }
    }
}

fn cast_of_a_reference() {
    let x = 5u64;
    let p = &x as *const u64;
    let h = thread::spawn(move || unsafe { *p }); //~ raw_pointer_across_spawn
    h.join().unwrap();
}

fn as_ptr_and_as_mut_ptr(v: &mut Vec<u8>) {
    let r = v.as_ptr();
    let w = v.as_mut_ptr();
    let h = thread::spawn(move || unsafe {
        let _ = *r; //~ raw_pointer_across_spawn
        *w = 1; //~ raw_pointer_across_spawn
    });
    h.join().unwrap();
}

fn null_pointer_and_a_typed_parameter(param: *const u8) {
    let n: *mut u8 = ptr::null_mut();
    let h = go(move || {
        let _ = (n, param); //~ raw_pointer_across_spawn, raw_pointer_across_spawn
    });
    h.join().unwrap();
}

fn send_ptr_wrapper(counts: &mut [u64]) {
    let p = SendPtr(counts.as_mut_ptr());
    let h = std::thread::spawn(move || unsafe { *p.0 += 1 }); //~ raw_pointer_across_spawn
    h.join().unwrap();
}

fn wrapper_built_with_new_and_literal(data: &[u32]) {
    let a = SyncConst::new(data.as_ptr());
    let b = SyncConst { ptr: data.as_ptr() };
    let h = thread::spawn(move || {
        let _ = a.ptr; //~ raw_pointer_across_spawn
        let _ = b.ptr; //~ raw_pointer_across_spawn
    });
    h.join().unwrap();
}

fn address_laundered_as_integer(buf: &mut [u8]) {
    let addr = buf.as_mut_ptr() as usize;
    let h = thread::spawn(move || unsafe { *(addr as *mut u8) = 0 }); //~ raw_pointer_across_spawn
    h.join().unwrap();
}

fn non_null_and_into_raw() {
    let b = Box::into_raw(Box::new(1u8));
    let nn = NonNull::new(b).unwrap();
    let h = thread::spawn(move || {
        let _ = nn; //~ raw_pointer_across_spawn
    });
    h.join().unwrap();
}

async fn tokio_task(v: &mut [u8]) {
    let p = SendPtr(v.as_mut_ptr() as *mut u64);
    let task = tokio::spawn(async move {
        let _ = p.0; //~ raw_pointer_across_spawn
    });
    task.await.unwrap();
}

fn scoped_threads(v: &mut [u64]) {
    let base = SendPtr(v.as_mut_ptr());
    thread::scope(|s| {
        for i in 0..4 {
            let p = &base;
            s.spawn(move || unsafe { *p.0.add(i) = 0 }); //~ raw_pointer_across_spawn
        }
    });
}

fn copied_binding(v: &mut [u64]) {
    let p = SendPtr(v.as_mut_ptr());
    let q = p;
    let h = thread::spawn(move || unsafe { *q.0 = 0 }); //~ raw_pointer_across_spawn
    h.join().unwrap();
}

fn main() {}
