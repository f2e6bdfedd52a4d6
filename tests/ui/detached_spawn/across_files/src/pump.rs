use std::sync::mpsc::Receiver;

pub struct Pump;

impl Pump {
    pub fn run(rx: Receiver<u32>) {
        let mut total = 0;
        loop {
            total += rx.try_recv().unwrap_or(0);
        }
    }

    pub fn drain(rx: Receiver<u32>) -> u32 {
        let mut total = 0;
        while let Ok(n) = rx.recv() {
            total += n;
        }
        total
    }
}
