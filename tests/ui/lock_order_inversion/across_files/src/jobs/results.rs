use std::sync::Mutex;

pub static RESULTS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

pub fn store(n: usize) {
    RESULTS.lock().unwrap().push(n);
}

pub fn requeue() {
    let results = RESULTS.lock().unwrap();
    super::QUEUE.lock().unwrap().extend(results.iter().map(|&n| n as u32));
}
