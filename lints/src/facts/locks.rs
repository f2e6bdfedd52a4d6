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
//!
//! # Modules
//! This file only re-exports; the code is in:
//! - `kinds`: lock families and kinds, acquisition modes, lock methods, what a resolved path
//!   names, and the [`conflict`] of two acquisitions of one lock. Pure tables, no tree.
//! - `sites`: the [`LockSite`]s the walk records and the typing of their receivers, through
//!   the [`LockTypeEnv`] the walk provides (part 1). Uses `kinds`.
//! - `keys`: lock identity, [`LockKey`] and its name across functions (aliases, shallow
//!   clones, statics, thread-locals), as methods of the pass. Uses `kinds` and `pass`.
//! - `records`: what the pass records and the lints read ([`LockFacts`], [`Acquisition`],
//!   [`Guard`], [`HeldAwait`], [`HeldWait`], [`HeldCall`]…), with [`LockFacts::conflicts`].
//!   Uses `kinds`, `keys`, and `calls` for the summary type.
//! - `pass`: [`collect`] and the per-body guard walk (part 2), itself split into
//!   `pass::control` (evaluation order, scopes, branches, loops, closures), `pass::guards` (where
//!   a guard value goes) and `pass::acquire` (acquisitions, waits, awaits, calls). Uses all of
//!   the above.
//! - [`calls`]: calls followed through the file, per-function summaries and
//!   [`LockFacts::callee_locks`] (part 3). Uses `keys` and `records`.
//!
//! The lints name these items as `crate::facts::locks::…`; only [`calls`] is a public module.

pub mod calls;
mod keys;
mod kinds;
mod pass;
mod records;
mod sites;

pub use calls::{has_self_exclusively, CalleeLock, SummaryLock};
pub use keys::{KeyRoot, LockKey, LOCAL_KEY_PREFIX};
pub use kinds::{conflict, lock_method, lock_type_named, relock, AcqMode, Conflict, LockFamily, LockKind, LockType};
pub use pass::collect;
pub use records::{
    in_opposite_branches, AcqId, Acquisition, Guard, GuardId, HeldAwait, HeldCall, HeldWait, Holder, LockFacts,
    OrderBranch, Release, ReleaseKind, SpawnRun, TempReason,
};
pub use sites::{lock_in_place, receiver_lock_type, LockSite, LockTypeEnv};
