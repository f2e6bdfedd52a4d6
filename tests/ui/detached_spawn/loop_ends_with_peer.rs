//@ deps: tokio
// A loop that panics out of a channel or I/O call that fails once the other side is gone ends
// with that other side.
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

// MUST NOT fire: `send(..).unwrap()` ends the thread once the receiver is dropped.
pub fn ticks(tx: mpsc::Sender<()>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(200));
        tx.send(()).unwrap();
    });
}

// MUST NOT fire: the write fails, and the thread ends, once the peer closes the pipe.
pub fn keep_alive(mut stdin: std::process::ChildStdin) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5));
        stdin.write_all(b"\n").expect("child exited");
    });
}

// MUST NOT fire: an awaited send on a tokio channel, unwrapped.
pub fn forward(tx: tokio::sync::mpsc::Sender<u64>) {
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            n += 1;
            tx.send(n).await.unwrap();
        }
    });
}

// MUST fire: the send's error is ignored, so the loop outlives the receiver.
pub fn ticks_forever(tx: mpsc::Sender<()>) {
    std::thread::spawn(move || loop { //~ detached_spawn
        std::thread::sleep(Duration::from_millis(200));
        let _ = tx.send(());
    });
}

// MUST fire: an unwrap on something that does not depend on a peer keeps the loop endless.
pub fn counter(state: std::sync::Arc<std::sync::Mutex<u64>>) {
    std::thread::spawn(move || loop { //~ detached_spawn
        *state.lock().unwrap() += 1;
        std::thread::sleep(Duration::from_millis(200));
    });
}

// MUST fire: a byte stream reports its end as `Ok(0)`, so an unwrapped `read` keeps spinning.
pub fn drain(mut stream: std::net::TcpStream) {
    use std::io::Read;
    std::thread::spawn(move || loop { //~ detached_spawn
        let mut buf = [0u8; 512];
        stream.read(&mut buf).unwrap();
    });
}

// MUST NOT fire: a websocket's message read fails once the client disconnects.
pub fn serve_client(mut websocket: tungstenite::WebSocket<std::net::TcpStream>) {
    std::thread::spawn(move || loop {
        let msg = websocket.read().unwrap();
        if msg.is_text() {
            websocket.send(msg).unwrap();
        }
    });
}
