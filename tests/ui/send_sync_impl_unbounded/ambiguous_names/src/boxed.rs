pub struct Slot<T> {
    value: Box<T>,
}

pub trait Job: Send {}
