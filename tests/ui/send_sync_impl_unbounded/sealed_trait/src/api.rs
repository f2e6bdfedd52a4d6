/// A public trait of a public module: any user type can implement it.
pub trait Visitor {}

pub struct Walker<K, V: Visitor> {
    keys: Vec<K>,
    visitor: V,
}
// Buggy: a user's `!Send` visitor crosses threads with the walker.
// SAFETY: the keys are only touched under a lock.
unsafe impl<K: Send, V: Visitor> Send for Walker<K, V> {} //~ send_sync_impl_unbounded
