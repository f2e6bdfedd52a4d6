use crate::task::Task;

pub trait Job: Task {
    fn priority(&self) -> u8;
}
