#[test]
fn thread_panics() {
    let worker = std::thread::spawn(|| panic!("boom"));
    assert!(worker.join().is_err());
}
