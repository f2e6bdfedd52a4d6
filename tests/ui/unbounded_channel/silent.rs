//@ warn: unbounded_channel
//@ deps: tokio, crossbeam-channel, flume
use std::sync::mpsc;

fn channel() -> (u8, u8) {
    (0, 0)
}

mod queue {
    pub fn unbounded<T>() -> Vec<T> {
        Vec::new()
    }
}

fn bounded() {
    let (tx, rx) = tokio::sync::mpsc::channel::<u8>(64);
    let (stx, srx) = mpsc::sync_channel::<u8>(64);
    let c = crossbeam_channel::bounded::<u8>(8);
    let f = flume::bounded::<u8>(8);
    let local = channel();
    let own = queue::unbounded::<u8>();
    drop((tx, rx, stx, srx, c, f, local, own));
}

fn one_message() -> u8 {
    // The sender sends once: the channel carries one message and cannot grow.
    let (done_tx, done_rx) = mpsc::channel::<u8>();
    let worker = std::thread::spawn(move || {
        let _ = done_tx.send(1);
    });
    worker.join().unwrap();
    done_rx.recv().unwrap()
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_code_may_use_unbounded_channels() {
        let (tx, rx) = std::sync::mpsc::channel::<u8>();
        tx.send(1).unwrap();
        assert_eq!(rx.recv().unwrap(), 1);
    }
}

fn main() {
    bounded();
    one_message();
}
