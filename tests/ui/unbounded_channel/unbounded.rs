//@ warn: unbounded_channel
//@ deps: tokio, crossbeam, crossbeam-channel, flume, async-channel
use std::sync::mpsc;
use std::sync::mpsc::channel;
use tokio::sync::mpsc::unbounded_channel as make_queue;

fn std_channels() {
    let (tx, rx) = mpsc::channel::<u32>(); //~ unbounded_channel
    let (tx2, rx2) = channel::<u8>(); //~ unbounded_channel
    drop((tx, rx, tx2, rx2));
}

async fn tokio_channels() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>(); //~ unbounded_channel
    let (tx2, _rx2) = make_queue::<u8>(); //~ unbounded_channel
    for word in ["a", "b"] {
        tx.send(word.to_string()).unwrap();
    }
    let tx3 = tx2.clone();
    tx3.send(1).unwrap();
    rx.recv().await;
}

fn other_crates() {
    let a = crossbeam_channel::unbounded::<u8>(); //~ unbounded_channel
    let b = crossbeam::channel::unbounded::<u8>(); //~ unbounded_channel
    let c = flume::unbounded::<u8>(); //~ unbounded_channel
    let d = async_channel::unbounded::<u8>(); //~ unbounded_channel
    drop((a, b, c, d));
}

fn sender_used_in_a_loop() {
    let (tx, rx) = mpsc::channel::<u32>(); //~ unbounded_channel
    let producer = std::thread::spawn(move || {
        for i in 0..1000 {
            let _ = tx.send(i);
        }
    });
    producer.join().unwrap();
    drop(rx);
}

fn main() {
    std_channels();
    sender_used_in_a_loop();
    other_crates();
}
