use std::sync::Mutex;

pub static REGISTRY: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

pub struct Store {
    items: Mutex<Vec<u32>>,
}

impl Store {
    pub fn total(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

pub fn register(name: &'static str) {
    REGISTRY.lock().unwrap().push(name);
}

pub fn count() -> usize {
    REGISTRY.lock().unwrap().len()
}
