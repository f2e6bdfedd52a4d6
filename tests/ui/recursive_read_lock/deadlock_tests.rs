//@ deps: parking_lot
// A test about deadlocks reads a lock twice while a writer waits, on purpose, to see the
// deadlock detected: it is left alone. A test about something else that does it is reported.
#[cfg(test)]
mod tests {
    use parking_lot::RwLock;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn test_rwlock_deadlock_recursive_read() {
        let m: Arc<RwLock<u32>> = Default::default();
        let m2 = m.clone();
        let _t1 = thread::spawn(move || {
            let _g = m.read();
            thread::sleep(std::time::Duration::from_millis(20));
            let _again = m.read();
        });
        let _t2 = thread::spawn(move || *m2.write() += 1);
        thread::sleep(std::time::Duration::from_millis(50));
        assert!(!parking_lot::deadlock::check_deadlock().is_empty());
    }

    #[test]
    fn totals_match() {
        let m: Arc<RwLock<u32>> = Default::default();
        let m2 = m.clone();
        let t1 = thread::spawn(move || {
            let g = m.read();
            let again = m.read(); //~ recursive_read_lock
            assert_eq!(*g, *again);
        });
        let t2 = thread::spawn(move || *m2.write() += 1);
        t1.join().unwrap();
        t2.join().unwrap();
    }
}
