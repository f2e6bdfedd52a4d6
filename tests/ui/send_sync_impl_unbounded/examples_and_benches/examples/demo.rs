// Silent: an example's wrapper, only used with `String`.
pub struct Shared<T> {
    value: std::cell::UnsafeCell<T>,
}
// SAFETY: the example only reads the value.
unsafe impl<T> Sync for Shared<T> {}

impl<T> Shared<T> {
    pub fn get(&self) -> &T {
        unsafe { &*self.value.get() }
    }
}

fn main() {
    let shared = Shared { value: std::cell::UnsafeCell::new(String::from("demo")) };
    std::thread::scope(|s| {
        s.spawn(|| shared.get().len());
    });
}
