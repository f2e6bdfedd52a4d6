// MUST NOT fire: the only recovery is gated on `cfg(panic = "unwind")`, or is test code
// (`cargo test` always unwinds), and `join().unwrap()` recovers nothing.
#[cfg(panic = "unwind")]
pub fn isolate(f: fn()) -> bool {
    std::panic::catch_unwind(f).is_ok()
}

pub fn run() {
    std::thread::spawn(|| ()).join().unwrap();
}

#[cfg(test)]
mod tests {
    #[test]
    fn recovers() {
        assert!(std::panic::catch_unwind(|| panic!("x")).is_err());
    }
}
