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
    tx.send("hi".to_string()).unwrap();
    tx2.send(1).unwrap();
    rx.recv().await;
}

fn other_crates() {
    let a = crossbeam_channel::unbounded::<u8>(); //~ unbounded_channel
    let b = crossbeam::channel::unbounded::<u8>(); //~ unbounded_channel
    let c = flume::unbounded::<u8>(); //~ unbounded_channel
    let d = async_channel::unbounded::<u8>(); //~ unbounded_channel
    drop((a, b, c, d));
}

fn main() {
    std_channels();
    other_crates();
}
