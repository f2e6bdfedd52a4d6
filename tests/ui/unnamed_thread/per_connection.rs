//@ warn: unnamed_thread, uncancellable_loop
use std::net::TcpListener;

// MUST NOT fire: each thread serves one connection and ends when the client hangs up (the
// websocket read fails).
pub fn serve_websockets(server: TcpListener) {
    for stream in server.incoming() {
        std::thread::spawn(move || { //~ unbounded_spawn_in_loop
            let mut websocket = tungstenite::accept(stream.unwrap()).unwrap();
            loop {
                let msg = websocket.read().unwrap();
                websocket.send(msg).unwrap();
            }
        });
    }
}

// MUST fire: the accept thread itself lives as long as the process.
pub fn accept_forever(server: TcpListener) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || { //~ unnamed_thread
        for stream in server.incoming() { //~ uncancellable_loop
            drop(stream);
        }
    })
}
