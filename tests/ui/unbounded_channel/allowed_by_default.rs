// `unbounded_channel` is allowed by default: without `//@ warn:` nothing is reported.
fn main() {
    let (tx, rx) = std::sync::mpsc::channel::<u8>();
    tx.send(1).unwrap();
    let _ = rx.recv();
}
