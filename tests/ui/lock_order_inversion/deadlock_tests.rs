//@ deps: parking_lot
// A test about deadlocks takes two locks in opposite orders on purpose, to see a deadlock
// detector find the two hung threads: it is left alone. The same orders in tests about
// something else are an inversion.
#[cfg(test)]
mod tests {
    use parking_lot::Mutex;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn test_mutex_deadlock_ab() {
        let a: Arc<Mutex<()>> = Default::default();
        let b: Arc<Mutex<()>> = Default::default();
        let a2 = Arc::clone(&a);
        let b2 = Arc::clone(&b);
        let _t1 = thread::spawn(move || {
            let _a = a.lock();
            let _b = b.lock();
        });
        let _t2 = thread::spawn(move || {
            let _b = b2.lock();
            let _a = a2.lock();
        });
        thread::sleep(std::time::Duration::from_millis(50));
        assert!(!parking_lot::deadlock::check_deadlock().is_empty());
    }

    #[test]
    fn transfers_balance() {
        let a: Arc<Mutex<u32>> = Default::default();
        let b: Arc<Mutex<u32>> = Default::default();
        let a2 = Arc::clone(&a);
        let b2 = Arc::clone(&b);
        let t1 = thread::spawn(move || {
            let mut from = a.lock();
            let mut to = b.lock();
            *from -= 1;
            *to += 1;
        });
        let t2 = thread::spawn(move || {
            let mut from = b2.lock();
            let mut to = a2.lock(); //~ lock_order_inversion
            *from -= 1;
            *to += 1;
        });
        t1.join().unwrap();
        t2.join().unwrap();
    }
}
