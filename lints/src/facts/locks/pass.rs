//! The lock pass: one walk over the body of each function that may lock, in evaluation order,
//! following the guards alive at each point.
//!
//! [`collect`] runs it over the functions [`super::calls::reaching`] picks (guard-returning
//! wrappers first, so that calls of them elsewhere are acquisitions), then has the calls
//! resolved and summarised. It is separate from the records it fills ([`super::records`]) and
//! from lock identity ([`super::keys`]): this is the part that knows scopes, branches, loops
//! and closures.
//!
//! The pass's methods are spread over three submodules by what they do: [`control`] walks the
//! code in evaluation order (scopes, branches, loops, closures, nested bodies), [`guards`]
//! follows a guard value to what holds it and where it is released, and [`acquire`] records
//! acquisitions, wrapper calls, condvar waits, awaits and calls of the file's functions. This
//! file holds what they share: [`collect`], the [`Pass`] with its frames and per-path
//! [`State`], and the join of two states.
//!
//! # Guard scopes
//! - `let g = m.lock().unwrap();` binds the guard: it lives until the end of the block, an
//!   explicit `drop(g)`, a move into a call (`consume(g)`, alive during the call), a move into
//!   another binding (`let h = g;`, which then holds it), a reassignment (`g = …`, which drops the
//!   old guard after the new value is computed), or a capture by a `move` closure or block.
//!   `let _ = g;` moves nothing; `g;` drops it.
//! - A temporary guard (`m.lock().unwrap().push(x)`) lives until the end of its temporary scope:
//!   the statement; the whole `match` for a scrutinee (`match *m.lock().unwrap() { … }`); the
//!   condition only for `if`/`while` conditions and match guards; the arm for a match arm
//!   expression; each iteration for a `while let` scrutinee; the whole `for` loop for its
//!   iterable. An `if let` scrutinee lives through the `else` block before edition 2024 and only
//!   through the `then` block from 2024 on (the 2024 edition drops it before `else`). A block's
//!   tail expression gives its temporaries to the enclosing statement before 2024 (plain blocks
//!   only: bodies of functions, closures, `if`, loops and arms end them). `let x = &m.lock()…;`
//!   and `let x = &*m.lock()…;` extend the guard to the end of the block.
//! - A `try_lock()` guard is held only where it was taken: the `then` block of
//!   `if let Ok(g) = m.try_lock()`, the arms of a `match` other than `Err(…)`/`None`/`_`, or after
//!   `.unwrap()`; a `try_lock` result kept as a `Result` is not tracked.
//! - Condvar waits (`cvar.wait(g)`, `wait_while`, `wait_timeout`…) hand the guard back, and
//!   `MutexGuard::map(g, …)` keeps it.
//! - Closures passed to iterator adaptors and `Option`/`Result` combinators, and closures called
//!   on the spot (`(|| …)()`), run inline: they see the guards held around them. Other closures
//!   and `async` blocks are separate bodies: they start with no guard held, and awaits in them
//!   never count for guards outside.

use super::calls;
use super::keys::{KeyRoot, LockKey};
use super::records::{GuardId, LockFacts, OrderBranch, Release, ReleaseKind};
use crate::facts::flow::Node;
use crate::facts::walk::{span_of, span_of_span};
use crate::facts::{BindingId, Facts, FnId};
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};
use syn::visit::Visit;
use syn::{Expr, Pat};

mod acquire;
mod control;
mod guards;

/// Runs the lock pass over every function of the file that has a lock site or calls one that
/// does (through any number of calls), then resolves the calls made and summarises what each
/// function may lock.
pub fn collect(file: FileId, facts: &Facts<'_>, edition: u16) -> LockFacts {
    let mut out = LockFacts::default();
    let mut locking: Vec<FnId> = facts.lock_sites.iter().filter_map(|s| s.fn_id).collect();
    locking.sort();
    locking.dedup();
    let mut fns = calls::reaching(facts, &locking);
    // Functions that call other files' functions: a guard one of those calls returns may be
    // held at another (see `Acquisition::pending`), and each such call is a step of a chain
    // that leaves the file (`flush` → `summary` here → `pending` in a third file). Only in a
    // file with a lock site of its own, so that the prefilter's condition for the lock lints
    // (a lock-method call) holds in every file they export a fact from.
    let pending_only: Vec<FnId> = if facts.lock_sites.is_empty() {
        Vec::new()
    } else {
        calls::calling_out(facts, 1).into_iter().filter(|f| fns.binary_search(f).is_err()).collect()
    };
    if fns.is_empty() && pending_only.is_empty() {
        return out;
    }
    out.pending_only = pending_only.iter().copied().collect();
    let sites: HashMap<*const Expr, usize> =
        facts.lock_sites.iter().enumerate().map(|(i, s)| (s.expr as *const Expr, i)).collect();
    // The paths of called functions, resolved through the file's `use` items.
    let resolved: HashMap<*const Expr, &str> = facts
        .calls
        .iter()
        .filter_map(|c| match &c.callee {
            crate::facts::Callee::Path { resolved: Some(r), .. } => Some((c.expr as *const Expr, r.as_str())),
            _ => None,
        })
        .collect();
    let use_binding: HashMap<u32, BindingId> = facts.uses.iter().map(|u| (u.span.start, u.binding)).collect();
    let spawn_bodies: HashMap<*const Expr, SpawnEnd> =
        facts.spawns.iter().filter_map(|s| Some((s.body? as *const Expr, spawn_end(facts, s)))).collect();
    // Calls are recorded when they may reach a lock.
    let lock_fns: HashSet<&str> = fns.iter().map(|&f| facts.func(f).name.as_str()).collect();
    let file_fns: HashSet<&str> = facts.fns.iter().map(|f| f.name.as_str()).collect();
    // Guard-returning functions first, so that calls of them elsewhere are acquisitions.
    let (first, mut rest): (Vec<FnId>, Vec<FnId>) =
        fns.iter().partition(|&&f| locking.binary_search(&f).is_ok() && calls::returns_guard(facts.func(f).sig));
    rest.extend(&pending_only);
    let mut next_context = 0;
    let mut wrappers = HashMap::new();
    for (phase, list) in [first, rest].into_iter().enumerate() {
        if phase == 1 {
            wrappers = calls::find_wrappers(&out, facts, &fns);
            out.wrappers = wrappers.values().map(|w| (w.fn_id, w.acq)).collect();
        }
        for f in list {
            let func = facts.func(f);
            let mut pass = Pass {
                file,
                facts,
                edition,
                sites: &sites,
                use_binding: &use_binding,
                resolved: &resolved,
                spawn_bodies: &spawn_bodies,
                lock_fns: &lock_fns,
                file_fns: &file_fns,
                wrappers: &wrappers,
                out: &mut out,
                fn_id: f,
                self_ty: func.self_ty.clone(),
                anc: Vec::new(),
                st: State::default(),
                frames: Vec::new(),
                loops: Vec::new(),
                context: next_context,
                next_context: next_context + 1,
                is_async: func.sig.asyncness.is_some(),
                is_move: false,
                after: HashMap::new(),
                captured: Vec::new(),
                stmts: Vec::new(),
                try_scrutinee: None,
                order: Vec::new(),
                generations: HashMap::new(),
                next_block: 0,
                depth: 0,
                body_ends: Vec::new(),
                param_keys: HashMap::new(),
                callbacks: Vec::new(),
            };
            pass.out.fn_contexts.insert(f, next_context);
            pass.anc.push(Node::FnBody);
            pass.block(func.body, true);
            next_context = pass.next_context;
        }
    }
    fns.extend(pending_only);
    fns.sort();
    calls::resolve(&mut out, facts, &fns);
    calls::summarize(&mut out, facts);
    out
}

/// Where a spawn is known to have ended.
#[derive(Clone, Copy, Debug)]
enum SpawnEnd {
    /// Its handle is joined or awaited here (the end offset of that expression).
    At(u32),
    /// A scoped spawn: with the scope's closure, the body around it.
    Scope,
    Unseen,
}

fn spawn_end(facts: &Facts<'_>, spawn: &crate::facts::Spawn<'_>) -> SpawnEnd {
    use crate::facts::spawns::Spawner;
    use crate::facts::Flow;
    if matches!(spawn.spawner, Spawner::StdScoped | Spawner::RayonScope) {
        return SpawnEnd::Scope;
    }
    let waits = |flow: &Flow<'_>| match flow {
        Flow::Method(m) if m.method == "join" => Some(span_of(spawn.callee_span.file, *m).end),
        Flow::Awaited(a) => Some(span_of(spawn.callee_span.file, *a).end),
        _ => None,
    };
    if let Some(end) = waits(&spawn.flow) {
        return SpawnEnd::At(end);
    }
    let Flow::Let(Pat::Ident(p)) = spawn.flow else { return SpawnEnd::Unseen };
    let Some(b) = facts.binding_at(span_of_span(spawn.callee_span.file, p.ident.span())) else {
        return SpawnEnd::Unseen;
    };
    // The earliest wait in the text: one in a branch may be skipped, so this may hide an
    // inversion, never invent one.
    facts.uses_of(b).filter_map(|u| waits(&u.flow)).min().map_or(SpawnEnd::Unseen, SpawnEnd::At)
}

/// Guards alive on every path to the current point, and which local holds each.
#[derive(Clone, Debug, Default)]
struct State {
    live: Vec<GuardId>,
    /// The guard each local holds. Per path: a guard moved out of `g0` on one branch
    /// (`let g = if c { g0 } else { drop(g0); … }`) is still `g0`'s on the other, where the
    /// `drop(g0)` must release it.
    bound: Vec<(BindingId, GuardId)>,
    unreachable: bool,
}

impl State {
    fn guard_of(&self, b: BindingId) -> Option<GuardId> {
        self.bound.iter().find(|(x, _)| *x == b).map(|(_, g)| *g)
    }

    fn bind(&mut self, b: BindingId, g: GuardId) {
        self.unbind(b);
        self.bound.push((b, g));
    }

    fn unbind(&mut self, b: BindingId) -> Option<GuardId> {
        let pos = self.bound.iter().position(|(x, _)| *x == b)?;
        Some(self.bound.swap_remove(pos).1)
    }
}

/// What holds on every path: the guards alive on both, and the locals that hold the same
/// guard on both.
fn join(a: State, b: State) -> State {
    if a.unreachable {
        return b;
    }
    if b.unreachable {
        return a;
    }
    State {
        live: a.live.into_iter().filter(|g| b.live.contains(g)).collect(),
        bound: a.bound.into_iter().filter(|e| b.bound.contains(e)).collect(),
        unreachable: false,
    }
}

fn join_opt(a: Option<State>, b: State) -> State {
    match a {
        Some(a) => join(a, b),
        None => b,
    }
}

fn unreachable_state() -> State {
    State { live: Vec::new(), bound: Vec::new(), unreachable: true }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FrameKind {
    Block,
    Stmt,
    Cond,
    Arm,
    IfLet,
    WhileLet,
}

#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// Temporaries created inside end here.
    boundary: bool,
    /// Let bindings live here.
    locals: bool,
    /// Where what it holds is dropped, for labels.
    end: Span,
    /// A block's closing brace offset (matches [`crate::facts::Binding::scope_end`]).
    close: Option<u32>,
    block: Option<u32>,
    guards: Vec<GuardId>,
}

struct LoopCx {
    label: Option<String>,
    frame_depth: usize,
    breaks: Option<State>,
    /// Where the loop starts: bindings declared after it are new in each iteration.
    start: u32,
}

enum After {
    Release(GuardId, ReleaseKind, Span),
    Activate(GuardId),
    Install(BindingId, GuardId),
}

pub(super) struct Pass<'p, 'a> {
    file: FileId,
    pub(super) facts: &'p Facts<'a>,
    edition: u16,
    sites: &'p HashMap<*const Expr, usize>,
    use_binding: &'p HashMap<u32, BindingId>,
    /// The paths of called functions, resolved through the file's `use` items.
    resolved: &'p HashMap<*const Expr, &'p str>,
    /// The closures and async blocks handed to a spawn (see [`crate::facts::Spawn::body`]), with
    /// where each spawn is known to end.
    spawn_bodies: &'p HashMap<*const Expr, SpawnEnd>,
    /// The end of each nested body around the current point (a scoped spawn ends with its
    /// scope's closure).
    body_ends: Vec<u32>,
    /// Closure parameters that are a lock: `lock` in `LOCAL.with(|lock| …)`.
    pub(super) param_keys: HashMap<BindingId, LockKey>,
    /// The method calls running the borrowing closures around the current point (see
    /// [`crate::facts::locks::Acquisition::callback`]), innermost last.
    pub(super) callbacks: Vec<(Span, String)>,
    lock_fns: &'p HashSet<&'p str>,
    /// The names of every function of the file.
    file_fns: &'p HashSet<&'p str>,
    wrappers: &'p HashMap<String, calls::Wrapper>,
    out: &'p mut LockFacts,
    pub(super) fn_id: FnId,
    pub(super) self_ty: Option<String>,
    anc: Vec<Node<'a>>,
    st: State,
    frames: Vec<Frame>,
    loops: Vec<LoopCx>,
    context: u32,
    next_context: u32,
    is_async: bool,
    /// The current body is a `move` closure or block: naming an outer guard moves it in.
    is_move: bool,
    /// Work to do once an expression is fully evaluated.
    after: HashMap<*const Expr, Vec<After>>,
    /// Outer guards moved into a nested body.
    captured: Vec<GuardId>,
    /// The enclosing statements: (block id, statement span).
    stmts: Vec<(u32, Span)>,
    /// Assignments seen so far to each local (see [`LockKey::generation`]).
    pub(super) generations: HashMap<BindingId, u32>,
    /// A `try_lock()` guard made by the scrutinee of this `match`.
    try_scrutinee: Option<(*const Expr, GuardId)>,
    /// The ordering tests around the current point.
    order: Vec<OrderBranch>,
    next_block: u32,
    depth: usize,
}

pub(super) fn strip_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

pub(super) fn call_path_text(c: &syn::ExprCall) -> Option<String> {
    match strip_parens(&c.func) {
        Expr::Path(p) if p.qself.is_none() => Some(crate::facts::walk::path_text(&p.path)),
        _ => None,
    }
}

impl<'p, 'a> Pass<'p, 'a> {
    fn span<T: syn::spanned::Spanned + std::any::Any>(&self, node: &T) -> Span {
        span_of(self.file, node)
    }

    /// The last character of a node, where a statement or arm ends.
    fn end_of<T: syn::spanned::Spanned + std::any::Any>(&self, node: &T) -> Span {
        let s = self.span(node);
        Span { file: s.file, start: s.end.saturating_sub(1).max(s.start), end: s.end }
    }

    fn push_frame(&mut self, kind: FrameKind, boundary: bool, locals: bool, end: Span, close: Option<u32>) {
        let block = if kind == FrameKind::Block {
            self.next_block += 1;
            Some(self.next_block)
        } else {
            None
        };
        self.frames.push(Frame { kind, boundary, locals, end, close, block, guards: Vec::new() });
    }

    /// Pops the innermost frame, releasing what it holds (except guards moved on this path to
    /// a local that outlives it); returns those guards.
    fn pop_frame(&mut self) -> Vec<GuardId> {
        let depth = self.frames.len().saturating_sub(1);
        let Some(frame) = self.frames.pop() else { return Vec::new() };
        for &g in &frame.guards {
            let moved_out = self.st.bound.iter().any(|&(b, x)| {
                x == g
                    && self
                        .facts
                        .binding(b)
                        .scope_end
                        .is_some_and(|end| self.frames[..depth].iter().any(|f| f.close == Some(end.start)))
            });
            if !moved_out {
                self.release(g, ReleaseKind::ScopeEnd, frame.end);
            }
        }
        frame.guards
    }

    fn release(&mut self, g: GuardId, kind: ReleaseKind, span: Span) {
        if let Some(pos) = self.st.live.iter().position(|x| *x == g) {
            self.st.live.remove(pos);
            if !self.st.unreachable && self.out.guards[g].release.is_none() {
                self.out.guards[g].release = Some(Release { span, kind });
            }
        }
    }

    /// The frame a binding lives in: the block whose closing brace ends its scope.
    fn binding_frame(&self, b: BindingId) -> Option<usize> {
        let end = self.facts.binding(b).scope_end;
        if let Some(end) = end {
            if let Some(i) = self.frames.iter().rposition(|f| f.close == Some(end.start)) {
                return Some(i);
            }
        }
        self.frames.iter().rposition(|f| f.locals)
    }

    fn attach(&mut self, frame: usize, g: GuardId) {
        if let Some(f) = self.frames.get_mut(frame) {
            f.guards.push(g);
            if let Some(b) = f.block {
                self.out.guards[g].block = Some(b);
            }
        }
    }

    fn schedule(&mut self, e: &Expr, what: After) {
        self.after.entry(e as *const Expr).or_default().push(what);
    }

    fn apply_after(&mut self, e: &Expr) {
        let Some(list) = self.after.remove(&(e as *const Expr)) else { return };
        for what in list {
            match what {
                After::Release(g, kind, span) => self.release(g, kind, span),
                After::Activate(g) => {
                    if !self.st.live.contains(&g) && !self.st.unreachable {
                        self.st.live.push(g);
                    }
                }
                After::Install(b, g) => {
                    if let Some(old) = self.st.guard_of(b) {
                        let span = self.span(e);
                        self.release(old, ReleaseKind::Reassigned, span);
                    }
                    self.st.bind(b, g);
                    if let Some(frame) = self.binding_frame(b) {
                        self.attach(frame, g);
                    }
                    self.forget_loop_variant_key(b, g);
                    if !self.st.unreachable && !self.st.live.contains(&g) {
                        self.st.live.push(g);
                    }
                }
            }
        }
    }

    /// A guard kept across iterations in `holder`, declared before the loop, but locked through
    /// a local of the iteration (`held = Some(n.lock())` in `while let Some(n) = …`): in the
    /// next iteration the same name is another lock, so its key no longer identifies it.
    fn forget_loop_variant_key(&mut self, holder: BindingId, g: GuardId) {
        let Some(start) = self.loops.last().map(|l| l.start) else { return };
        if self.facts.binding(holder).span.start >= start {
            return;
        }
        let acq = self.out.guards[g].acq;
        let variant = match self.out.acquisitions[acq].key.as_ref().map(|k| &k.root) {
            Some(KeyRoot::Local(r)) => self.facts.binding(*r).span.start >= start,
            _ => false,
        };
        if variant {
            self.out.acquisitions[acq].key = None;
            self.out.acquisitions[acq].global = None;
        }
    }

    pub(super) fn binding_of(&self, ident: &syn::Ident) -> Option<BindingId> {
        let start = ident.span().byte_range().start as u32;
        self.use_binding.get(&start).copied()
    }
}

impl<'a> Visit<'a> for Pass<'_, 'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        self.expr(e);
    }

    fn visit_block(&mut self, b: &'a syn::Block) {
        self.block(b, false);
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}
