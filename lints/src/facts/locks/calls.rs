//! Locks followed through the calls of one file.
//!
//! - [`reaching`]: the functions that lock, or call (by name, through any number of calls) a
//!   function of the file that locks. The lock pass runs over these, so that a function that
//!   only calls is seen too.
//! - [`find_wrappers`]: functions whose return type is a guard and whose body locks one lock
//!   (`fn state(&self) -> MutexGuard<'_, State> { self.state.lock().unwrap() }`): each call of
//!   one is an acquisition of that lock in the caller.
//! - [`resolve`]: the function of the file each recorded call runs: the only one of that name
//!   and shape, and for a receiver other than `self`, a method of the receiver's type.
//! - [`summarize`]: what each function may lock, by a key relative to its `self`, a parameter
//!   or a `static`, through calls of any depth, computed to a fixpoint (bounded by
//!   [`MAX_CHAIN`] calls, so recursion ends).
//! - [`LockFacts::callee_locks`]: what a recorded call's callee may lock, from its summary,
//!   in the caller's terms ([`CalleeLock`]), for the lints.

use super::keys::{KeyRoot, LockKey};
use super::records::{AcqId, GuardId, HeldCall, LockFacts};
use crate::facts::{BindingId, BindingKind, Callee, ClosureCtx, Facts, FnId};
use std::collections::{HashMap, HashSet};
use syn::Pat;

/// The longest chain of calls followed from a function to an acquisition.
pub const MAX_CHAIN: usize = 8;

/// At most this many locks are kept per function (the shortest chains are found first).
const MAX_LOCKS: usize = 64;

/// A lock a function may take, in its own terms.
#[derive(Clone, Debug)]
pub struct SummaryLock {
    /// The acquisition at the end of the chain.
    pub acq: AcqId,
    /// Rooted at `self`, a parameter of the function, or a `static`.
    pub key: LockKey,
    pub global: Option<String>,
    /// The calls (indices into [`LockFacts::calls`]) from the function down to the function
    /// that takes the lock; empty when it takes it in its own body.
    pub chain: Vec<usize>,
}

/// A guard-returning function of the file.
#[derive(Clone, Debug)]
pub struct Wrapper {
    pub fn_id: FnId,
    /// The acquisition whose guard it returns.
    pub acq: AcqId,
    pub is_method: bool,
    pub self_ty: Option<String>,
    pub is_async: bool,
}

/// The name a call calls, when [`resolve`] could resolve it: a method, or a plain name.
fn callee_name(c: &Callee<'_>) -> Option<String> {
    match c {
        Callee::Method { name, .. } => Some(name.clone()),
        Callee::Path { path, .. } => path.get_ident().map(|i| i.to_string()),
    }
}

/// The functions with a lock site (`locking`) and those that call one of them by name,
/// through any number of calls, in id order. Only names one function of the file has are
/// followed: a call of another can never be resolved (see [`resolve`]).
pub fn reaching(facts: &Facts<'_>, locking: &[FnId]) -> Vec<FnId> {
    let mut named: HashMap<&str, usize> = HashMap::new();
    for f in &facts.fns {
        *named.entry(f.name.as_str()).or_default() += 1;
    }
    let mut callers: HashMap<String, Vec<FnId>> = HashMap::new();
    for c in &facts.calls {
        let (Some(f), Some(name)) = (c.ctx.fn_id, callee_name(&c.callee)) else { continue };
        if named.get(name.as_str()) == Some(&1) {
            callers.entry(name).or_default().push(f);
        }
    }
    let mut set: HashSet<FnId> = locking.iter().copied().collect();
    let mut work: Vec<String> = locking.iter().map(|&f| facts.func(f).name.clone()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = work.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for &f in callers.get(&name).into_iter().flatten() {
            if set.insert(f) {
                work.push(facts.func(f).name.clone());
            }
        }
    }
    let mut out: Vec<FnId> = set.into_iter().collect();
    out.sort();
    out
}

/// The functions that make at least `min` calls, in their own body, of functions that no
/// function of the file is named like (lower-case names, methods or paths), in id order: calls
/// that may run another file's function, which may return a guard.
pub fn calling_out(facts: &Facts<'_>, min: usize) -> Vec<FnId> {
    let named: HashSet<&str> = facts.fns.iter().map(|f| f.name.as_str()).collect();
    let mut count: HashMap<FnId, usize> = HashMap::new();
    for c in &facts.calls {
        let Some(f) = c.ctx.fn_id else { continue };
        if c.ctx.closure != ClosureCtx::None || c.ctx.deferred || c.ctx.spawn_body.is_some() {
            continue;
        }
        let Some(name) = callee_name_any(&c.callee) else { continue };
        let first = match &c.callee {
            Callee::Path { path, .. } if path.leading_colon.is_some() => Some(String::new()),
            Callee::Path { path, .. } if path.segments.len() > 1 => path.segments.first().map(|s| s.ident.to_string()),
            _ => None,
        };
        if !named.contains(name.as_str()) && may_return_guard(&name, first.as_deref()) {
            *count.entry(f).or_default() += 1;
        }
    }
    let mut out: Vec<FnId> = count.into_iter().filter(|&(_, n)| n >= min).map(|(f, _)| f).collect();
    out.sort();
    out
}

/// Whether a call of a function named `name` (through a path whose first segment is `first`,
/// empty for a leading `::`) may be a call of a guard-returning function of the package: a
/// lower-case name that is not a constructor's, a conversion's, a predicate's or a spawn's,
/// nor a macro's stand-in, and a path that does not go through std.
pub fn may_return_guard(name: &str, first: Option<&str>) -> bool {
    const PREFIXES: [&str; 14] = [
        "__", "new", "from", "into", "to_", "as_", "is_", "has_", "with_", "try_", "fetch_", "compare_", "debug_",
        "write_",
    ];
    const NAMES: [&str; 24] = [
        "default", "clone", "len", "iter", "iter_mut", "build", "builder", "fmt", "eq", "ne", "cmp", "partial_cmp",
        "hash", "drop", "unwrap", "expect", "map", "collect", "push", "format", "load", "store", "swap", "get_mut",
    ];
    if !name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || NAMES.contains(&name)
        || name.contains("spawn")
    {
        return false;
    }
    !first.is_some_and(is_std_module)
}

/// std's crates and modules, as the first segment of a path (`mem::take`, `std::ptr::null`).
fn is_std_module(first: &str) -> bool {
    matches!(
        first,
        "" | "std"
            | "core"
            | "alloc"
            | "mem"
            | "ptr"
            | "thread"
            | "task"
            | "panic"
            | "env"
            | "fs"
            | "io"
            | "process"
            | "time"
            | "sync"
            | "hint"
            | "iter"
            | "cmp"
            | "fmt"
            | "slice"
            | "str"
            | "char"
            | "any"
            | "array"
            | "cell"
            | "convert"
            | "ffi"
            | "future"
            | "hash"
            | "marker"
            | "net"
            | "ops"
            | "os"
            | "path"
            | "pin"
            | "rc"
            | "collections"
            | "error"
            | "libc"
    )
}

/// The name a call calls: a method's, or a path's last segment.
fn callee_name_any(c: &Callee<'_>) -> Option<String> {
    match c {
        Callee::Method { name, .. } => Some(name.clone()),
        Callee::Path { path, .. } => path.segments.last().map(|s| s.ident.to_string()),
    }
}

/// The guard types of std, parking_lot/lock_api, spin, tokio, async-lock and futures
/// (reentrant guards excluded: locking again is fine).
fn is_guard_name(name: &str) -> bool {
    matches!(
        name,
        "MutexGuard"
            | "RwLockReadGuard"
            | "RwLockWriteGuard"
            | "RwLockUpgradableReadGuard"
            | "MappedMutexGuard"
            | "MappedRwLockReadGuard"
            | "MappedRwLockWriteGuard"
            | "OwnedMutexGuard"
            | "OwnedMappedMutexGuard"
            | "OwnedRwLockReadGuard"
            | "OwnedRwLockWriteGuard"
            | "OwnedRwLockMappedWriteGuard"
            | "RwLockMappedWriteGuard"
            | "ArcMutexGuard"
            | "ArcRwLockReadGuard"
            | "ArcRwLockWriteGuard"
            | "MutexGuardArc"
            | "RwLockReadGuardArc"
            | "RwLockWriteGuardArc"
    )
}

/// The function returns a guard, or a `Result` of one (`LockResult<MutexGuard<…>>`). An
/// `Option` of one (a `try_lock` wrapper, or a lock taken on some paths) does not count.
pub fn returns_guard(sig: &syn::Signature) -> bool {
    let syn::ReturnType::Type(_, ty) = &sig.output else { return false };
    is_guard_type(ty, 0)
}

fn is_guard_type(ty: &syn::Type, depth: u8) -> bool {
    if depth > 4 {
        return false;
    }
    match ty {
        syn::Type::Paren(p) => is_guard_type(&p.elem, depth + 1),
        syn::Type::Group(g) => is_guard_type(&g.elem, depth + 1),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            if is_guard_name(&name) {
                return true;
            }
            if !matches!(name.as_str(), "Result" | "LockResult") {
                return false;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
            match args.args.first() {
                Some(syn::GenericArgument::Type(t)) => is_guard_type(t, depth + 1),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The parameter bindings of `f`, receiver excluded (`None` for a pattern other than a name).
pub fn params_of(facts: &Facts<'_>, f: FnId) -> Vec<Option<BindingId>> {
    let func = facts.func(f);
    func.sig
        .inputs
        .iter()
        .filter_map(|i| match i {
            syn::FnArg::Typed(t) => Some(match &*t.pat {
                Pat::Ident(p) => {
                    facts.binding_at(crate::facts::walk::span_of_span(func.ident_span.file, p.ident.span()))
                }
                _ => None,
            }),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// How a call passes what the callee's locks are rooted at.
pub struct CallArgs<'c> {
    pub is_method: bool,
    /// `None` for `self`.
    pub receiver: Option<&'c LockKey>,
    pub args: &'c [Option<LockKey>],
    pub args_global: &'c [Option<String>],
}

impl<'c> From<&'c HeldCall> for CallArgs<'c> {
    fn from(c: &'c HeldCall) -> Self {
        CallArgs { is_method: c.is_method, receiver: c.receiver.as_ref(), args: &c.args, args_global: &c.args_global }
    }
}

/// The callee's lock `key` in the caller's terms: `self.x` stays `self.x` for `self.m()` and is
/// `self.peer.x` for `self.peer.m()`, a parameter is the argument passed, a static stays.
pub fn map_key<'c>(
    call: impl Into<CallArgs<'c>>,
    params: &[Option<BindingId>],
    key: &LockKey,
    global: Option<&String>,
) -> Option<(LockKey, Option<String>)> {
    let call = call.into();
    match &key.root {
        KeyRoot::SelfValue if call.is_method => match call.receiver {
            None => Some((key.clone(), global.cloned())),
            Some(r) => Some((
                LockKey { root: r.root.clone(), path: format!("{}{}", r.path, key.path), generation: r.generation },
                global.cloned(),
            )),
        },
        KeyRoot::SelfValue => None,
        KeyRoot::Static(_) | KeyRoot::ThreadLocal(_) => Some((key.clone(), global.cloned())),
        KeyRoot::Local(b) => {
            let pos = params.iter().position(|p| *p == Some(*b))?;
            let arg = call.args.get(pos)?.as_ref()?;
            let global = call.args_global.get(pos).cloned().flatten().map(|g| format!("{g}{}", key.path));
            Some((
                LockKey {
                    root: arg.root.clone(),
                    path: format!("{}{}", arg.path, key.path),
                    generation: arg.generation,
                },
                global,
            ))
        }
    }
}

/// A key a caller can rewrite: rooted at `self`, a parameter or a `static`.
fn mappable(facts: &Facts<'_>, key: &LockKey) -> bool {
    match key.root {
        KeyRoot::SelfValue | KeyRoot::Static(_) | KeyRoot::ThreadLocal(_) => true,
        KeyRoot::Local(b) => facts.binding(b).kind == BindingKind::Param,
    }
}

/// The guard-returning functions among `candidates` (already analysed), by name: a function
/// whose return type is a guard and whose own body takes one lock, in one mode, by a key its
/// callers can rewrite. Only names that one function of the file has.
pub fn find_wrappers(out: &LockFacts, facts: &Facts<'_>, candidates: &[FnId]) -> HashMap<String, Wrapper> {
    let mut named: HashMap<&str, usize> = HashMap::new();
    for f in &facts.fns {
        *named.entry(f.name.as_str()).or_default() += 1;
    }
    let mut wrappers = HashMap::new();
    for &f in candidates {
        let func = facts.func(f);
        if named.get(func.name.as_str()) != Some(&1) || !returns_guard(func.sig) {
            continue;
        }
        let Some(&context) = out.fn_contexts.get(&f) else { continue };
        let mut taken = out
            .acquisitions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.fn_id == f && a.context == context && !a.is_try && a.via.is_none() && !a.pending);
        let Some((first, a)) = taken.next() else { continue };
        let Some(key) = &a.key else { continue };
        if !mappable(facts, key) || taken.any(|(_, b)| b.key.as_ref() != Some(key) || b.mode != a.mode) {
            continue;
        }
        wrappers.insert(
            func.name.clone(),
            Wrapper {
                fn_id: f,
                acq: first,
                is_method: has_receiver(facts, f),
                self_ty: func.self_ty.clone(),
                is_async: func.sig.asyncness.is_some(),
            },
        );
    }
    wrappers
}

/// Sets the callee of each recorded call: the only function of the file with that name,
/// among the analysed ones and of the same shape (method or not); for a receiver other than
/// `self`, a method of the receiver's type.
pub fn resolve(out: &mut LockFacts, facts: &Facts<'_>, analysed: &[FnId]) {
    let mut by_name: HashMap<&str, Vec<FnId>> = HashMap::new();
    for &f in analysed {
        by_name.entry(facts.func(f).name.as_str()).or_default().push(f);
    }
    let mut named: HashMap<&str, usize> = HashMap::new();
    for f in &facts.fns {
        *named.entry(f.name.as_str()).or_default() += 1;
    }
    for call in &mut out.calls {
        if call.qualified || named.get(call.name.as_str()) != Some(&1) {
            continue;
        }
        let Some(&[only]) = by_name.get(call.name.as_str()).map(Vec::as_slice) else { continue };
        if has_receiver(facts, only) != call.is_method {
            continue;
        }
        let callee_ty = &facts.func(only).self_ty;
        if call.receiver.is_some() && (call.receiver_ty.is_none() || call.receiver_ty != *callee_ty) {
            continue;
        }
        if call.path_ty.is_some() && call.path_ty != *callee_ty {
            continue;
        }
        // `self.m()` runs a method of the caller's own type (or a trait default method, whose
        // type is any implementor's).
        let caller_ty = &facts.func(call.fn_id).self_ty;
        if call.is_method
            && call.receiver.is_none()
            && caller_ty.is_some()
            && callee_ty.is_some()
            && caller_ty != callee_ty
        {
            continue;
        }
        call.callee = Some(only);
    }
}

/// Computes [`LockFacts::summaries`]: each analysed function's own blocking acquisitions, then,
/// to a fixpoint, those of the functions it calls in its own body, rewritten into its terms.
pub fn summarize(out: &mut LockFacts, facts: &Facts<'_>) {
    let mut sums: HashMap<FnId, Vec<SummaryLock>> = HashMap::new();
    for (i, a) in out.acquisitions.iter().enumerate() {
        if a.is_try || out.fn_contexts.get(&a.fn_id) != Some(&a.context) {
            continue;
        }
        let Some(key) = &a.key else { continue };
        if mappable(facts, key) {
            sums.entry(a.fn_id).or_default().push(SummaryLock {
                acq: i,
                key: key.clone(),
                global: a.global.clone(),
                chain: Vec::new(),
            });
        }
    }
    // Calls in a function's own flow (not in closures or async blocks it creates), whose
    // callee runs there: an `async fn` only when awaited.
    let edges: Vec<(usize, FnId, FnId)> = out
        .calls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let g = c.callee?;
            if out.fn_contexts.get(&c.fn_id) != Some(&c.context) {
                return None;
            }
            if facts.func(g).sig.asyncness.is_some() && !c.awaited {
                return None;
            }
            Some((i, c.fn_id, g))
        })
        .collect();
    let mut params: HashMap<FnId, Vec<Option<BindingId>>> = HashMap::new();
    for _ in 0..MAX_CHAIN {
        let mut changed = false;
        for &(ci, f, g) in &edges {
            let Some(inner) = sums.get(&g) else { continue };
            let ps = params.entry(g).or_insert_with(|| params_of(facts, g));
            let call = &out.calls[ci];
            let found: Vec<SummaryLock> = inner
                .iter()
                .filter(|s| s.chain.len() + 1 < MAX_CHAIN)
                .filter_map(|s| {
                    let (key, global) = map_key(call, ps, &s.key, s.global.as_ref())?;
                    if !mappable(facts, &key) {
                        return None;
                    }
                    let mut chain = Vec::with_capacity(s.chain.len() + 1);
                    chain.push(ci);
                    chain.extend_from_slice(&s.chain);
                    Some(SummaryLock { acq: s.acq, key, global, chain })
                })
                .collect();
            let mine = sums.entry(f).or_default();
            for s in found {
                if mine.len() >= MAX_LOCKS {
                    break;
                }
                if !mine.iter().any(|m| m.acq == s.acq && m.key == s.key) {
                    mine.push(s);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    out.summaries = sums;
}

/// A lock taken by a called function, in the caller's terms.
#[derive(Clone, Debug)]
pub struct CalleeLock {
    /// The acquisition inside the callee.
    pub acq: AcqId,
    pub key: LockKey,
    pub global: Option<String>,
    /// The caller's guards still alive when the callee takes it: a guard moved into the call
    /// counts only while the callee's parameter still holds it (not moved on or dropped
    /// before).
    pub held: Vec<GuardId>,
    /// The calls inside the callee that lead to the acquisition (indices into
    /// [`LockFacts::calls`], outermost first); empty when the callee locks in its own body.
    pub chain: Vec<usize>,
}

impl LockFacts {
    /// The blocking acquisitions `call`'s callee makes, in its own body or through the calls it
    /// makes (closures and async blocks it creates excluded), with keys rewritten into the
    /// caller's terms: `self.x` stays `self.x` for `self.method()` and becomes `self.peer.x` for
    /// `self.peer.method()`, a parameter becomes the argument passed, a static stays. The
    /// shortest chains come first.
    pub fn callee_locks(&self, facts: &Facts<'_>, call: &HeldCall) -> Vec<CalleeLock> {
        let Some(callee) = call.callee else { return Vec::new() };
        if facts.func(callee).sig.asyncness.is_some() && !call.awaited {
            // Calling an `async fn` only makes its future: its locks are taken when it runs.
            return Vec::new();
        }
        let Some(summary) = self.summaries.get(&callee) else { return Vec::new() };
        let params = params_of(facts, callee);
        let mut out = Vec::new();
        for s in summary {
            let Some((key, global)) = map_key(call, &params, &s.key, s.global.as_ref()) else { continue };
            let a = &self.acquisitions[s.acq];
            let held = call
                .held
                .iter()
                .copied()
                .filter(|g| match call.moved.iter().find(|(m, _)| m == g) {
                    None => true,
                    // Deeper down, a guard moved into the call is not followed: it counts as
                    // released.
                    Some(_) if !s.chain.is_empty() => false,
                    Some((_, pos)) => match params.get(*pos).copied().flatten() {
                        Some(p) => !facts.uses_of(p).any(|u| u.span.start < a.span.start && lets_go(&u.flow)),
                        None => false,
                    },
                })
                .collect();
            out.push(CalleeLock { acq: s.acq, key, global, held, chain: s.chain.clone() });
        }
        out.sort_by_key(|c| c.chain.len());
        out
    }
}

/// A use that moves a value on or drops it.
fn lets_go(flow: &crate::facts::Flow<'_>) -> bool {
    use crate::facts::Flow;
    matches!(
        flow,
        Flow::Dropped(_)
            | Flow::Forgotten(_)
            | Flow::Let(_)
            | Flow::Assigned(_)
            | Flow::Argument(_)
            | Flow::Stored
            | Flow::PushedInto(_)
            | Flow::Returned
            | Flow::Discarded
    )
}

fn has_receiver(facts: &Facts<'_>, f: FnId) -> bool {
    facts.func(f).sig.inputs.iter().any(|i| matches!(i, syn::FnArg::Receiver(_)))
}

/// `f` runs with `self` to itself: it takes `&mut self` or `self`, or it is a private `&self`
/// method that the file calls only as `self.f(…)`, in the own flow of methods that do
/// (`depth` levels of callers).
pub fn has_self_exclusively(facts: &Facts<'_>, f: FnId, depth: u8) -> bool {
    let func = facts.func(f);
    let Some(receiver) = func.sig.inputs.iter().find_map(|i| match i {
        syn::FnArg::Receiver(r) => Some(r),
        syn::FnArg::Typed(_) => None,
    }) else {
        return false;
    };
    if receiver.colon_token.is_some() {
        return false;
    }
    if receiver.reference.is_none() || receiver.mutability.is_some() {
        return true;
    }
    if depth == 0 || !func.private_method {
        return false;
    }
    let mut callers = Vec::new();
    for call in &facts.calls {
        match &call.callee {
            Callee::Method { name, receiver } if *name == func.name => {
                let on_self = matches!(&**receiver, syn::Expr::Path(p) if p.path.is_ident("self"));
                let own_flow =
                    call.ctx.closure == ClosureCtx::None && !call.ctx.deferred && call.ctx.spawn_body.is_none();
                match call.ctx.fn_id {
                    Some(g) if on_self && own_flow && g != f => callers.push(g),
                    _ => return false,
                }
            }
            Callee::Path { path, .. } if path.segments.last().is_some_and(|s| s.ident == func.name) => return false,
            _ => {}
        }
    }
    !callers.is_empty() && callers.into_iter().all(|g| has_self_exclusively(facts, g, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::returns_guard;

    fn sig(s: &str) -> syn::Signature {
        syn::parse_str::<syn::ItemFn>(&format!("{s} {{}}")).unwrap().sig
    }

    #[test]
    fn names_that_may_return_a_guard() {
        use super::may_return_guard;
        assert!(may_return_guard("wl", None));
        assert!(may_return_guard("lock_state", Some("crate")));
        assert!(may_return_guard("state", Some("Store")));
        assert!(!may_return_guard("new", Some("Store")));
        assert!(!may_return_guard("as_ref", None));
        assert!(!may_return_guard("spawn_worker", None));
        assert!(!may_return_guard("__macro_format", None));
        assert!(!may_return_guard("take", Some("mem")));
        assert!(!may_return_guard("null", Some("")));
    }

    #[test]
    fn guard_return_types() {
        assert!(returns_guard(&sig("fn a(&self) -> MutexGuard<'_, u32>")));
        assert!(returns_guard(&sig("fn a(&self) -> std::sync::RwLockWriteGuard<'_, u32>")));
        assert!(returns_guard(&sig("fn a(&self) -> LockResult<MutexGuard<'_, u32>>")));
        assert!(returns_guard(&sig("fn a(&self) -> parking_lot::MappedMutexGuard<'_, u32>")));
        assert!(returns_guard(&sig("async fn a(&self) -> tokio::sync::OwnedMutexGuard<u32>")));
        // A `try_lock` wrapper, or a lock taken on some paths only.
        assert!(!returns_guard(&sig("fn a(&self) -> Option<MutexGuard<'_, u32>>")));
        // Reentrant guards may be taken again.
        assert!(!returns_guard(&sig("fn a(&self) -> ReentrantMutexGuard<'_, u32>")));
        assert!(!returns_guard(&sig("fn a(&self) -> u32")));
        assert!(!returns_guard(&sig("fn a(&self)")));
    }
}
