//@ deps: tokio
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A lock-free cell: it holds no raw pointer field, so it is not a `SendPtr` wrapper.
struct Cell {
    head: AtomicPtr<u8>,
}
// SAFETY: all access goes through the atomic.
unsafe impl Send for Cell {}

/// A wrapper with a raw pointer but no `unsafe impl Send`/`Sync`.
#[derive(Clone, Copy)]
struct Plain(*const u8);

fn spawn(f: impl FnOnce()) {
    f()
}

fn pointer_used_outside_the_spawn(v: &[u8]) {
    let p = v.as_ptr();
    let _ = unsafe { *p };
    let h = thread::spawn(|| 1);
    h.join().unwrap();
}

fn pointer_made_inside_the_spawn() {
    let h = thread::spawn(|| {
        let v = vec![1u8];
        let p = v.as_ptr();
        unsafe { *p }
    });
    h.join().unwrap();
}

fn shared_through_arc() {
    let data = Arc::new(Mutex::new(vec![0u64; 4]));
    let d = Arc::clone(&data);
    let h = thread::spawn(move || d.lock().unwrap()[0] += 1);
    h.join().unwrap();
}

fn lock_free_type_without_pointer_field() {
    let c = Cell { head: AtomicPtr::new(std::ptr::null_mut()) };
    let h = thread::spawn(move || c.head.load(Ordering::Acquire).is_null());
    h.join().unwrap();
}

fn not_a_real_spawn(v: &[u8]) {
    let p = v.as_ptr();
    spawn(move || {
        let _ = p;
    });
}

fn iterator_closure_is_not_a_spawn(v: &[u8]) {
    let p = v.as_ptr();
    let _sum: u8 = (0..v.len()).map(|i| unsafe { *p.add(i) }).sum();
}

fn plain_wrapper_in_a_local_spawn(v: &[u8]) {
    let w = Plain(v.as_ptr());
    let local = tokio::task::LocalSet::new();
    let _ = w;
    drop(local);
}

fn owned_values_only(v: Vec<u8>) {
    let len = v.len();
    let h = thread::spawn(move || v.len() + len);
    h.join().unwrap();
}

fn address_only_compared(v: Vec<u8>) {
    // The address is compared, never turned back into a pointer: it is just a number.
    let addr = v.as_ptr() as usize;
    let h = thread::spawn(move || assert_eq!(v.as_ptr() as usize, addr));
    h.join().unwrap();
}

fn main() {}
