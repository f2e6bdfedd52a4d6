//@ deps: parking_lot
// Tests about deadlocks lock twice on purpose, to see a deadlock detector find the hung thread
// (parking_lot's own tests): their name or code names a deadlock. A test about something else
// that locks twice hangs by mistake and is reported.
#[cfg(test)]
mod tests {
    use parking_lot::{Mutex, RwLock};
    use std::sync::Arc;
    use std::thread;

    fn check_deadlock() -> bool {
        !parking_lot::deadlock::check_deadlock().is_empty()
    }

    #[test]
    fn test_mutex_deadlock_reentrant() {
        let m1: Arc<Mutex<()>> = Default::default();
        let _t1 = thread::spawn(move || {
            let _g = m1.lock();
            let _blocked = m1.lock();
        });
        thread::sleep(std::time::Duration::from_millis(50));
        assert!(check_deadlock());
    }

    #[test]
    fn detector_sees_a_hung_writer() {
        let m1: Arc<RwLock<()>> = Default::default();
        let _t1 = thread::spawn(move || {
            let _g = m1.read();
            let _ = m1.write();
        });
        thread::sleep(std::time::Duration::from_millis(50));
        assert!(check_deadlock());
    }

    #[test]
    fn counter_adds_up() {
        let m1: Arc<Mutex<u32>> = Default::default();
        let t1 = thread::spawn(move || {
            let mut g = m1.lock();
            *g += 1;
            let again = m1.lock(); //~ double_lock
            assert_eq!(*again, 1);
        });
        t1.join().unwrap();
    }
}
