//@ warn: unbounded_channel
//@ deps: tokio, crossbeam, crossbeam-channel, flume, async-channel
use std::sync::mpsc;
use std::sync::mpsc::channel;
use tokio::sync::mpsc::unbounded_channel as make_queue;

fn std_channels(n: u32) {
    let (tx, rx) = mpsc::channel::<u32>(); //~ unbounded_channel
    let (tx2, rx2) = channel::<u8>(); //~ unbounded_channel
    for i in 0..n {
        tx.send(i).unwrap();
        tx2.send(i as u8).unwrap();
    }
    drop((tx, rx, tx2, rx2));
}

async fn tokio_channels(words: Vec<String>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>(); //~ unbounded_channel
    let (tx2, _rx2) = make_queue::<u8>(); //~ unbounded_channel
    for word in words {
        tx.send(word).unwrap();
    }
    let tx3 = tx2.clone();
    while tx3.send(1).is_ok() {}
    rx.recv().await;
}

fn other_crates() {
    let a = crossbeam_channel::unbounded::<u8>(); //~ unbounded_channel
    let b = crossbeam::channel::unbounded::<u8>(); //~ unbounded_channel
    let c = flume::unbounded::<u8>(); //~ unbounded_channel
    let d = async_channel::unbounded::<u8>(); //~ unbounded_channel
    drop((a, b, c, d));
}

fn sender_used_in_a_loop(limit: u32) {
    let (tx, rx) = mpsc::channel::<u32>(); //~ unbounded_channel
    let producer = std::thread::spawn(move || {
        for i in 0..limit {
            let _ = tx.send(i);
        }
    });
    producer.join().unwrap();
    drop(rx);
}

fn main() {
    std_channels(3);
    sender_used_in_a_loop(1000);
    other_crates();
}
