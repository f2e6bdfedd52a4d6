use std::sync::mpsc::Receiver;

pub struct Pump {
    rx: Option<Receiver<u32>>,
}

impl Pump {
    pub fn new(rx: Receiver<u32>) -> Pump {
        Pump { rx: Some(rx) }
    }

    pub fn pump(self) {
        let rx = self.rx.expect("a receiver");
        let mut total = 0;
        loop {
            total += rx.try_recv().unwrap_or(0);
        }
    }

    pub fn pump_until_closed(self) -> u32 {
        let rx = self.rx.expect("a receiver");
        let mut total = 0;
        while let Ok(n) = rx.recv() {
            total += n;
        }
        total
    }

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
