use std::cell::UnsafeCell;

/// `pub`, but in the private module `table` and not re-exported: sealed.
pub trait LruList {}

impl LruList for () {}

pub struct Table<K, L: LruList> {
    slots: UnsafeCell<Vec<K>>,
    lru: L,
}
// Correct: `L` can only be one of the crate's `LruList` types.
// SAFETY: the slots are only touched under the table's lock.
unsafe impl<K: Send, L: LruList> Send for Table<K, L> {}
// SAFETY: the slots are only touched under the table's lock.
unsafe impl<K: Send + Sync, L: LruList> Sync for Table<K, L> {}

impl<K, L: LruList> Table<K, L> {
    pub fn lru(&self) -> &L {
        &self.lru
    }
}

/// Private to the crate: sealed as well.
pub(crate) trait Evict {}

pub(crate) struct Evictor<E: Evict> {
    policy: E,
}
// Correct: `E` can only be one of the crate's `Evict` types.
// SAFETY: the policy is only used under the table's lock.
unsafe impl<E: Evict> Send for Evictor<E> {}
