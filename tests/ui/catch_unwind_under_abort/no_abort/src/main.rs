// MUST NOT fire: the profiles unwind, so recovering panics works.
fn main() {
    let _ = std::panic::catch_unwind(|| panic!("boom"));
}
