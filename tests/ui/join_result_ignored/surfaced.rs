//@ warn: join_result_ignored
//@ deps: tokio, log
// The panic is already surfaced another way, so the ignored join hides nothing. Each case
// sits beside an ignored join that does hide a panic.
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

fn work() -> Result<u32, String> {
    Ok(1)
}

// MUST NOT fire: the body runs inside `catch_unwind` and counts its panics.
pub fn counts_panics() -> usize {
    let panics = Arc::new(AtomicUsize::new(0));
    let p = panics.clone();
    let h = thread::spawn(move || {
        if panic::catch_unwind(AssertUnwindSafe(work)).is_err() {
            p.fetch_add(1, Ordering::SeqCst);
        }
    });
    let _ = h.join();
    panics.load(Ordering::SeqCst)
}

// MUST NOT fire: the thread sends its outcome, and the caller propagates it; a panic before
// the send shows up as a closed channel.
pub fn sends_its_error() -> Result<u32, String> {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || tx.send(work()).unwrap());
    let result = rx.recv().map_err(|_| "worker died".to_string())?;
    let _ = h.join();
    result
}

// MUST fire: the thread's outcome goes nowhere else.
pub fn outcome_lost() {
    let h = thread::spawn(|| work().unwrap());
    let _ = h.join(); //~ join_result_ignored
}

// MUST NOT fire: the branch exists to report that the thread died.
pub fn reports_the_death() {
    let h = thread::spawn(|| work().unwrap());
    if h.join().is_err() {
        eprintln!("worker died");
    }
    let h = thread::spawn(|| work().unwrap());
    match h.join() {
        Ok(_) => {}
        Err(_) => log::error!("worker died"),
    }
}

// MUST NOT fire: the work only drops a value; it cannot panic.
#[tokio::test]
async fn only_drops() {
    let (tx, rx) = tokio::sync::mpsc::channel::<()>(1);
    let other = tx.clone();
    let task = tokio::spawn(async move {
        drop(other);
    });
    drop(tx);
    let _ = task.await;
    assert!(rx.is_closed());
}

// MUST NOT fire: the test poisons the lock on purpose and checks that it did.
#[test]
fn poisons_on_purpose() {
    let lock = Arc::new(Mutex::new(1));
    let l = lock.clone();
    let _ = thread::spawn(move || {
        let guard = l.lock().unwrap();
        assert_eq!(*guard, 2);
    })
    .join();
    assert!(lock.is_poisoned());
}

// MUST fire: the same thread, but nothing checks the effect: a failed assertion is lost.
#[test]
fn assertion_lost() {
    let lock = Arc::new(Mutex::new(1));
    let l = lock.clone();
    let _ = thread::spawn(move || { //~ join_result_ignored
        let guard = l.lock().unwrap();
        assert_eq!(*guard, 2);
    })
    .join();
}

// MUST NOT fire: a destructor cannot propagate the panic (a panic in `drop` while unwinding
// aborts), and the panic hook has printed it.
pub struct Worker {
    handle: Option<thread::JoinHandle<()>>,
}
impl Drop for Worker {
    fn drop(&mut self) {
        let h = thread::spawn(|| {
            work().unwrap();
        });
        let _ = h.join();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
