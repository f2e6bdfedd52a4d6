//@ warn: unnamed_thread, uncancellable_loop
use std::net::TcpListener;
use std::sync::mpsc::Receiver;
use std::thread;
use std::thread::spawn as go;

fn flusher(rx: Receiver<u8>) -> thread::JoinHandle<()> {
    thread::spawn(move || loop { //~ unnamed_thread, uncancellable_loop
        let _ = rx.recv();
    })
}

fn acceptor(listener: TcpListener) -> thread::JoinHandle<()> {
    std::thread::spawn(move || { //~ unnamed_thread
        for stream in listener.incoming() { //~ uncancellable_loop
            drop(stream);
        }
    })
}

fn aliased() -> thread::JoinHandle<()> {
    go(|| loop { //~ unnamed_thread, uncancellable_loop
        std::hint::spin_loop();
    })
}

fn builder_without_name() -> std::io::Result<thread::JoinHandle<()>> {
    thread::Builder::new().stack_size(1 << 20).spawn(|| loop { //~ unnamed_thread, uncancellable_loop
        std::hint::spin_loop();
    })
}

fn builder_in_a_binding() -> std::io::Result<thread::JoinHandle<()>> {
    let builder = thread::Builder::new();
    builder.spawn(|| loop { //~ unnamed_thread, uncancellable_loop
        std::hint::spin_loop();
    })
}

fn main() {
    let (_tx, rx) = std::sync::mpsc::channel();
    let _ = flusher(rx);
}
