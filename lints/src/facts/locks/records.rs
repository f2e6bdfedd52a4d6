//! What the lock pass finds in one file, and the questions the lints ask of it.
//!
//! [`LockFacts`] gathers the records of the pass: each [`Acquisition`] with the guards held
//! at that point, the [`Guard`] it produces (what holds it, where it is released), the
//! `.await`s, condition-variable waits and calls of this file's functions reached while guards
//! are alive, the spawned bodies, and the per-function summaries ([`super::calls`]). It is
//! separate from the pass that fills it so that the lints, which only read these types, see
//! them without the machinery of the walk.

use super::calls::SummaryLock;
use super::keys::LockKey;
use super::kinds::{relock, AcqMode, Conflict, LockType};
use crate::facts::{BindingId, FnId};
use crate::source::Span;
use std::collections::{HashMap, HashSet};

/// Why a temporary guard lives where it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TempReason {
    Statement,
    /// The scrutinee of a `match`: the whole `match`.
    Match,
    /// The scrutinee of an `if let`.
    IfLet,
    /// The scrutinee of a `while let`: each iteration.
    WhileLet,
    /// The iterable of a `for` loop: the whole loop.
    ForIter,
    /// An `if`/`while` condition or a match guard.
    Condition,
    /// A match arm's expression.
    Arm,
    /// A lifetime-extended temporary (`let x = &*m.lock()…;`): the block.
    Extended,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holder {
    /// A local binding holds the guard.
    Binding {
        binding: BindingId,
        name: String,
    },
    Temporary(TempReason),
}

/// How a guard's life ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseKind {
    /// `drop(g)`, `std::mem::drop(g)`, or the statement `g;`.
    Drop,
    /// Moved into a call (dropped when it returns, unless kept), a `move` closure or block, a
    /// collection, a struct, or returned.
    Moved,
    /// The binding is assigned a new value.
    Reassigned,
    /// The end of the scope that holds it (block, statement, `match`, condition, iteration…).
    ScopeEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    pub span: Span,
    pub kind: ReleaseKind,
}

pub type GuardId = usize;
pub type AcqId = usize;

/// One recognised lock acquisition.
#[derive(Clone, Debug)]
pub struct Acquisition {
    /// Index into [`crate::facts::Facts::lock_sites`].
    pub site: usize,
    pub fn_id: FnId,
    /// The body it runs in: a function, a closure or an async block. Guards never cross bodies.
    pub context: u32,
    /// The call, e.g. `self.state.lock()`.
    pub span: Span,
    /// The receiver as written, e.g. `self.state`.
    pub lock_text: String,
    /// The method as written, e.g. `lock`.
    pub method: String,
    pub key: Option<LockKey>,
    /// The lock's identity across functions, normalised by type (`Bank.accounts`), when known.
    pub global: Option<String>,
    pub ty: LockType,
    /// Whether the file shows the type (otherwise it is inferred from `.unwrap()` or `.await`).
    pub type_known: bool,
    pub mode: AcqMode,
    pub is_try: bool,
    /// Guards alive on every path reaching this acquisition.
    pub held: Vec<GuardId>,
    pub guard: Option<GuardId>,
    /// The branches of ordering tests it is in (see [`OrderBranch`]), outermost first.
    pub order: Vec<OrderBranch>,
    /// A call of a guard-returning wrapper of this file (`self.state_mut()`): the acquisition
    /// inside the wrapper whose guard it returns.
    pub via: Option<AcqId>,
    /// The acquisition as written, short: `self.state.lock()`, or the wrapper call
    /// `self.state_mut()`.
    pub call_text: String,
    /// The method call that runs the borrowing closure this acquisition is in, while the
    /// caller's guards are held (`rows.visit_each(|r| …)`): its method name's span and the
    /// method. Only for methods not known as adaptors, whose running of the closure is the
    /// reader's to learn.
    pub callback: Option<(Span, String)>,
    /// A call of a function of another file (`self.wl()`), recorded as if it returned a guard:
    /// the crate model decides whether it does (see [`crate::model::locks`]). Such an
    /// acquisition has no lock site, key or type, its guard is never in any `held` list, and
    /// the lints read it only through the model.
    pub pending: bool,
    /// The pending guards ([`Acquisition::pending`]) alive here.
    pub pending_held: Vec<GuardId>,
}

/// A branch of a test that orders two objects: `if a.id < b.id { … } else { … }`, or an arm of
/// `match a.id.cmp(&b.id)`. Code that locks two objects in opposite orders in two branches of
/// one such test takes them in one global order (by id or address), the classic way to avoid
/// an inversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderBranch {
    /// The start of the `if` or `match`.
    pub test: u32,
    /// Which branch: 0 for `then`, 1 for `else`; the arm's index in a `match`.
    pub branch: u32,
}

/// Two places in opposite branches of one ordering test.
pub fn in_opposite_branches(a: &[OrderBranch], b: &[OrderBranch]) -> bool {
    a.iter().zip(b).find(|(x, y)| x != y).is_some_and(|(x, y)| x.test == y.test)
}

/// A guard produced by an acquisition.
#[derive(Clone, Debug)]
pub struct Guard {
    pub acq: AcqId,
    pub holder: Holder,
    pub context: u32,
    /// Where it is first released, in evaluation order, when the pass saw it.
    pub release: Option<Release>,
    /// The block the holding binding lives in (an id local to the pass).
    pub block: Option<u32>,
}

/// An `.await` reached while guards are alive.
#[derive(Clone, Debug)]
pub struct HeldAwait {
    /// The `await` keyword.
    pub span: Span,
    pub held: Vec<GuardId>,
    /// The innermost block and the statement of it the `.await` is in.
    pub stmt: Option<(u32, Span)>,
}

/// A condition-variable wait (`cv.wait(g)`, `wait_timeout`, parking_lot's `wait(&mut g)`…, by
/// method name and arity: [`crate::facts::condvars::wait_form`]) reached while guards are alive.
#[derive(Clone, Debug)]
pub struct HeldWait {
    /// The whole call.
    pub span: Span,
    /// The guards alive at the wait, the one passed to it included when it is still live.
    pub held: Vec<GuardId>,
    /// The guard the wait is given (`g` in `cv.wait(g)` or `cv.wait(&mut g)`, or the guard of
    /// `m.lock()` in `cv.wait(m.lock().unwrap())`), when the pass follows it.
    pub passed: Option<GuardId>,
    /// The wait is given a lock taken on the spot: `cv.wait(m.lock().unwrap())`.
    pub passed_fresh: bool,
}

/// A call to a function of this file that takes locks, made while guards are alive.
#[derive(Clone, Debug)]
pub struct HeldCall {
    /// The whole call.
    pub span: Span,
    /// The call as written, short: `self.flush()`, `read_block(…)`.
    pub text: String,
    pub name: String,
    /// A method call (`self.name(…)`, `self.peer.name(…)`) rather than `name(…)`.
    pub is_method: bool,
    /// The receiver's lock path when it is not `self` (`self.peer`, `other`): the callee's
    /// `self.x` is then `self.peer.x`, another lock than the caller's `self.x`.
    pub receiver: Option<LockKey>,
    /// The receiver's type when it is not `self` and the file shows it (a field's declared
    /// type, a parameter's or a `let`'s annotation): the callee must be a method of it.
    pub receiver_ty: Option<String>,
    /// For `Type::name(…)`/`Self::name(…)`, the type: the callee is its associated function.
    pub path_ty: Option<String>,
    /// The function is named through its module (`store::register(…)`): never resolved
    /// within the file.
    pub qualified: bool,
    /// The body the call runs in (see [`Acquisition::context`]).
    pub context: u32,
    /// The lock key of each argument (receiver excluded), when it names one.
    pub args: Vec<Option<LockKey>>,
    pub args_global: Vec<Option<String>>,
    pub held: Vec<GuardId>,
    /// Held guards moved into the call, with the argument position (receiver excluded).
    pub moved: Vec<(GuardId, usize)>,
    pub fn_id: FnId,
    /// The function called, when exactly one function of the file has that name and shape.
    pub callee: Option<FnId>,
    /// The call is awaited on the spot: an `async fn` called otherwise only makes a future, and
    /// its body (and its locks) runs later.
    pub awaited: bool,
    /// The branches of ordering tests the call is in.
    pub order: Vec<OrderBranch>,
    /// The pending guards ([`Acquisition::pending`]) alive at the call.
    pub pending_held: Vec<GuardId>,
    /// The pending guard this call's result is, when it is one.
    pub pending: Option<GuardId>,
}

/// Everything the lock pass found in one file.
#[derive(Clone, Debug, Default)]
pub struct LockFacts {
    pub acquisitions: Vec<Acquisition>,
    pub guards: Vec<Guard>,
    pub awaits: Vec<HeldAwait>,
    pub calls: Vec<HeldCall>,
    pub waits: Vec<HeldWait>,
    /// The body context of each analysed function.
    pub fn_contexts: HashMap<FnId, u32>,
    /// What each analysed function may lock, through calls of any depth (see [`super::calls`]).
    pub summaries: HashMap<FnId, Vec<SummaryLock>>,
    /// The body contexts that are spawned closures or async blocks (`thread::spawn(move ||
    /// …)`, `tokio::spawn(async move { … })`), with where they run in the spawning function's
    /// text: from the spawn to where it is known to have ended (see [`SpawnRun`]).
    pub spawned: HashMap<u32, SpawnRun>,
    /// The guard-returning functions of the file, with the acquisition whose guard each
    /// returns (see [`super::calls::find_wrappers`]).
    pub wrappers: HashMap<FnId, AcqId>,
    /// The functions the pass ran over only for the pending guards they may hold: they take
    /// no lock and call no function of the file that does.
    pub pending_only: HashSet<FnId>,
}

/// Where a spawned body runs beside the code of the function that spawns it, as byte offsets
/// of the file: from the spawn to its handle's first `join()` or `.await`, or to the end of
/// its `thread::scope` closure (`u32::MAX` when it is not seen to end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpawnRun {
    pub start: u32,
    pub end: u32,
}

impl LockFacts {
    pub fn guard_acq(&self, g: GuardId) -> &Acquisition {
        &self.acquisitions[self.guards[g].acq]
    }

    /// The guards of `held` on the lock `key` that taking `a` conflicts with, and how; a
    /// re-lock that deadlocks whatever other threads do comes first.
    pub fn conflicts(&self, held: &[GuardId], a: &Acquisition, key: Option<&LockKey>) -> Vec<(GuardId, Conflict)> {
        let Some(key) = key else { return Vec::new() };
        let mut out: Vec<(GuardId, Conflict)> = held
            .iter()
            .filter_map(|&h| {
                let ha = self.guard_acq(h);
                if ha.key.as_ref() != Some(key) {
                    return None;
                }
                relock((ha.ty.kind, ha.mode), ha.type_known, (a.ty.kind, a.mode)).map(|c| (h, c))
            })
            .collect();
        out.sort_by_key(|&(_, c)| c != Conflict::Deadlock);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_branches() {
        let b = |test, branch| OrderBranch { test, branch };
        assert!(in_opposite_branches(&[b(10, 0)], &[b(10, 1)]));
        assert!(in_opposite_branches(&[b(10, 0)], &[b(10, 1), b(40, 0)]));
        assert!(!in_opposite_branches(&[b(10, 0)], &[b(10, 0)]));
        assert!(!in_opposite_branches(&[b(10, 0)], &[b(20, 1)]));
        assert!(!in_opposite_branches(&[], &[b(10, 1)]));
    }
}
