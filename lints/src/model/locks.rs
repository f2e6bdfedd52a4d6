//! Locks across the files of a package.
//!
//! The lock pass ([`crate::facts::locks`]) follows calls within one file. A real crate keeps
//! its helpers elsewhere: `Db::flush` in `db.rs` holds `self.state` and calls
//! `self.summary()`, an `impl Db` block in `stats.rs` that reads `self.state` again. Each file
//! therefore exports, for every function the pass analysed ([`FnLocks`]):
//! - the locks it takes, in its own body or through calls of its file, by a key rooted at
//!   `self` or a `static` ([`LockTaken`]), with the labels of the chain that leads there;
//! - the calls it makes that may run a function of another file, or of its own file, with the
//!   guards held at each ([`OutCall`]).
//!
//! [`PackageLocks::new`] joins them per package: a call resolves to the one function of the
//! package with that type and name (`self.m()` to a method of the caller's type, or a trait's
//! default method; `peer.m()` to a method of the type the file declares for `peer`;
//! `Type::f()`; a plain `f()` to the one free function of that name), and what each function
//! reaches is computed to a fixpoint ([`MAX_CHAIN`] calls deep, [`MAX_LOCKS`] locks per
//! function). What the joining found *through another file* is what the lints report here:
//! what a file shows alone they report in the file phase.

use crate::context::{ExportedFact, FileCx};
use crate::facts::locks::{
    has_self_exclusively, relock, AcqMode, Conflict, GuardId, KeyRoot, LockFacts, LockKey, LockKind, OrderBranch,
    SpawnRun,
};
use crate::facts::test_attrs::is_deadlock_test;
use crate::facts::FnId;
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The longest chain of calls followed from a call to an acquisition, across files.
pub const MAX_CHAIN: usize = 8;

/// At most this many locks are kept per function (the shortest chains are found first).
pub const MAX_LOCKS: usize = 64;

/// Where a lock path starts, in one function's terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Root {
    /// `self`.
    SelfValue,
    /// A `static` (by its last segment): the same lock wherever it is named.
    Static(String),
    /// A local or parameter of the function (by its binding's index in the file): compared
    /// only within that function.
    Local(u32),
}

/// A lock, in one function's terms: a root and a field path (`self` + `.state`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Key {
    pub root: Root,
    /// `.a.b`, `[0]`; empty for the root itself.
    pub path: String,
}

impl Key {
    /// A callee's key seen from a call on `receiver` (`None`: on `self`, or not a method):
    /// `self.x` is `self.peer.x` for `self.peer.m()`; a static stays; a callee's local is
    /// nothing to the caller.
    pub fn through(&self, receiver: Option<&Key>) -> Option<Key> {
        match (&self.root, receiver) {
            (Root::SelfValue, None) => Some(self.clone()),
            (Root::SelfValue, Some(r)) => Some(Key { root: r.root.clone(), path: format!("{}{}", r.path, self.path) }),
            (Root::Static(_), _) => Some(self.clone()),
            (Root::Local(_), _) => None,
        }
    }
}

/// How a lock is taken, and what kind of lock it is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockUse {
    pub key: Key,
    /// The lock's name across functions (`Bank.accounts`, `static REGISTRY`), if it has one.
    pub global: Option<String>,
    pub mode: AcqMode,
    pub kind: LockKind,
    /// The file shows the lock's type (else its kind is a guess from the method).
    pub type_known: bool,
    /// The lock is a place (`self.m`), not a value made on the spot.
    pub in_place: bool,
    /// The lock as written (`self.state`).
    pub text: String,
}

impl LockUse {
    /// What taking `new` while this is held does, when both are the same lock.
    pub fn conflict(&self, new: &LockUse) -> Option<Conflict> {
        relock((self.kind, self.mode), self.type_known, (new.kind, new.mode))
    }
}

/// A lock a function takes, in its own body or through calls of its file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockTaken {
    pub lock: LockUse,
    /// From the function down to the acquisition: a label at each call of the chain, then
    /// one at the acquisition.
    pub steps: Vec<(Span, String)>,
    /// The results of calls of other files' functions alive where the function takes it (at
    /// the first step), as indices into [`FnLocks::pending`].
    pub pending_held: Vec<u32>,
}

/// A guard alive at a call, with how a finding shows it (written in the file phase, where the
/// guard's facts are at hand).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeldLock {
    pub lock: LockUse,
    /// The acquisition.
    pub span: Span,
    /// The label there: how long the guard lives.
    pub label: String,
    /// Where the guard is released, and the label there.
    pub release: Option<(Span, String)>,
    /// What to write instead, for a re-lock through the call.
    pub help: String,
    /// Why re-locking this kind of lock never returns.
    pub note: String,
    /// `thread` for a blocking lock, `task` for an async one.
    pub holder: String,
}

/// What a call names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// The type whose method or associated function it is, when known.
    pub ty: Option<String>,
    pub name: String,
    pub is_method: bool,
    /// The lock pass resolved it to a function of the caller's file.
    pub in_file: bool,
}

/// A call a function makes that may lead to a lock.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutCall {
    pub target: Target,
    /// The receiver's key, when it is not `self` (`self.peer`, `other`).
    pub receiver: Option<Key>,
    pub span: Span,
    /// The call as written, short: `self.flush()`.
    pub text: String,
    /// Awaited on the spot (an `async fn` otherwise only makes a future).
    pub awaited: bool,
    /// In the function's own flow, not in a closure or async block it creates: a caller of
    /// the function runs it.
    pub own_flow: bool,
    /// The guards alive at the call (indices into [`FnLocks::guards`]).
    pub held: Vec<u32>,
    /// The branches of ordering tests the call is in.
    pub order: Vec<OrderBranch>,
    /// The body the call is in (see [`crate::facts::locks::Acquisition::context`]).
    pub context: u32,
    pub spawned: Option<SpawnRun>,
    /// The call is in a test about deadlocks, which locks on purpose.
    pub deadlock_test: bool,
    /// The call is in the own body of a method that has `self` to itself (`&mut self`): no
    /// other thread holds `self`'s locks meanwhile.
    pub self_exclusive: bool,
    /// The results of calls of other files' functions alive at the call (indices into
    /// [`FnLocks::pending`]): guards, if those functions return one.
    pub pending_held: Vec<u32>,
}

/// The result of a call of another file's function (`let g = self.wl();`), kept as long as a
/// guard would be: if the crate model finds that the function returns a guard
/// ([`FnLocks::returns`]), the caller holds its lock meanwhile.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub call: OutCall,
    /// How long the result lives, as a finding's label at the call says it.
    pub label: String,
    /// Where it is released, and the label there.
    pub release: Option<(Span, String)>,
    /// What to write instead of locking again while it is held.
    pub help: String,
}

/// The lock whose guard a guard-returning function returns (`fn wl(&self) ->
/// RwLockWriteGuard<'_, T> { self.inner.write().unwrap() }`), in its own terms.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Returned {
    pub lock: LockUse,
    /// The acquisition in the function.
    pub span: Span,
}

/// One function's locks and calls, as its file exports them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FnLocks {
    /// The type of the `impl` block it is in.
    pub owner: Option<String>,
    pub name: String,
    pub is_method: bool,
    pub is_async: bool,
    pub locks: Vec<LockTaken>,
    pub calls: Vec<OutCall>,
    /// The guards held at some call, each once (a guard is often alive at many calls).
    pub guards: Vec<HeldLock>,
    /// The function returns the guard of this lock of `self` or `static`.
    pub returns: Option<Returned>,
    /// The results of its calls of other files' functions that may be guards (see
    /// [`Pending`]), each alive at some call or acquisition of the function.
    pub pending: Vec<Pending>,
}

impl FnLocks {
    /// The guards alive at `call`.
    pub fn held_at<'f>(&'f self, call: &'f OutCall) -> impl Iterator<Item = &'f HeldLock> + 'f {
        call.held.iter().filter_map(|&i| self.guards.get(i as usize))
    }
}

impl FnLocks {
    /// Moves every span with `span` (see [`crate::FileAnalysis::relocate`]).
    pub fn relocate(&mut self, span: &mut dyn FnMut(&mut Span)) {
        for t in &mut self.locks {
            t.steps.iter_mut().for_each(|(s, _)| span(s));
        }
        for c in &mut self.calls {
            span(&mut c.span);
        }
        for h in &mut self.guards {
            span(&mut h.span);
            if let Some((s, _)) = &mut h.release {
                span(s);
            }
        }
        if let Some(r) = &mut self.returns {
            span(&mut r.span);
        }
        for p in &mut self.pending {
            span(&mut p.call.span);
            if let Some((s, _)) = &mut p.release {
                span(s);
            }
        }
    }
}

/// A lock reached from a call, in the caller's terms.
#[derive(Clone, Debug)]
pub struct Reached<'w> {
    /// The lock as its function takes it (its key is in that function's terms).
    pub lock: &'w LockTaken,
    /// The lock's key in the caller's terms.
    pub key: Key,
    /// The calls from the caller's callee down to the function that takes the lock.
    chain: Option<Rc<Link<'w>>>,
    /// The chain goes through a function of another file than the caller's.
    pub crossed: bool,
}

/// One call of a chain, and the rest of the chain below it.
#[derive(Debug)]
struct Link<'w> {
    caller: &'w str,
    call: &'w OutCall,
    next: Option<Rc<Link<'w>>>,
}

impl Reached<'_> {
    /// A label at each call below the first one, then at the acquisition(s).
    pub fn steps(&self) -> Vec<(Span, String)> {
        let mut out = Vec::new();
        let mut link = self.chain.as_deref();
        while let Some(l) = link {
            out.push((l.call.span, format!("`{}` calls `{}` here", l.caller, l.call.text)));
            link = l.next.as_deref();
        }
        out.extend(self.lock.steps.iter().cloned());
        out
    }

    fn len(&self) -> usize {
        let mut n = self.lock.steps.len();
        let mut link = self.chain.as_deref();
        while let Some(l) = link {
            n += 1;
            link = l.next.as_deref();
        }
        n
    }
}

/// The joined lock summaries of one package.
pub struct PackageLocks<'w> {
    fns: Vec<(FileId, &'w FnLocks)>,
    /// Functions by (type, name, is_method).
    by_name: HashMap<(Option<&'w str>, &'w str, bool), Vec<usize>>,
    /// What each function a call holding a guard may run reaches, in its own terms (only
    /// those: the others are never asked).
    reach: HashMap<usize, Vec<Reached<'w>>>,
}

impl<'w> PackageLocks<'w> {
    pub fn new(summaries: impl IntoIterator<Item = (FileId, &'w FnLocks)>) -> Self {
        let fns: Vec<(FileId, &FnLocks)> = summaries.into_iter().collect();
        let mut by_name: HashMap<(Option<&str>, &str, bool), Vec<usize>> = HashMap::new();
        for (i, (_, f)) in fns.iter().enumerate() {
            by_name.entry((f.owner.as_deref(), f.name.as_str(), f.is_method)).or_default().push(i);
        }
        let mut model = PackageLocks { fns, by_name, reach: HashMap::new() };
        model.fixpoint();
        model
    }

    /// Every call made while a guard is held, with the function and file it is in.
    pub fn calls_holding(&self) -> impl Iterator<Item = (FileId, &'w FnLocks, &'w OutCall)> + '_ {
        self.fns.iter().flat_map(|&(file, f)| f.calls.iter().filter(|c| !c.held.is_empty()).map(move |c| (file, f, c)))
    }

    /// The function of the package a call of `caller` (in `file`) runs, if exactly one fits.
    fn resolve(&self, file: FileId, caller: &FnLocks, call: &OutCall) -> Option<usize> {
        let t = &call.target;
        let only = |list: Option<&Vec<usize>>, in_file: bool| -> Option<usize> {
            let mut it = list?.iter().copied().filter(|&i| !in_file || self.fns[i].0 == file);
            let first = it.next()?;
            it.next().is_none().then_some(first)
        };
        let found = only(self.by_name.get(&(t.ty.as_deref(), t.name.as_str(), t.is_method)), t.in_file);
        let found = match found {
            // `self.m()` where `m` is a default method of a trait the caller's type implements.
            None if t.is_method && call.receiver.is_none() && t.ty.is_some() => {
                only(self.by_name.get(&(None, t.name.as_str(), true)), t.in_file)
            }
            found => found,
        }?;
        let callee = self.fns[found].1;
        // An `async fn` called without `.await` only makes a future: its locks are taken when
        // it runs.
        if callee.is_async && !call.awaited || std::ptr::eq(callee, caller) && !t.in_file {
            return None;
        }
        Some(found)
    }

    /// The locks `call` (made by `caller`, in `file`) reaches, in the caller's terms, shortest
    /// chains first. `crossed` says whether the way there leaves the caller's file.
    pub fn callee_locks(&self, file: FileId, caller: &FnLocks, call: &OutCall) -> Vec<Reached<'w>> {
        let Some(g) = self.resolve(file, caller, call) else { return Vec::new() };
        let other_file = self.fns[g].0 != file;
        let mut out: Vec<Reached> = self
            .reach
            .get(&g)
            .into_iter()
            .flatten()
            .filter_map(|r| {
                let key = r.key.through(call.receiver.as_ref())?;
                Some(Reached { key, crossed: r.crossed || other_file, ..r.clone() })
            })
            .collect();
        out.sort_by_key(Reached::len);
        out
    }

    /// The results of calls that the model finds are guards: the call resolves to a function
    /// of another file that returns the guard of a lock of `self` or a `static`.
    pub fn returned_guards(&self) -> Vec<ReturnedGuard<'w>> {
        let mut out = Vec::new();
        for &(file, caller) in &self.fns {
            for (index, pending) in caller.pending.iter().enumerate() {
                let Some(g) = self.resolve(file, caller, &pending.call) else { continue };
                let (wrapper_file, wrapper) = self.fns[g];
                let Some(returned) = &wrapper.returns else { continue };
                if wrapper_file == file {
                    continue;
                }
                let Some(key) = returned.lock.key.through(pending.call.receiver.as_ref()) else { continue };
                out.push(ReturnedGuard { file, caller, index: index as u32, pending, wrapper, returned, key });
            }
        }
        out
    }

    /// Computes what each function a call holding a guard may run reaches: its own locks,
    /// then what the functions it calls in its own flow reach, until nothing changes (at most
    /// [`MAX_CHAIN`] rounds, so recursion ends).
    fn fixpoint(&mut self) {
        let mut edges: HashMap<usize, Vec<(usize, &'w OutCall)>> = HashMap::new();
        let mut work: Vec<usize> = Vec::new();
        for &(file, f) in &self.fns {
            for c in f.calls.iter().filter(|c| !c.held.is_empty() || !c.pending_held.is_empty()) {
                work.extend(self.resolve(file, f, c));
            }
        }
        // The functions those calls may run, through any number of calls.
        let mut relevant: Vec<usize> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(i) = work.pop() {
            if !seen.insert(i) {
                continue;
            }
            relevant.push(i);
            let (file, f) = self.fns[i];
            for c in f.calls.iter().filter(|c| c.own_flow) {
                if let Some(g) = self.resolve(file, f, c) {
                    edges.entry(i).or_default().push((g, c));
                    work.push(g);
                }
            }
        }
        for &i in &relevant {
            let own = self.fns[i].1.locks.iter().take(MAX_LOCKS);
            let own = own.map(|t| Reached { lock: t, key: t.lock.key.clone(), chain: None, crossed: false });
            self.reach.insert(i, own.collect());
        }
        for _ in 0..MAX_CHAIN {
            let mut changed = false;
            for &i in &relevant {
                let caller = self.fns[i].1.name.as_str();
                let mut found: Vec<Reached<'w>> = Vec::new();
                for &(g, c) in edges.get(&i).into_iter().flatten() {
                    let other_file = self.fns[i].0 != self.fns[g].0;
                    for r in self.reach.get(&g).into_iter().flatten().filter(|r| r.len() < MAX_CHAIN) {
                        let Some(key) = r.key.through(c.receiver.as_ref()) else { continue };
                        let chain = Some(Rc::new(Link { caller, call: c, next: r.chain.clone() }));
                        found.push(Reached { lock: r.lock, key, chain, crossed: r.crossed || other_file });
                    }
                }
                let Some(mine) = self.reach.get_mut(&i) else { continue };
                for r in found {
                    if mine.len() >= MAX_LOCKS {
                        break;
                    }
                    if !mine.iter().any(|m| m.key == r.key && std::ptr::eq(m.lock, r.lock)) {
                        mine.push(r);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// A guard returned by a function of another file and held by the caller.
pub struct ReturnedGuard<'w> {
    pub file: FileId,
    pub caller: &'w FnLocks,
    /// Its index in the caller's [`FnLocks::pending`].
    pub index: u32,
    pub pending: &'w Pending,
    /// The function that returns it.
    pub wrapper: &'w FnLocks,
    pub returned: &'w Returned,
    /// The lock, in the caller's terms.
    pub key: Key,
}

impl<'w> ReturnedGuard<'w> {
    /// The calls the caller makes while holding it.
    pub fn calls(&self) -> impl Iterator<Item = &'w OutCall> + '_ {
        self.caller.calls.iter().filter(|c| c.pending_held.contains(&self.index))
    }

    /// The locks the caller takes while holding it (in its own body, or through calls of its
    /// file).
    pub fn locks(&self) -> impl Iterator<Item = &'w LockTaken> + '_ {
        self.caller.locks.iter().filter(|t| t.pending_held.contains(&self.index))
    }

    /// The label at the function's acquisition.
    pub fn wrapper_label(&self) -> (Span, String) {
        (
            self.returned.span,
            format!("`{}` locks `{}` here and returns its guard", self.wrapper.name, self.returned.lock.text),
        )
    }
}

/// Whether a held lock and a reached one are the same lock taken so that the thread waits for
/// itself.
pub fn deadlocks(held: &HeldLock, reached: &Reached<'_>) -> bool {
    relocks(&held.lock, &held.lock.key, &reached.lock.lock, &reached.key)
}

/// Whether taking `taken` (known in the holder's terms as `taken_key`) while holding `held`
/// (as `held_key`) is the same lock taken so that the thread waits for itself.
pub fn relocks(held: &LockUse, held_key: &Key, taken: &LockUse, taken_key: &Key) -> bool {
    held_key == taken_key && held.conflict(taken) == Some(Conflict::Deadlock)
}

/// How a finding shows a held guard: its label, where it is released, the help and the note
/// (see [`HeldLock`]). The lints write it; the model only carries it.
pub struct GuardShown {
    pub label: String,
    pub release: Option<(Span, String)>,
    pub help: String,
    pub note: String,
    pub holder: String,
}

/// Exports the file's [`FnLocks`] for the workspace phase, once per file whichever lock lint
/// asks first. `show` says how a finding would show each held guard.
pub fn export(cx: &FileCx<'_>, show: &dyn Fn(&LockFacts, GuardId) -> GuardShown) {
    if cx.lock_model_exported.replace(true) {
        return;
    }
    let locks = cx.locks();
    let facts = cx.facts;
    let mut fns: Vec<FnId> = locks.fn_contexts.keys().copied().collect();
    fns.sort();
    let mut summaries: Vec<(FnId, Vec<Option<FnId>>, FnLocks)> = Vec::new();
    for f in fns {
        let func = facts.func(f);
        let own = locks.fn_contexts[&f];
        let lock_of = |acq: usize, key: &LockKey, global: Option<&String>| -> Option<LockUse> {
            let a = &locks.acquisitions[acq];
            Some(LockUse {
                key: key_of(key)?,
                global: global.cloned(),
                mode: a.mode,
                kind: a.ty.kind,
                type_known: a.type_known,
                in_place: facts.lock_sites[a.site].in_place,
                text: a.lock_text.clone(),
            })
        };
        let mut out_calls = Vec::new();
        let mut callees = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut pending_index: HashMap<GuardId, u32> = HashMap::new();
        let pending_only = locks.pending_only.contains(&f);
        let mut guards: Vec<HeldLock> = Vec::new();
        let mut guard_index: HashMap<GuardId, Option<u32>> = HashMap::new();
        for c in locks.calls.iter().filter(|c| c.fn_id == f) {
            let own_flow = c.context == own;
            let held: Vec<u32> = c
                .held
                .iter()
                .filter(|g| !c.moved.iter().any(|(m, _)| m == *g))
                .filter_map(|&g| {
                    *guard_index.entry(g).or_insert_with(|| {
                        let a = locks.guard_acq(g);
                        if a.is_try {
                            return None;
                        }
                        let lock = lock_of(locks.guards[g].acq, a.key.as_ref()?, a.global.as_ref())?;
                        let shown = show(locks, g);
                        guards.push(HeldLock {
                            lock,
                            span: a.span,
                            label: shown.label,
                            release: shown.release,
                            help: shown.help,
                            note: shown.note,
                            holder: shown.holder,
                        });
                        Some(guards.len() as u32 - 1)
                    })
                })
                .collect();
            if !own_flow && held.is_empty() {
                continue;
            }
            let target = match c.callee {
                Some(g) => Target {
                    ty: facts.func(g).self_ty.clone(),
                    name: c.name.clone(),
                    is_method: c.is_method,
                    in_file: true,
                },
                // A name the file defines but the pass could not resolve: another function of
                // the file may be the one, so another file's is not.
                None if facts.fns.iter().any(|g| g.name == c.name) => continue,
                None => Target {
                    ty: match (c.is_method, &c.receiver) {
                        (true, None) => func.self_ty.clone(),
                        (true, Some(_)) => c.receiver_ty.clone(),
                        (false, _) => c.path_ty.clone(),
                    },
                    name: c.name.clone(),
                    is_method: c.is_method,
                    in_file: false,
                },
            };
            let receiver = match &c.receiver {
                Some(r) => match key_of(r) {
                    Some(k) => Some(k),
                    None => continue,
                },
                None => None,
            };
            let pending_held: Vec<u32> = c.pending_held.iter().filter_map(|g| pending_index.get(g).copied()).collect();
            let call = OutCall {
                target,
                receiver,
                span: c.span,
                text: c.text.clone(),
                awaited: c.awaited,
                own_flow,
                held,
                order: c.order.clone(),
                context: c.context,
                spawned: locks.spawned.get(&c.context).copied(),
                deadlock_test: is_deadlock_test(facts, f),
                self_exclusive: own_flow && has_self_exclusively(facts, f, 3),
                pending_held,
            };
            if let (Some(g), true) = (c.pending, own_flow) {
                let shown = show(locks, g);
                pending_index.insert(g, pending.len() as u32);
                pending.push(Pending {
                    call: call.clone(),
                    label: shown.label,
                    release: shown.release,
                    help: shown.help,
                });
            }
            // A function that only calls out: its calls of other files are steps of chains
            // that leave the file (`flush` → `summary` here → `pending` elsewhere).
            if pending_only && call.pending_held.is_empty() && (call.target.in_file || !own_flow) {
                continue;
            }
            callees.push(c.callee);
            out_calls.push(call);
        }
        let taken: Vec<LockTaken> = locks
            .summaries
            .get(&f)
            .into_iter()
            .flatten()
            .filter(|s| !matches!(s.key.root, KeyRoot::Local(_)))
            .filter_map(|s| {
                let lock = lock_of(s.acq, &s.key, s.global.as_ref())?;
                let mut steps: Vec<(Span, String)> = s
                    .chain
                    .iter()
                    .map(|&i| {
                        let c = &locks.calls[i];
                        (c.span, format!("`{}` calls `{}` here", facts.func(c.fn_id).name, c.text))
                    })
                    .collect();
                let a = &locks.acquisitions[s.acq];
                steps.push((a.span, format!("`{}` locks `{}` here", facts.func(a.fn_id).name, a.lock_text)));
                let alive = match s.chain.first() {
                    Some(&c) => &locks.calls[c].pending_held,
                    None => &a.pending_held,
                };
                let pending_held = alive.iter().filter_map(|g| pending_index.get(g).copied()).collect();
                Some(LockTaken { lock, steps, pending_held })
            })
            .collect();
        let returns = locks.wrappers.get(&f).and_then(|&acq| {
            let a = &locks.acquisitions[acq];
            let key = a.key.as_ref().filter(|k| !matches!(k.root, KeyRoot::Local(_)))?;
            Some(Returned { lock: lock_of(acq, key, a.global.as_ref())?, span: a.span })
        });
        let (taken, out_calls, pending) = keep_used_pending(taken, out_calls, pending);
        summaries.push((
            f,
            callees,
            FnLocks {
                owner: func.self_ty.clone(),
                name: func.name.clone(),
                is_method: func.sig.inputs.iter().any(|i| matches!(i, syn::FnArg::Receiver(_))),
                is_async: func.sig.asyncness.is_some(),
                locks: taken,
                calls: out_calls,
                guards,
                returns,
                pending,
            },
        ));
    }
    prune(&mut summaries);
    for (_, _, f) in summaries {
        if !f.locks.is_empty() || !f.calls.is_empty() || f.returns.is_some() {
            cx.export(ExportedFact::FnLocks(Box::new(f)));
        }
    }
}

/// Keeps only the pending results alive at some call or lock (renumbered).
fn keep_used_pending(
    mut taken: Vec<LockTaken>,
    mut calls: Vec<OutCall>,
    pending: Vec<Pending>,
) -> (Vec<LockTaken>, Vec<OutCall>, Vec<Pending>) {
    let mut used = vec![false; pending.len()];
    let all = taken.iter().flat_map(|t| &t.pending_held).chain(calls.iter().flat_map(|c| &c.pending_held));
    for &i in all {
        if let Some(u) = used.get_mut(i as usize) {
            *u = true;
        }
    }
    let mut renumber = Vec::with_capacity(pending.len());
    let mut kept = Vec::new();
    for (p, used) in pending.into_iter().zip(&used) {
        renumber.push(used.then_some(kept.len() as u32));
        if *used {
            kept.push(p);
        }
    }
    let map = |list: &mut Vec<u32>| {
        *list = list.iter().filter_map(|&i| renumber.get(i as usize).copied().flatten()).collect();
    };
    taken.iter_mut().for_each(|t| map(&mut t.pending_held));
    calls.iter_mut().for_each(|c| map(&mut c.pending_held));
    (taken, calls, kept)
}

/// Drops the calls the workspace phase cannot use, to keep what a run holds small: a call
/// with no guard held matters only as a step of a chain that leaves the file, and the lock
/// pass already followed the chains that stay in it. Such a call is kept when it is of
/// another file, or of a function of this file that makes one (through any number of calls).
fn prune(summaries: &mut [(FnId, Vec<Option<FnId>>, FnLocks)]) {
    let mut leads_out: HashSet<FnId> = summaries
        .iter()
        .filter(|(_, _, s)| s.calls.iter().any(|c| c.own_flow && !c.target.in_file))
        .map(|(f, _, _)| *f)
        .collect();
    loop {
        let before = leads_out.len();
        for (f, callees, s) in summaries.iter() {
            let calls_one =
                s.calls.iter().zip(callees).any(|(c, g)| c.own_flow && g.is_some_and(|g| leads_out.contains(&g)));
            if calls_one {
                leads_out.insert(*f);
            }
        }
        if leads_out.len() == before {
            break;
        }
    }
    for (_, callees, s) in summaries.iter_mut() {
        let mut keep = callees.iter().map(|g| g.is_some_and(|g| leads_out.contains(&g)));
        s.calls.retain(|c| keep.next().unwrap_or(false) || !c.held.is_empty() || !c.target.in_file);
    }
}

/// A lock key in the model's terms: a local reassigned before (`node = next;`) or a
/// thread-local (each thread has its own) has none.
fn key_of(k: &LockKey) -> Option<Key> {
    let root = match &k.root {
        KeyRoot::SelfValue => Root::SelfValue,
        KeyRoot::Static(n) => Root::Static(n.clone()),
        KeyRoot::Local(b) if k.generation == 0 => Root::Local(b.0),
        KeyRoot::Local(_) | KeyRoot::ThreadLocal(_) => return None,
    };
    Some(Key { root, path: k.path.clone() })
}

/// The lock summaries of package `index`'s files, joined (read through
/// [`crate::context::WorkspaceCx::locks_of`], which builds them once per run).
pub fn of_package(files: &[crate::context::FileSummary], index: usize) -> PackageLocks<'_> {
    PackageLocks::new(files.iter().filter(|f| f.package == index).flat_map(|f| {
        f.facts.iter().filter_map(move |fact| match fact {
            ExportedFact::FnLocks(l) => Some((f.file, &**l)),
            _ => None,
        })
    }))
}
