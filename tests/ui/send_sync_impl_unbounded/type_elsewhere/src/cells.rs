use std::cell::UnsafeCell;

pub type Cells<T> = Vec<UnsafeCell<T>>;
