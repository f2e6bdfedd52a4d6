// MUST fire (on Cargo.toml): `catch_unwind` under `[profile.release] panic = "abort"`.
fn handle(request: u32) -> u32 {
    request
}

fn main() {
    for request in 0..3 {
        if let Err(panic) = std::panic::catch_unwind(|| handle(request)) {
            eprintln!("request failed: {panic:?}");
        }
    }
}
