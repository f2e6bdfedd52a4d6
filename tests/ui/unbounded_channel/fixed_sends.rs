//@ warn: unbounded_channel
//@ deps: crossbeam-channel, futures
// A channel whose every send runs a number of times written in the code holds at most that
// many messages: it is bounded by construction.
use std::sync::mpsc;
use std::thread;

const WORKERS: usize = 4;

// MUST NOT fire: one send per worker, and the worker count is a constant.
fn fan_in() -> u32 {
    let (tx, rx) = mpsc::channel();
    for id in 0..WORKERS {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(id as u32).unwrap();
        });
    }
    drop(tx);
    rx.iter().sum()
}

// MUST NOT fire: one send per element of a fixed-size array, and one after the loop.
fn per_element() -> Vec<&'static str> {
    let (tx, rx) = crossbeam_channel::unbounded();
    for name in ["alpha", "beta", "gamma"] {
        tx.send(name).unwrap();
    }
    tx.send("done").unwrap();
    rx.try_iter().collect()
}

// MUST NOT fire: `(0..2).for_each`, a literal count.
fn two_pings() {
    let (tx, rx) = mpsc::channel::<()>();
    (0..2).for_each(|_| tx.send(()).unwrap());
    drop(rx);
}

// MUST NOT fire: a send called by path, a literal number of times.
fn by_path() {
    let (tx, rx) = mpsc::channel::<u32>();
    for i in 0..3 {
        mpsc::Sender::send(&tx, i).unwrap();
    }
    drop(rx);
}

// MUST fire: a send called by path, once per request.
fn by_path_per_request(requests: &[u32]) {
    let (tx, rx) = mpsc::channel::<u32>(); //~ unbounded_channel
    for r in requests {
        mpsc::Sender::send(&tx, *r).unwrap();
    }
    drop(rx);
}

// MUST fire: a send per line read, however many lines come.
fn per_line(input: impl std::io::BufRead) {
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    thread::spawn(move || {
        for line in input.lines() {
            tx.send(line.unwrap()).unwrap();
        }
    });
    drop(rx);
}

// MUST fire: a count known only at run time.
fn per_request(requests: usize) {
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    for i in 0..requests {
        tx.send(i).unwrap();
    }
    drop(rx);
}

// MUST fire: a callback may run any number of times, each time sending.
fn on_every_event(register: impl FnOnce(Box<dyn Fn() + Send>)) {
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    register(Box::new(move || tx.send(()).unwrap()));
    drop(rx);
}

// MUST NOT fire: a channel made afresh in each run of the callback carries one message.
fn per_run(bench: impl Fn(&dyn Fn())) {
    bench(&|| {
        let (tx, rx) = mpsc::channel();
        tx.send(1u8).unwrap();
        rx.recv().unwrap();
    });
}

// MUST fire: a clone sent from a loop with no written count.
fn cloned_into_loop() {
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    let producer = tx.clone();
    let worker = thread::spawn(move || {
        while producer.send(1u8).is_ok() {}
    });
    tx.send(0).unwrap();
    drop(rx);
    worker.join().unwrap();
}

fn main() {
    fan_in();
    per_element();
    two_pings();
    per_line(std::io::empty());
    per_request(3);
    on_every_event(|_| {});
    cloned_into_loop();
    per_run(|run| run());
    by_path();
    by_path_per_request(&[1]);
}

// MUST fire: inside the spawned closure, the send runs in a callback of its own, once per
// item of the stream, however many come.
pub fn per_item(items: impl Iterator<Item = u8> + Send + 'static, each: fn(&mut dyn FnMut(u8))) {
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    let worker = thread::spawn(move || {
        drop(items);
        each(&mut |item| tx.send(item).unwrap());
    });
    drop(rx);
    worker.join().unwrap();
}

// MUST fire: a stream's `for_each` runs its closure once per item, however many come.
pub async fn per_stream_item<S: futures::Stream<Item = u8> + Unpin>(stream: S) {
    use futures::StreamExt;
    let (tx, rx) = mpsc::channel(); //~ unbounded_channel
    stream
        .take_while(|_| futures::future::ready(true))
        .for_each(move |item| {
            tx.send(item).unwrap();
            futures::future::ready(())
        })
        .await;
    drop(rx);
}
