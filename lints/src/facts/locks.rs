//! Lock acquisitions and the live ranges of their guards.
//!
//! Three parts, so that files without locks pay nothing:
//!
//! 1. During the one walk ([`super::walk`]), every call of a lock method with the right arity
//!    (`lock()`, `read()`, `write()`, `try_lock()`, `upgradable_read()`, tokio's
//!    `blocking_lock()`, parking_lot's timed `try_lock_for(d)`…) is recorded as a [`LockSite`],
//!    with the lock's type when the file shows it ([`receiver_lock_type`]): a field whose declared
//!    type is `Mutex<…>` resolved through `use`, a local built by `Mutex::new`/`Arc::new(…)`, a
//!    parameter `m: &RwLock<…>`, a `static`. Wrappers (`Arc`, `Rc`, `Box`, `&`, `LazyLock`…) are
//!    seen through.
//! 2. On first use ([`crate::context::FileCx::locks`]), [`collect`] runs one pass over the body of
//!    each function that has a lock site or calls one (through any number of calls), and only
//!    those. The pass follows the code in
//!    evaluation order with a stack of scopes and the set of guards that are alive on every path
//!    reaching the current point (branches are joined by intersection, so a guard dropped on one
//!    path only counts as released: the lints stay silent on what might be). It records every
//!    acquisition with the guards held at that moment, every `.await` with the guards held across
//!    it, and calls to functions of this file that may lock, with the guards held then.
//! 3. Calls are then followed ([`calls`]): functions that only call lockers are analysed too, a
//!    function returning a guard makes each call of it an acquisition, and each function gets a
//!    summary of what it may lock through calls of any depth (a bounded fixpoint).

pub mod calls;
pub use calls::SummaryLock;
mod kinds;
mod sites;
pub use kinds::{conflict, lock_method, lock_type_named, AcqMode, Conflict, LockFamily, LockKind, LockType};
pub use sites::{lock_in_place, receiver_lock_type, LockSite, LockTypeEnv};
mod keys;
pub use keys::{KeyRoot, LockKey, LOCAL_KEY_PREFIX};
mod pass;
pub use pass::collect;
mod records;
pub use calls::CalleeLock;
pub use records::{
    in_opposite_branches, AcqId, Acquisition, Guard, GuardId, HeldAwait, HeldCall, HeldWait, Holder, LockFacts,
    OrderBranch, Release, ReleaseKind, SpawnRun, TempReason,
};
