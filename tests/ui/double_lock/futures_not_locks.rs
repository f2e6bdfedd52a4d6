//@ deps: tokio
// A lock future that is not awaited where it is made takes no lock there.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

async fn bump(state: &tokio::sync::RwLock<u32>) {
    *state.write().await += 1;
}

// MUST NOT: calling an `async fn` only makes its future; its lock is taken when it is awaited,
// after the guard is gone.
pub async fn deferred(state: &tokio::sync::RwLock<u32>) {
    let guard = state.read().await;
    let later = bump(state);
    drop(guard);
    later.await;
}

// MUST: awaited while the read guard is alive.
pub async fn awaited(state: &tokio::sync::RwLock<u32>) {
    let guard = state.read().await;
    bump(state).await; //~ double_lock
    drop(guard);
}

// A lock of this crate whose `write()` is a future (an async lock's own tests).
mod lock {
    /// Shared between threads like std's `RwLock`, but `write()` is a future.
    pub struct RwLock<T>(std::sync::RwLock<T>);
    impl<T> RwLock<T> {
        pub fn new(value: T) -> Self {
            RwLock(std::sync::RwLock::new(value))
        }
        pub fn try_read(&self) -> Option<std::sync::RwLockReadGuard<'_, T>> {
            self.0.try_read().ok()
        }
        pub async fn write(&self) -> std::sync::RwLockWriteGuard<'_, T> {
            self.0.write().unwrap()
        }
    }
}

fn poll_once<F: Future>(f: &mut Pin<Box<F>>) -> Poll<F::Output> {
    f.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

// MUST NOT: `Box::pin(lock.write())` is a future polled by hand, not a blocking acquisition.
#[test]
fn a_reader_holds_writers_back() {
    let lock = lock::RwLock::new(());
    let reader = lock.try_read().expect("a new lock is free");
    let mut writer = Box::pin(lock.write());
    assert!(poll_once(&mut writer).is_pending());
    drop(reader);
}
