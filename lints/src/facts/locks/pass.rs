//! The lock pass: one walk over the body of each function that may lock, in evaluation order,
//! following the guards alive at each point.
//!
//! [`collect`] runs it over the functions [`super::calls::reaching`] picks (guard-returning
//! wrappers first, so that calls of them elsewhere are acquisitions), then has the calls
//! resolved and summarised. It is separate from the records it fills ([`super::records`]) and
//! from lock identity ([`super::keys`]): this is the part that knows scopes, branches, loops
//! and closures.
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
use super::kinds::{AcqMode, LockFamily, LockKind, LockType};
use super::records::{
    Acquisition, Guard, GuardId, HeldAwait, HeldCall, HeldWait, Holder, LockFacts, OrderBranch, Release, ReleaseKind,
    SpawnRun, TempReason,
};
use crate::facts::flow::Node;
use crate::facts::walk::{expr_text, span_of, span_of_span};
use crate::facts::{BindingId, Facts, FnId};
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Stmt};

/// Runs the lock pass over every function of the file that has a lock site or calls one that
/// does (through any number of calls), then resolves the calls made and summarises what each
/// function may lock.
pub fn collect(file: FileId, facts: &Facts<'_>, edition: u16) -> LockFacts {
    let mut out = LockFacts::default();
    if facts.lock_sites.is_empty() {
        return out;
    }
    let mut locking: Vec<FnId> = facts.lock_sites.iter().filter_map(|s| s.fn_id).collect();
    locking.sort();
    locking.dedup();
    let fns = calls::reaching(facts, &locking);
    let sites: HashMap<*const Expr, usize> =
        facts.lock_sites.iter().enumerate().map(|(i, s)| (s.expr as *const Expr, i)).collect();
    let use_binding: HashMap<u32, BindingId> = facts.uses.iter().map(|u| (u.span.start, u.binding)).collect();
    let spawn_bodies: HashMap<*const Expr, SpawnEnd> =
        facts.spawns.iter().filter_map(|s| Some((s.body? as *const Expr, spawn_end(facts, s)))).collect();
    // Calls are recorded when they may reach a lock.
    let lock_fns: HashSet<&str> = fns.iter().map(|&f| facts.func(f).name.as_str()).collect();
    // Guard-returning functions first, so that calls of them elsewhere are acquisitions.
    let (first, rest): (Vec<FnId>, Vec<FnId>) =
        fns.iter().partition(|&&f| locking.binary_search(&f).is_ok() && calls::returns_guard(facts.func(f).sig));
    let mut next_context = 0;
    let mut wrappers = HashMap::new();
    for (phase, list) in [first, rest].into_iter().enumerate() {
        if phase == 1 {
            wrappers = calls::find_wrappers(&out, facts, &fns);
        }
        for f in list {
            let func = facts.func(f);
            let mut pass = Pass {
                file,
                facts,
                edition,
                sites: &sites,
                use_binding: &use_binding,
                spawn_bodies: &spawn_bodies,
                lock_fns: &lock_fns,
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
            };
            pass.out.fn_contexts.insert(f, next_context);
            pass.anc.push(Node::FnBody);
            pass.block(func.body, true);
            next_context = pass.next_context;
        }
    }
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

/// What becomes of a guard value at the point it is produced or used.
#[derive(Clone, Copy, Debug)]
enum Plan<'a> {
    Bind(BindingId),
    Assign(&'a Expr, BindingId),
    Temp(TempReason),
    Extended,
    MovedInto(&'a Expr, ReleaseKind),
    Discard,
    Escapes,
    Nothing,
}

impl Plan<'_> {
    /// What a use of an existing guard does with it moves the guard out of its binding.
    fn moves_value(&self) -> bool {
        matches!(self, Plan::MovedInto(..) | Plan::Bind(_) | Plan::Assign(..) | Plan::Discard | Plan::Escapes)
    }
}

struct Climb<'a> {
    plan: Plan<'a>,
    /// The first `.await` the value passed through (an async lock's acquisition completes there).
    awaited: Option<&'a Expr>,
    /// It went through `.unwrap()`, `.expect()`, `?` or a `let Ok(g)` pattern.
    unwrapped: bool,
    /// An existing guard went through a condvar wait and came back as a new value.
    rewrapped: bool,
}

enum After {
    Release(GuardId, ReleaseKind, Span),
    Activate(GuardId),
    Install(BindingId, GuardId),
}

const MAX_DEPTH: usize = 200;

pub(super) struct Pass<'p, 'a> {
    file: FileId,
    pub(super) facts: &'p Facts<'a>,
    edition: u16,
    sites: &'p HashMap<*const Expr, usize>,
    use_binding: &'p HashMap<u32, BindingId>,
    /// The closures and async blocks handed to a spawn (see [`crate::facts::Spawn::body`]), with
    /// where each spawn is known to end.
    spawn_bodies: &'p HashMap<*const Expr, SpawnEnd>,
    /// The end of each nested body around the current point (a scoped spawn ends with its
    /// scope's closure).
    body_ends: Vec<u32>,
    /// Closure parameters that are a lock: `lock` in `LOCAL.with(|lock| …)`.
    pub(super) param_keys: HashMap<BindingId, LockKey>,
    lock_fns: &'p HashSet<&'p str>,
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

/// A call that may run a function of this file (see [`Pass::call_shape`]).
struct CallShape<'a> {
    name: String,
    is_method: bool,
    /// The receiver's lock path, when it is not `self`.
    receiver: Option<LockKey>,
    receiver_ty: Option<String>,
    receiver_text: String,
    args: Vec<&'a Expr>,
}

impl CallShape<'_> {
    /// The call as written, short: `self.flush()`, `read_block(…)`.
    fn text(&self) -> String {
        let dots = if self.args.is_empty() { "" } else { "…" };
        if self.is_method {
            format!("{}.{}({dots})", self.receiver_text, self.name)
        } else {
            format!("{}({dots})", self.name)
        }
    }
}

pub(super) fn strip_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

/// `a < b`, `a.id() >= b.id()`: a test that orders two values.
fn is_ordering_test(e: &Expr) -> bool {
    match strip_parens(e) {
        Expr::Binary(b) => {
            matches!(b.op, syn::BinOp::Lt(_) | syn::BinOp::Le(_) | syn::BinOp::Gt(_) | syn::BinOp::Ge(_))
        }
        _ => false,
    }
}

/// `a.cmp(&b)`, `a.partial_cmp(&b)`, `Ord::cmp(&a, &b)`: a `match` on it orders two values.
fn is_ordering_call(e: &Expr) -> bool {
    match strip_parens(e) {
        Expr::MethodCall(m) => matches!(m.method.to_string().as_str(), "cmp" | "partial_cmp"),
        Expr::Call(c) => call_path_text(c).is_some_and(|t| t.ends_with("::cmp") || t.ends_with("::partial_cmp")),
        _ => false,
    }
}

fn cond_has_let(e: &Expr) -> bool {
    match e {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => cond_has_let(&b.left) || cond_has_let(&b.right),
        Expr::Paren(p) => cond_has_let(&p.expr),
        _ => false,
    }
}

/// Methods whose closure arguments run on the spot, while the caller's guards are held.
fn runs_closure_inline(method: &str) -> bool {
    matches!(
        method,
        "map"
            | "for_each"
            | "try_for_each"
            | "filter"
            | "filter_map"
            | "flat_map"
            | "any"
            | "all"
            | "find"
            | "find_map"
            | "position"
            | "fold"
            | "try_fold"
            | "take_while"
            | "skip_while"
            | "inspect"
            | "map_while"
            | "retain"
            | "sort_by"
            | "sort_by_key"
            | "sort_unstable_by"
            | "sort_unstable_by_key"
            | "max_by_key"
            | "min_by_key"
            | "max_by"
            | "min_by"
            | "and_then"
            | "or_else"
            | "unwrap_or_else"
            | "map_or"
            | "map_or_else"
            | "ok_or_else"
            | "get_or_insert_with"
            | "or_insert_with"
            | "or_insert_with_key"
            | "then"
            | "is_some_and"
            | "is_ok_and"
            | "is_none_or"
            | "map_err"
            | "unwrap_or_default"
    )
}

/// Methods that pass a lock result's guard on (`m.lock().unwrap()`).
fn is_result_passthrough(method: &str) -> bool {
    matches!(method, "unwrap" | "expect" | "unwrap_or_else" | "ok" | "map_err" | "context" | "with_context")
}

fn is_condvar_wait(method: &str) -> bool {
    matches!(method, "wait" | "wait_while" | "wait_timeout" | "wait_timeout_while" | "wait_timeout_ms")
}

fn is_diverging_macro(name: &str) -> bool {
    matches!(name, "panic" | "unreachable" | "todo" | "unimplemented")
}

fn macro_last(mac: &syn::Macro) -> String {
    mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

pub(super) fn call_path_text(c: &syn::ExprCall) -> Option<String> {
    match strip_parens(&c.func) {
        Expr::Path(p) if p.qself.is_none() => Some(crate::facts::walk::path_text(&p.path)),
        _ => None,
    }
}

fn is_diverging_call(c: &syn::ExprCall) -> bool {
    let Some(text) = call_path_text(c) else { return false };
    if let Some(name) = text.strip_prefix("__macro_") {
        return is_diverging_macro(name);
    }
    matches!(text.as_str(), "std::process::exit" | "process::exit" | "std::process::abort" | "process::abort")
}

/// A lock result or guard passed through a call that hands it back: `Some(…)`, `Ok(…)`,
/// `Box::new(…)`, `MutexGuard::map(g, …)`.
fn call_passes_value(text: &str) -> bool {
    if matches!(text, "Some" | "Ok" | "Err" | "Box::new" | "std::boxed::Box::new") {
        return true;
    }
    let mut segs = text.rsplit("::");
    let last = segs.next().unwrap_or("");
    let owner = segs.next().unwrap_or("");
    owner.ends_with("Guard") && matches!(last, "map" | "try_map" | "filter_map" | "map_split")
}

/// `Box::pin(x)`, `Pin::new(x)`, `pin!(x)`: `x` is a future to poll, not a value to use.
fn pins_future(e: &Expr) -> bool {
    let Expr::Call(c) = e else { return false };
    matches!(
        call_path_text(c).as_deref(),
        Some("Box::pin" | "std::boxed::Box::pin" | "Pin::new" | "std::pin::Pin::new" | "__macro_pin")
    )
}

impl<'p, 'a> Pass<'p, 'a> {
    fn span(&self, node: &dyn syn::spanned::Spanned) -> Span {
        span_of(self.file, node)
    }

    /// The last character of a node, where a statement or arm ends.
    fn end_of(&self, node: &dyn syn::spanned::Spanned) -> Span {
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

    fn block(&mut self, b: &'a syn::Block, body: bool) {
        let close = span_of_span(self.file, b.brace_token.span.close());
        self.anc.push(Node::Block(b));
        self.push_frame(FrameKind::Block, body, true, close, Some(close.start));
        let id = self.frames.last().and_then(|f| f.block).unwrap_or(0);
        let n = b.stmts.len();
        for (i, s) in b.stmts.iter().enumerate() {
            if self.st.unreachable {
                break;
            }
            self.stmt(s, i + 1 == n, id, body);
        }
        self.pop_frame();
        self.anc.pop();
    }

    /// A block that is the body of a branch, loop, arm or closure: its temporaries end with it.
    fn body_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Block(b) if b.label.is_none() => {
                self.anc.push(Node::Expr(e));
                self.block(&b.block, true);
                self.apply_after(e);
                self.anc.pop();
            }
            other => self.expr(other),
        }
    }

    fn stmt(&mut self, s: &'a Stmt, is_tail: bool, block: u32, block_is_body: bool) {
        // A `#[cfg(…)]` statement may not exist in the build (often it has a `#[cfg(not(…))]`
        // twin): what it does is only a possibility, joined with the state before it.
        if stmt_is_cfg(s) {
            let before = self.st.clone();
            self.stmt_inner(s, is_tail, block, block_is_body);
            let after = std::mem::take(&mut self.st);
            self.st = join(before, after);
        } else {
            self.stmt_inner(s, is_tail, block, block_is_body);
        }
    }

    fn stmt_inner(&mut self, s: &'a Stmt, is_tail: bool, block: u32, block_is_body: bool) {
        self.anc.push(Node::Stmt(s));
        self.stmts.push((block, self.span(s)));
        match s {
            Stmt::Local(l) => {
                self.anc.push(Node::Local(l));
                let end = span_of_span(self.file, l.semi_token.span);
                self.push_frame(FrameKind::Stmt, true, false, end, None);
                if let Some(init) = &l.init {
                    if let Some((_, diverge)) = &init.diverge {
                        let init_end = self.end_of(&init.expr);
                        self.push_frame(FrameKind::Stmt, true, false, init_end, None);
                        self.expr(&init.expr);
                        self.pop_frame();
                        let saved = self.st.clone();
                        self.body_expr(diverge);
                        self.st = saved;
                    } else {
                        self.expr(&init.expr);
                    }
                }
                self.pop_frame();
                self.anc.pop();
            }
            Stmt::Expr(e, semi) => {
                let boundary = semi.is_some() || !is_tail || self.edition >= 2024 || block_is_body;
                let end = match semi {
                    Some(s) => span_of_span(self.file, s.span),
                    None => self.end_of(e),
                };
                self.push_frame(FrameKind::Stmt, boundary, false, end, None);
                self.expr(e);
                self.pop_frame();
            }
            Stmt::Macro(m) => {
                if is_diverging_macro(&macro_last(&m.mac)) {
                    self.st.unreachable = true;
                }
            }
            Stmt::Item(_) => {}
        }
        self.stmts.pop();
        self.anc.pop();
    }

    fn expr(&mut self, e: &'a Expr) {
        if self.depth > MAX_DEPTH || self.st.unreachable {
            return;
        }
        self.depth += 1;
        self.anc.push(Node::Expr(e));
        match e {
            Expr::MethodCall(m) => {
                self.expr(&m.receiver);
                let local_key = self.thread_local_with(m);
                let inline = runs_closure_inline(&m.method.to_string()) || local_key.is_some();
                // Taken before the arguments run: passing the guard may release it.
                let wait = crate::facts::condvars::wait_form(&m.method.to_string(), m.args.len())
                    .map(|_| self.waited_guard(m));
                for a in &m.args {
                    match a {
                        Expr::Closure(c) if inline => {
                            if let (Some(key), Some(Pat::Ident(p))) = (&local_key, c.inputs.first()) {
                                if let Some(b) = self.facts.binding_at(span_of_span(self.file, p.ident.span())) {
                                    self.param_keys.insert(b, key.clone());
                                }
                            }
                            self.inline_closure(a, c)
                        }
                        _ => self.expr(a),
                    }
                }
                if let Some((mut passed, fresh)) = wait {
                    if let Some(site) = fresh {
                        passed = self.out.acquisitions.iter().rev().find(|a| a.site == site).and_then(|a| a.guard);
                    }
                    if !self.st.live.is_empty() && !self.st.unreachable {
                        let span = self.span(e);
                        let passed_fresh = fresh.is_some();
                        self.out.waits.push(HeldWait { span, held: self.st.live.clone(), passed, passed_fresh });
                    }
                }
                if let Some(&site) = self.sites.get(&(e as *const Expr)) {
                    self.held_call(e);
                    self.acquire(e, site);
                } else if !self.wrapper_call(e) {
                    self.held_call(e);
                }
            }
            Expr::Call(c) => {
                match strip_parens(&c.func) {
                    Expr::Closure(cl) => {
                        let func: &'a Expr = strip_parens(&c.func);
                        self.inline_closure(func, cl);
                    }
                    Expr::Path(_) => {}
                    other => self.expr(other),
                }
                for a in &c.args {
                    self.expr(a);
                }
                if !self.wrapper_call(e) {
                    self.held_call(e);
                }
                if is_diverging_call(c) {
                    self.st.unreachable = true;
                }
            }
            Expr::Await(a) => {
                self.expr(&a.base);
                self.on_await(a);
            }
            Expr::Path(p) => self.path_use(e, p),
            Expr::Assign(a) => {
                // The assigned value is evaluated first, then the place.
                self.expr(&a.right);
                if !matches!(strip_parens(&a.left), Expr::Path(p) if p.path.get_ident().is_some()) {
                    self.expr(&a.left);
                } else if let Expr::Path(p) = strip_parens(&a.left) {
                    // `g = other`: the old guard of `g` is dropped.
                    if let Some(b) = p.path.get_ident().and_then(|i| self.binding_of(i)) {
                        *self.generations.entry(b).or_default() += 1;
                        let scheduled = self
                            .after
                            .get(&(e as *const Expr))
                            .is_some_and(|l| l.iter().any(|w| matches!(w, After::Install(x, _) if *x == b)));
                        if !scheduled {
                            if let Some(old) = self.st.unbind(b) {
                                let span = self.span(e);
                                self.release(old, ReleaseKind::Reassigned, span);
                            }
                        }
                    }
                }
            }
            Expr::Binary(b) => {
                use syn::BinOp::*;
                match b.op {
                    And(_) | Or(_) => {
                        self.expr(&b.left);
                        let saved = self.st.clone();
                        let end = self.end_of(&*b.right);
                        self.push_frame(FrameKind::Cond, true, false, end, None);
                        self.expr(&b.right);
                        self.pop_frame();
                        let after = std::mem::take(&mut self.st);
                        self.st = join(saved, after);
                    }
                    AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_) | BitXorAssign(_)
                    | BitAndAssign(_) | BitOrAssign(_) | ShlAssign(_) | ShrAssign(_) => {
                        self.expr(&b.right);
                        self.expr(&b.left);
                    }
                    _ => {
                        self.expr(&b.left);
                        self.expr(&b.right);
                    }
                }
            }
            Expr::If(i) => self.if_expr(i),
            Expr::Match(m) => self.match_expr(e, m),
            Expr::Loop(l) => {
                self.loops.push(LoopCx {
                    label: l.label.as_ref().map(|l| l.name.ident.to_string()),
                    frame_depth: self.frames.len(),
                    breaks: None,
                    start: self.span(e).start,
                });
                self.block(&l.body, true);
                let cx = self.loops.pop();
                self.st = cx.and_then(|c| c.breaks).unwrap_or_else(unreachable_state);
            }
            Expr::While(w) => self.while_expr(e, w),
            Expr::ForLoop(f) => {
                self.expr(&f.expr);
                self.loops.push(LoopCx {
                    label: f.label.as_ref().map(|l| l.name.ident.to_string()),
                    frame_depth: self.frames.len(),
                    breaks: None,
                    start: self.span(e).start,
                });
                let base = self.st.clone();
                self.block(&f.body, true);
                let end = std::mem::take(&mut self.st);
                let cx = self.loops.pop();
                let joined = join(base, end);
                self.st = join_opt(cx.and_then(|c| c.breaks), joined);
            }
            Expr::Block(b) => self.block(&b.block, false),
            Expr::Unsafe(u) => self.block(&u.block, false),
            Expr::Const(_) => {}
            Expr::Closure(c) => {
                let body: &'a Expr = &c.body;
                let end = self.end_of(body);
                let spawned = self.spawn_run(e);
                self.nested_body(c.asyncness.is_some(), c.capture.is_some(), spawned, end, |p| p.body_expr(body));
            }
            Expr::Async(a) => {
                let close = span_of_span(self.file, a.block.brace_token.span.close());
                let spawned = self.spawn_run(e);
                self.nested_body(true, a.capture.is_some(), spawned, close, |p| p.block(&a.block, true));
            }
            Expr::Return(r) => {
                if let Some(x) = &r.expr {
                    self.expr(x);
                }
                self.st.unreachable = true;
            }
            Expr::Break(b) => {
                if let Some(x) = &b.expr {
                    self.expr(x);
                }
                self.record_break(b.label.as_ref().map(|l| l.ident.to_string()));
                self.st.unreachable = true;
            }
            Expr::Continue(_) => self.st.unreachable = true,
            Expr::Macro(m) => {
                if is_diverging_macro(&macro_last(&m.mac)) {
                    self.st.unreachable = true;
                }
            }
            Expr::Let(l) => self.expr(&l.expr),
            _ => visit::visit_expr(self, e),
        }
        self.apply_after(e);
        self.anc.pop();
        self.depth -= 1;
    }

    fn if_expr(&mut self, i: &'a syn::ExprIf) {
        let then_close = span_of_span(self.file, i.then_branch.brace_token.span.close());
        let else_base;
        if cond_has_let(&i.cond) {
            // The scrutinee's temporaries: through `else` before 2024, `then` only from 2024.
            // A `try_lock()` guard only exists in `then`, in every edition.
            let boundary = self.edition >= 2024;
            self.push_frame(FrameKind::IfLet, boundary, false, then_close, None);
            self.expr(&i.cond);
            let mut base = self.st.clone();
            self.block(&i.then_branch, true);
            let then_only = self.pop_frame();
            base.live.retain(|g| !then_only.contains(g));
            else_base = base;
        } else {
            let end = self.end_of(&*i.cond);
            self.push_frame(FrameKind::Cond, true, false, end, None);
            self.expr(&i.cond);
            self.pop_frame();
            else_base = self.st.clone();
            let test = is_ordering_test(&i.cond).then(|| self.span(i).start);
            self.in_branch(test, 0, |p| p.block(&i.then_branch, true));
        }
        let then_state = std::mem::replace(&mut self.st, else_base);
        if let Some((_, els)) = &i.else_branch {
            let test = (!cond_has_let(&i.cond) && is_ordering_test(&i.cond)).then(|| self.span(i).start);
            self.in_branch(test, 1, |p| p.body_expr(els));
        }
        let else_state = std::mem::take(&mut self.st);
        self.st = join(then_state, else_state);
    }

    /// Runs `f` in branch `branch` of the ordering test starting at `test`, if it is one.
    fn in_branch(&mut self, test: Option<u32>, branch: u32, f: impl FnOnce(&mut Self)) {
        let Some(test) = test else { return f(self) };
        self.order.push(OrderBranch { test, branch });
        f(self);
        self.order.pop();
    }

    fn match_expr(&mut self, e: &'a Expr, m: &'a syn::ExprMatch) {
        self.expr(&m.expr);
        let try_guard = match self.try_scrutinee.take() {
            Some((ptr, g)) if std::ptr::eq(ptr, e) => Some(g),
            other => {
                self.try_scrutinee = other;
                None
            }
        };
        let base = self.st.clone();
        let mut out: Option<State> = None;
        for (index, arm) in m.arms.iter().enumerate() {
            self.st = base.clone();
            if let Some(g) = try_guard {
                if arm_is_failure(&arm.pat) {
                    self.st.live.retain(|x| *x != g);
                }
            }
            let end = self.end_of(&*arm.body);
            self.push_frame(FrameKind::Arm, true, true, end, None);
            if let Some((_, guard)) = &arm.guard {
                let gend = self.end_of(&**guard);
                self.push_frame(FrameKind::Cond, true, false, gend, None);
                self.expr(guard);
                self.pop_frame();
            }
            let test = is_ordering_call(&m.expr).then(|| self.span(e).start);
            self.in_branch(test, index as u32, |p| p.body_expr(&arm.body));
            self.pop_frame();
            let st = std::mem::take(&mut self.st);
            out = Some(join_opt(out, st));
        }
        self.st = out.unwrap_or_else(unreachable_state);
    }

    fn while_expr(&mut self, e: &'a Expr, w: &'a syn::ExprWhile) {
        let is_let = cond_has_let(&w.cond);
        self.loops.push(LoopCx {
            label: w.label.as_ref().map(|l| l.name.ident.to_string()),
            frame_depth: self.frames.len(),
            breaks: None,
            start: self.span(e).start,
        });
        let close = span_of_span(self.file, w.body.brace_token.span.close());
        if is_let {
            self.push_frame(FrameKind::WhileLet, true, false, close, None);
            self.expr(&w.cond);
        } else {
            let end = self.end_of(&*w.cond);
            self.push_frame(FrameKind::Cond, true, false, end, None);
            self.expr(&w.cond);
            self.pop_frame();
        }
        let base = self.st.clone();
        self.block(&w.body, true);
        let end = std::mem::take(&mut self.st);
        self.st = join(base, end);
        let per_iteration = if is_let { self.pop_frame() } else { Vec::new() };
        let cx = self.loops.pop();
        let mut st = join_opt(cx.and_then(|c| c.breaks), std::mem::take(&mut self.st));
        st.live.retain(|g| !per_iteration.contains(g));
        self.st = st;
    }

    fn record_break(&mut self, label: Option<String>) {
        if self.st.unreachable {
            return;
        }
        let target = match &label {
            Some(l) => self.loops.iter().rposition(|c| c.label.as_deref() == Some(l.as_str())),
            None => self.loops.len().checked_sub(1),
        };
        let Some(t) = target else { return };
        let depth = self.loops[t].frame_depth;
        let mut st = self.st.clone();
        for f in &self.frames[depth.min(self.frames.len())..] {
            st.live.retain(|g| !f.guards.contains(g));
        }
        let prev = self.loops[t].breaks.take();
        self.loops[t].breaks = Some(join_opt(prev, st));
    }

    /// A closure that runs on the spot: it sees the guards held around it and releases its own.
    fn inline_closure(&mut self, e: &'a Expr, c: &'a syn::ExprClosure) {
        if c.asyncness.is_some() {
            self.expr(e);
            return;
        }
        self.anc.push(Node::Expr(e));
        let saved = self.st.clone();
        let end = self.end_of(&*c.body);
        self.push_frame(FrameKind::Block, true, true, end, None);
        self.body_expr(&c.body);
        self.pop_frame();
        self.st = saved;
        self.anc.pop();
    }

    /// A closure or async block that runs later or elsewhere: a body of its own.
    fn nested_body(
        &mut self,
        is_async: bool,
        is_move: bool,
        spawned: Option<SpawnRun>,
        end: Span,
        f: impl FnOnce(&mut Self),
    ) {
        let saved_st = std::mem::take(&mut self.st);
        // Outer locals still name their guards in here (to see them captured).
        self.st.bound = saved_st.bound.clone();
        let saved_frames = std::mem::take(&mut self.frames);
        let saved_loops = std::mem::take(&mut self.loops);
        let saved_stmts = std::mem::take(&mut self.stmts);
        let saved = (self.context, self.is_async, self.is_move, self.depth);
        self.context = self.next_context;
        self.next_context += 1;
        if let Some(run) = spawned {
            self.out.spawned.insert(self.context, run);
        }
        self.body_ends.push(end.end);
        self.is_async = is_async;
        self.is_move = is_move;
        self.push_frame(FrameKind::Block, true, true, end, None);
        f(self);
        while !self.frames.is_empty() {
            self.pop_frame();
        }
        self.st = saved_st;
        self.frames = saved_frames;
        self.loops = saved_loops;
        self.stmts = saved_stmts;
        (self.context, self.is_async, self.is_move, self.depth) = saved;
        self.body_ends.pop();
        // Outer guards the body moved in are gone from here.
        let mine: Vec<GuardId> = {
            let context = self.context;
            let guards = &self.out.guards;
            let (mine, rest): (Vec<GuardId>, Vec<GuardId>) =
                self.captured.drain(..).partition(|g| guards[*g].context == context);
            self.captured = rest;
            mine
        };
        for g in mine {
            let span = end;
            self.release(g, ReleaseKind::Moved, span);
        }
    }

    /// Where the body `e` runs beside this function, when `e` is handed to a spawn.
    fn spawn_run(&self, e: &Expr) -> Option<SpawnRun> {
        let end = self.spawn_bodies.get(&(e as *const Expr))?;
        let start = self.span(e).start;
        let end = match *end {
            SpawnEnd::At(end) => end,
            SpawnEnd::Scope => self.body_ends.last().copied().unwrap_or(u32::MAX),
            SpawnEnd::Unseen => u32::MAX,
        };
        Some(SpawnRun { start, end })
    }

    pub(super) fn binding_of(&self, ident: &syn::Ident) -> Option<BindingId> {
        let start = ident.span().byte_range().start as u32;
        self.use_binding.get(&start).copied()
    }

    fn path_use(&mut self, e: &'a Expr, p: &'a syn::ExprPath) {
        let Some(ident) = p.path.get_ident() else { return };
        let Some(b) = self.binding_of(ident) else { return };
        let Some(g) = self.st.guard_of(b) else { return };
        if self.out.guards[g].context != self.context {
            // A closure captures a guard by value when it is `move` or uses it by value
            // (`|| drop(g)`): the guard then goes with the closure.
            if self.is_move || self.climb(e, true).plan.moves_value() {
                self.captured.push(g);
            }
            return;
        }
        if !self.st.live.contains(&g) {
            return;
        }
        let climb = self.climb(e, true);
        match climb.plan {
            Plan::Temp(_) | Plan::Extended if climb.rewrapped => {
                let span = self.span(e);
                self.release(g, ReleaseKind::Moved, span);
            }
            Plan::Nothing | Plan::Temp(_) | Plan::Extended => {}
            Plan::MovedInto(call, kind) => {
                let span = self.span(call);
                self.schedule(call, After::Release(g, kind, span));
            }
            Plan::Discard => {
                let span = self.span(e);
                self.release(g, ReleaseKind::Drop, span);
            }
            Plan::Bind(nb) => {
                self.st.unbind(b);
                self.st.bind(nb, g);
                let name = self.facts.binding(nb).name.clone();
                self.out.guards[g].holder = Holder::Binding { binding: nb, name };
                if let Some(frame) = self.binding_frame(nb) {
                    self.attach(frame, g);
                }
            }
            Plan::Assign(assign, nb) => {
                self.st.unbind(b);
                let name = self.facts.binding(nb).name.clone();
                self.out.guards[g].holder = Holder::Binding { binding: nb, name };
                self.schedule(assign, After::Install(nb, g));
                // Installed after the assignment; keep it live meanwhile.
            }
            Plan::Escapes => {
                let span = self.span(e);
                self.release(g, ReleaseKind::Moved, span);
                self.st.unbind(b);
            }
        }
    }

    /// Follows a guard value (a fresh acquisition, or a use of a guard binding when
    /// `existing`) up through the expressions that pass it on, to what holds it.
    fn climb(&self, start: &'a Expr, existing: bool) -> Climb<'a> {
        let mut out = Climb { plan: Plan::Escapes, awaited: None, unwrapped: false, rewrapped: false };
        let mut existing = existing;
        let mut cur: &'a Expr = start;
        let mut i = self.anc.len();
        if matches!(self.anc.last(), Some(Node::Expr(x)) if std::ptr::eq(*x, start)) {
            i -= 1;
        }
        let temp = |existing: bool, reason: TempReason| if existing { Plan::Nothing } else { Plan::Temp(reason) };
        // Shadowed: the loop may turn an existing guard into a fresh value (a condvar wait).
        while i > 0 {
            i -= 1;
            match self.anc[i] {
                Node::Expr(parent) => {
                    let same = |x: &Expr| std::ptr::eq(x, cur);
                    match parent {
                        Expr::Paren(_) | Expr::Group(_) => {}
                        Expr::Try(_) => {
                            if existing {
                                out.plan = Plan::Nothing;
                                return out;
                            }
                            out.unwrapped = true;
                        }
                        Expr::Await(_) => {
                            if existing {
                                out.plan = Plan::Escapes;
                                return out;
                            }
                            out.awaited.get_or_insert(parent);
                        }
                        Expr::MethodCall(m) => {
                            let name = m.method.to_string();
                            if same(&m.receiver) {
                                if !existing && is_result_passthrough(&name) {
                                    out.unwrapped = true;
                                } else {
                                    out.plan = temp(existing, TempReason::Statement);
                                    return out;
                                }
                            } else if is_condvar_wait(&name) && m.args.first().is_some_and(&same) {
                                out.unwrapped = false;
                                out.rewrapped |= existing;
                                existing = false;
                            } else {
                                out.plan = Plan::MovedInto(parent, ReleaseKind::Moved);
                                return out;
                            }
                        }
                        Expr::Call(c) => {
                            if same(&c.func) {
                                out.plan = Plan::Nothing;
                                return out;
                            }
                            let text = call_path_text(c).unwrap_or_default();
                            match text.as_str() {
                                "drop" | "std::mem::drop" | "mem::drop" | "core::mem::drop" => {
                                    out.plan = Plan::MovedInto(parent, ReleaseKind::Drop);
                                    return out;
                                }
                                "std::mem::forget" | "mem::forget" | "forget" => {
                                    out.plan = Plan::Escapes;
                                    return out;
                                }
                                t if call_passes_value(t) => {}
                                t if t.starts_with("__macro_") => {
                                    // Macro arguments (`println!("{}", g)`) are borrowed.
                                    out.plan = temp(existing, TempReason::Statement);
                                    return out;
                                }
                                _ => {
                                    out.plan = Plan::MovedInto(parent, ReleaseKind::Moved);
                                    return out;
                                }
                            }
                        }
                        Expr::Field(_) | Expr::Index(_) => {
                            out.plan = if existing { Plan::Nothing } else { self.maybe_extended(i) };
                            return out;
                        }
                        Expr::Unary(u) => {
                            out.plan = if existing {
                                Plan::Nothing
                            } else if matches!(u.op, syn::UnOp::Deref(_)) {
                                self.maybe_extended(i)
                            } else {
                                Plan::Temp(TempReason::Statement)
                            };
                            return out;
                        }
                        Expr::Reference(_) => {
                            out.plan = if existing { Plan::Nothing } else { self.maybe_extended(i) };
                            return out;
                        }
                        Expr::Match(m) => {
                            if same(&m.expr) {
                                out.plan = temp(existing, TempReason::Match);
                                return out;
                            }
                        }
                        Expr::If(x) => {
                            if same(&x.cond) {
                                out.plan = temp(existing, TempReason::Condition);
                                return out;
                            }
                        }
                        Expr::While(x) => {
                            if same(&x.cond) {
                                out.plan = temp(existing, TempReason::Condition);
                            } else {
                                out.plan = Plan::Nothing;
                            }
                            return out;
                        }
                        Expr::Let(_) => {
                            let in_while = self.anc[..i].iter().rev().find_map(|n| match n {
                                Node::Expr(Expr::While(_)) => Some(true),
                                Node::Expr(Expr::If(_)) => Some(false),
                                _ => None,
                            });
                            let reason = if in_while == Some(true) { TempReason::WhileLet } else { TempReason::IfLet };
                            out.plan = temp(existing, reason);
                            return out;
                        }
                        Expr::ForLoop(f) => {
                            out.plan = if same(&f.expr) { temp(existing, TempReason::ForIter) } else { Plan::Nothing };
                            return out;
                        }
                        Expr::Loop(_) | Expr::Const(_) => {
                            out.plan = Plan::Nothing;
                            return out;
                        }
                        Expr::Block(_) | Expr::Unsafe(_) => {}
                        Expr::Assign(a) => {
                            if !same(&a.right) {
                                out.plan = Plan::Nothing;
                                return out;
                            }
                            out.plan = match strip_parens(&a.left) {
                                Expr::Infer(_) => temp(existing, TempReason::Statement),
                                Expr::Path(p) => match p.path.get_ident() {
                                    Some(id) if id == "_" => temp(existing, TempReason::Statement),
                                    Some(id) => match self.binding_of(id) {
                                        Some(b) => Plan::Assign(parent, b),
                                        None => Plan::Escapes,
                                    },
                                    None => Plan::Escapes,
                                },
                                _ => Plan::Escapes,
                            };
                            return out;
                        }
                        Expr::Return(_)
                        | Expr::Break(_)
                        | Expr::Closure(_)
                        | Expr::Async(_)
                        | Expr::Struct(_)
                        | Expr::Tuple(_)
                        | Expr::Array(_)
                        | Expr::Yield(_) => {
                            out.plan = Plan::Escapes;
                            return out;
                        }
                        _ => {
                            out.plan = temp(existing, TempReason::Statement);
                            return out;
                        }
                    }
                    cur = parent;
                }
                Node::Stmt(s) => {
                    match s {
                        Stmt::Expr(_, None) => {
                            let is_tail = i > 0
                                && matches!(self.anc[i - 1], Node::Block(b) if b.stmts.last().is_some_and(|l| std::ptr::eq(l, s)));
                            if is_tail {
                                continue;
                            }
                            out.plan = if existing { Plan::Discard } else { Plan::Temp(TempReason::Statement) };
                        }
                        Stmt::Expr(_, Some(_)) => {
                            out.plan = if existing { Plan::Discard } else { Plan::Temp(TempReason::Statement) };
                        }
                        _ => out.plan = temp(existing, TempReason::Statement),
                    }
                    return out;
                }
                Node::Local(l) => {
                    let is_init = l.init.as_ref().is_some_and(|init| std::ptr::eq(&*init.expr, cur));
                    if !is_init {
                        out.plan = Plan::Nothing;
                        return out;
                    }
                    out.plan = match self.pattern_binding(&l.pat, &mut out.unwrapped) {
                        Some(b) => Plan::Bind(b),
                        None if pat_is_wild(&l.pat) => temp(existing, TempReason::Statement),
                        None => {
                            if existing {
                                Plan::Escapes
                            } else {
                                Plan::Temp(TempReason::Statement)
                            }
                        }
                    };
                    return out;
                }
                Node::Block(_) => {}
                Node::FnBody => {
                    out.plan = Plan::Escapes;
                    return out;
                }
            }
        }
        out
    }

    /// The binding a `let` pattern puts the whole value (or the `Ok`/`Some` payload) in.
    fn pattern_binding(&self, pat: &Pat, unwrapped: &mut bool) -> Option<BindingId> {
        match pat {
            Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => {
                self.facts.binding_at(span_of_span(self.file, p.ident.span()))
            }
            Pat::Type(t) => self.pattern_binding(&t.pat, unwrapped),
            Pat::TupleStruct(t) if t.elems.len() == 1 => {
                let last = t.path.segments.last()?.ident.to_string();
                if last == "Ok" || last == "Some" {
                    *unwrapped = true;
                    self.pattern_binding(&t.elems[0], unwrapped)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A guard temporary used as a place at `anc[i]`: extended to the block when the place is
    /// borrowed straight into a `let` (`let x = &m.lock()….field;`), else a temporary.
    fn maybe_extended(&self, mut i: usize) -> Plan<'a> {
        let mut borrowed = false;
        loop {
            match self.anc[i] {
                Node::Expr(Expr::Field(_) | Expr::Paren(_)) if !borrowed => {}
                Node::Expr(Expr::Unary(u)) if !borrowed && matches!(u.op, syn::UnOp::Deref(_)) => {}
                Node::Expr(Expr::Reference(_)) => borrowed = true,
                Node::Expr(Expr::Paren(_)) => {}
                Node::Local(_) if borrowed => return Plan::Extended,
                _ => return Plan::Temp(TempReason::Statement),
            }
            if i == 0 {
                return Plan::Temp(TempReason::Statement);
            }
            i -= 1;
        }
    }

    /// Why a temporary created at the current point lives as long as it does: the innermost
    /// construct between it and its statement that extends it.
    fn temp_reason(&self, climbed: TempReason) -> TempReason {
        if climbed != TempReason::Statement {
            return climbed;
        }
        let mut cur: Option<&Expr> = None;
        for n in self.anc.iter().rev() {
            match n {
                Node::Expr(e) => {
                    if let Some(c) = cur {
                        match e {
                            Expr::Match(m) if std::ptr::eq(&*m.expr, c) => return TempReason::Match,
                            Expr::Let(_) => {
                                let in_while = self.anc.iter().rev().find_map(|n| match n {
                                    Node::Expr(Expr::While(_)) => Some(true),
                                    Node::Expr(Expr::If(_)) => Some(false),
                                    _ => None,
                                });
                                return if in_while == Some(true) { TempReason::WhileLet } else { TempReason::IfLet };
                            }
                            Expr::ForLoop(f) if std::ptr::eq(&*f.expr, c) => return TempReason::ForIter,
                            Expr::If(x) if std::ptr::eq(&*x.cond, c) => return TempReason::Condition,
                            Expr::While(x) if std::ptr::eq(&*x.cond, c) => return TempReason::Condition,
                            Expr::Match(_) => return TempReason::Arm,
                            Expr::Block(_) | Expr::If(_) | Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                                return TempReason::Statement
                            }
                            _ => {}
                        }
                    }
                    cur = Some(e);
                }
                _ => return TempReason::Statement,
            }
        }
        TempReason::Statement
    }

    fn acquire(&mut self, e: &'a Expr, site_idx: usize) {
        let site = &self.facts.lock_sites[site_idx];
        let parent = self.anc.iter().rev().skip(1).find_map(|n| match n {
            Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
            Node::Expr(p) => Some(Some(*p)),
            _ => Some(None),
        });
        let parent = parent.flatten();
        let blocking_method = site.call.method.to_string().starts_with("blocking_");
        if site.ty.is_some_and(|t| t.family == LockFamily::Local) && parent.is_some_and(pins_future) {
            // `Box::pin(lock.write())` on a lock of this crate: a lock future polled by hand,
            // not a blocking acquisition.
            return;
        }
        let site_ty = site.ty.map(|mut t| {
            if t.family == LockFamily::Local {
                let awaited = matches!(parent, Some(Expr::Await(_)));
                t.family = if awaited { LockFamily::UnknownAsync } else { LockFamily::UnknownSync };
            }
            t
        });
        let (ty, type_known) = match site_ty {
            Some(t) => {
                if t.family.is_async() && !site.is_try && !blocking_method && !matches!(parent, Some(Expr::Await(_))) {
                    // A lock future that is not awaited here: not an acquisition.
                    return;
                }
                let fits = match t.kind {
                    LockKind::Mutex | LockKind::Reentrant => site.mode == AcqMode::Exclusive,
                    LockKind::RwLock => site.mode != AcqMode::Exclusive,
                };
                if !fits {
                    return;
                }
                (t, true)
            }
            None => {
                // `try_lock().unwrap()` is tokio's API too: no evidence of a blocking lock.
                if site.is_try {
                    return;
                }
                let kind = if site.mode == AcqMode::Exclusive { LockKind::Mutex } else { LockKind::RwLock };
                let family = match parent {
                    Some(Expr::MethodCall(m))
                        if matches!(m.method.to_string().as_str(), "unwrap" | "expect" | "unwrap_or_else")
                            && std::ptr::eq(&*m.receiver, e) =>
                    {
                        LockFamily::UnknownSync
                    }
                    Some(Expr::Await(_)) => LockFamily::UnknownAsync,
                    _ => return,
                };
                (LockType { family, kind, name: "" }, false)
            }
        };
        let receiver: &'a Expr = &site.call.receiver;
        let key = self.lock_key(receiver);
        let global = key.as_ref().and_then(|k| self.global_key(k));
        let lock_text = expr_text(receiver);
        let method = site.call.method.to_string();
        let call_text = format!("{lock_text}.{method}()");
        self.record(
            e,
            Acquisition {
                site: site_idx,
                fn_id: self.fn_id,
                context: self.context,
                span: self.span(e),
                lock_text,
                method,
                key,
                global,
                ty,
                type_known,
                mode: site.mode,
                is_try: site.is_try,
                held: self.st.live.clone(),
                guard: None,
                order: self.order.clone(),
                via: None,
                call_text,
            },
        );
    }

    /// A call of a guard-returning wrapper of this file (see [`calls::find_wrappers`]): an
    /// acquisition of the lock whose guard it returns, in the caller's terms. Whether it was.
    fn wrapper_call(&mut self, e: &'a Expr) -> bool {
        let Some(shape) = self.call_shape(e) else { return false };
        let Some(w) = self.wrappers.get(&shape.name) else { return false };
        if w.is_method != shape.is_method
            || (shape.receiver.is_some() && (shape.receiver_ty.is_none() || shape.receiver_ty != w.self_ty))
        {
            return false;
        }
        if shape.is_method
            && shape.receiver.is_none()
            && self.self_ty.is_some()
            && w.self_ty.is_some()
            && self.self_ty != w.self_ty
        {
            // `self.m()` runs a method of the caller's own type.
            return false;
        }
        let awaited = matches!(self.parent_expr(), Some(Expr::Await(_)));
        if w.is_async && !awaited {
            // A future that is not awaited here: it locks later, if ever.
            return true;
        }
        let inner = self.out.acquisitions[w.acq].clone();
        let Some(inner_key) = &inner.key else { return false };
        let keys: Vec<Option<LockKey>> = shape.args.iter().map(|a| self.lock_key(a)).collect();
        let globals: Vec<Option<String>> = keys.iter().map(|k| k.as_ref().and_then(|k| self.global_key(k))).collect();
        let params = calls::params_of(self.facts, w.fn_id);
        let args = calls::CallArgs {
            is_method: shape.is_method,
            receiver: shape.receiver.as_ref(),
            args: &keys,
            args_global: &globals,
        };
        let Some((key, global)) = calls::map_key(args, &params, inner_key, inner.global.as_ref()) else { return false };
        let global = match &inner_key.root {
            KeyRoot::Local(_) => self.global_key(&key),
            _ => global,
        };
        let lock_text = match (&inner_key.root, &shape.receiver) {
            (KeyRoot::SelfValue | KeyRoot::Static(_) | KeyRoot::ThreadLocal(_), None) => inner.lock_text.clone(),
            (KeyRoot::SelfValue, Some(_)) => format!("{}{}", shape.receiver_text, inner_key.path),
            (KeyRoot::Static(_) | KeyRoot::ThreadLocal(_), Some(_)) => inner.lock_text.clone(),
            (KeyRoot::Local(b), _) => {
                let pos = params.iter().position(|p| *p == Some(*b));
                match pos.and_then(|p| shape.args.get(p)) {
                    Some(a) => format!("{}{}", expr_text(a), inner_key.path),
                    None => return false,
                }
            }
        };
        let call_text = shape.text();
        self.record(
            e,
            Acquisition {
                site: inner.site,
                fn_id: self.fn_id,
                context: self.context,
                span: self.span(e),
                lock_text,
                method: shape.name.clone(),
                key: Some(key),
                global,
                ty: inner.ty,
                type_known: inner.type_known,
                mode: inner.mode,
                is_try: false,
                held: self.st.live.clone(),
                guard: None,
                order: self.order.clone(),
                via: Some(w.acq),
                call_text,
            },
        );
        true
    }

    /// The nearest enclosing expression, parentheses skipped.
    fn parent_expr(&self) -> Option<&'a Expr> {
        self.anc
            .iter()
            .rev()
            .skip(1)
            .find_map(|n| match n {
                Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
                Node::Expr(p) => Some(Some(*p)),
                _ => Some(None),
            })
            .flatten()
    }

    /// Records the acquisition `new` made by `e`, and the guard it produces, by what becomes of
    /// the value.
    fn record(&mut self, e: &'a Expr, new: Acquisition) {
        let acq = self.out.acquisitions.len();
        let is_try = new.is_try;
        let climb = self.climb(e, false);
        self.out.acquisitions.push(new);
        let g = self.out.guards.len();
        let new_guard = |holder: Holder, context: u32| Guard { acq, holder, context, release: None, block: None };
        let mut activate_now = true;
        match climb.plan {
            Plan::Escapes | Plan::Nothing => return,
            Plan::Temp(reason) => {
                let reason = self.temp_reason(reason);
                if is_try
                    && !climb.unwrapped
                    && !matches!(reason, TempReason::IfLet | TempReason::WhileLet | TempReason::Match)
                {
                    return;
                }
                self.out.guards.push(new_guard(Holder::Temporary(reason), self.context));
                let frame = if is_try && reason == TempReason::IfLet {
                    self.frames.iter().rposition(|f| f.kind == FrameKind::IfLet || f.boundary)
                } else {
                    self.frames.iter().rposition(|f| f.boundary)
                };
                if let Some(f) = frame {
                    self.attach(f, g);
                }
                if is_try && reason == TempReason::Match {
                    if let Some(m) = self.anc.iter().rev().find_map(|n| match n {
                        Node::Expr(x @ Expr::Match(_)) => Some(*x as *const Expr),
                        _ => None,
                    }) {
                        self.try_scrutinee = Some((m, g));
                    }
                }
            }
            Plan::Extended => {
                self.out.guards.push(new_guard(Holder::Temporary(TempReason::Extended), self.context));
                if let Some(f) = self.frames.iter().rposition(|f| f.locals) {
                    self.attach(f, g);
                }
            }
            Plan::Discard => {
                self.out.guards.push(new_guard(Holder::Temporary(TempReason::Statement), self.context));
                if let Some(f) = self.frames.iter().rposition(|f| f.boundary) {
                    self.attach(f, g);
                }
            }
            Plan::Bind(b) => {
                if is_try && !climb.unwrapped {
                    return;
                }
                let name = self.facts.binding(b).name.clone();
                self.out.guards.push(new_guard(Holder::Binding { binding: b, name }, self.context));
                self.st.bind(b, g);
                if let Some(f) = self.binding_frame(b) {
                    self.attach(f, g);
                }
            }
            Plan::Assign(assign, b) => {
                if is_try && !climb.unwrapped {
                    return;
                }
                let name = self.facts.binding(b).name.clone();
                self.out.guards.push(new_guard(Holder::Binding { binding: b, name }, self.context));
                self.schedule(assign, After::Install(b, g));
                activate_now = false;
            }
            Plan::MovedInto(call, kind) => {
                self.out.guards.push(new_guard(Holder::Temporary(TempReason::Statement), self.context));
                let span = self.span(call);
                self.schedule(call, After::Release(g, kind, span));
            }
        }
        self.out.acquisitions[acq].guard = Some(g);
        if !activate_now {
            return;
        }
        match climb.awaited {
            Some(aw) => self.schedule(aw, After::Activate(g)),
            None => self.st.live.push(g),
        }
    }

    /// The guard a condvar wait is given: a local holding one (`g`, `&mut g`), or a lock taken
    /// in the argument itself.
    fn waited_guard(&self, m: &'a syn::ExprMethodCall) -> (Option<GuardId>, Option<usize>) {
        let Some(mut arg) = m.args.first() else { return (None, None) };
        while let Expr::Reference(r) = strip_parens(arg) {
            arg = &r.expr;
        }
        let arg = strip_parens(arg);
        if let Expr::Path(p) = arg {
            let guard = p.path.get_ident().and_then(|i| self.binding_of(i)).and_then(|b| self.st.guard_of(b));
            return (guard, None);
        }
        let mut inner = arg;
        loop {
            if let Some(&site) = self.sites.get(&(inner as *const Expr)) {
                return (None, Some(site));
            }
            inner = match strip_parens(inner) {
                Expr::MethodCall(c) => &c.receiver,
                Expr::Try(t) => &t.expr,
                _ => return (None, None),
            };
        }
    }

    fn on_await(&mut self, a: &'a syn::ExprAwait) {
        if !self.is_async || self.st.live.is_empty() {
            return;
        }
        let span = span_of_span(self.file, a.await_token.span);
        self.out.awaits.push(HeldAwait { span, held: self.st.live.clone(), stmt: self.stmts.last().copied() });
    }

    /// The function a call names and how it passes its receiver, when the callee can be one of
    /// this file: `name(…)`, `self.name(…)`, or a method called on a path whose type the file
    /// shows (`self.peer.name(…)` with `peer: Peer`, `other.name(…)` with `other: &Self`).
    fn call_shape(&self, e: &'a Expr) -> Option<CallShape<'a>> {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = strip_parens(&c.func) else { return None };
                let id = p.path.get_ident()?;
                Some(CallShape {
                    name: id.to_string(),
                    is_method: false,
                    receiver: None,
                    receiver_ty: None,
                    receiver_text: String::new(),
                    args: c.args.iter().collect(),
                })
            }
            Expr::MethodCall(m) => {
                let is_self = matches!(strip_parens(&m.receiver), Expr::Path(p) if p.path.is_ident("self"));
                let (receiver, receiver_ty) = if is_self {
                    (None, None)
                } else {
                    let key = self.lock_key(&m.receiver)?;
                    let ty = self.type_of_key(&key)?;
                    (Some(key), Some(ty))
                };
                Some(CallShape {
                    name: m.method.to_string(),
                    is_method: true,
                    receiver,
                    receiver_ty,
                    receiver_text: if is_self { "self".to_string() } else { expr_text(&m.receiver) },
                    args: m.args.iter().collect(),
                })
            }
            _ => None,
        }
    }

    fn held_call(&mut self, e: &'a Expr) {
        if self.st.unreachable {
            return;
        }
        let Some(shape) = self.call_shape(e) else { return };
        if !self.lock_fns.contains(shape.name.as_str()) {
            return;
        }
        let text = shape.text();
        let CallShape { name, is_method, receiver, receiver_ty, args, .. } = shape;
        let keys: Vec<Option<LockKey>> = args.iter().map(|a| self.lock_key(a)).collect();
        // Guards moved into this call: released after it, by the scheduled release.
        let releasing: Vec<GuardId> = self
            .after
            .get(&(e as *const Expr))
            .map(|l| l.iter().filter_map(|w| if let After::Release(g, _, _) = w { Some(*g) } else { None }).collect())
            .unwrap_or_default();
        let moved = releasing
            .into_iter()
            .filter_map(|g| {
                let acq_span = self.out.acquisitions[self.out.guards[g].acq].span;
                let binding = match &self.out.guards[g].holder {
                    Holder::Binding { binding, .. } => Some(*binding),
                    Holder::Temporary(_) => None,
                };
                args.iter()
                    .position(|a| {
                        let s = self.span(*a);
                        let names_it = match strip_parens(a) {
                            Expr::Path(p) => {
                                p.path.get_ident().and_then(|i| self.binding_of(i)) == binding && binding.is_some()
                            }
                            _ => false,
                        };
                        names_it || (s.start <= acq_span.start && acq_span.end <= s.end)
                    })
                    .map(|pos| (g, pos))
            })
            .collect();
        let globals = keys.iter().map(|k| k.as_ref().and_then(|k| self.global_key(k))).collect();
        let awaited = self.anc.iter().rev().skip(1).find_map(|n| match n {
            Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
            Node::Expr(p) => Some(matches!(p, Expr::Await(_))),
            _ => Some(false),
        }) == Some(true);
        self.out.calls.push(HeldCall {
            span: self.span(e),
            text,
            name,
            is_method,
            receiver,
            receiver_ty,
            context: self.context,
            args: keys,
            args_global: globals,
            held: self.st.live.clone(),
            moved,
            fn_id: self.fn_id,
            callee: None,
            awaited,
            order: self.order.clone(),
        });
    }
}

fn has_cfg(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg"))
}

fn stmt_is_cfg(s: &Stmt) -> bool {
    match s {
        Stmt::Local(l) => has_cfg(&l.attrs),
        Stmt::Macro(m) => has_cfg(&m.attrs),
        Stmt::Item(_) => false,
        Stmt::Expr(e, _) => match e {
            Expr::Call(x) => has_cfg(&x.attrs),
            Expr::MethodCall(x) => has_cfg(&x.attrs),
            Expr::Assign(x) => has_cfg(&x.attrs),
            Expr::Block(x) => has_cfg(&x.attrs),
            Expr::If(x) => has_cfg(&x.attrs),
            Expr::Match(x) => has_cfg(&x.attrs),
            Expr::Macro(x) => has_cfg(&x.attrs),
            Expr::Unary(x) => has_cfg(&x.attrs),
            Expr::Binary(x) => has_cfg(&x.attrs),
            Expr::Await(x) => has_cfg(&x.attrs),
            Expr::ForLoop(x) => has_cfg(&x.attrs),
            Expr::While(x) => has_cfg(&x.attrs),
            Expr::Loop(x) => has_cfg(&x.attrs),
            Expr::Unsafe(x) => has_cfg(&x.attrs),
            _ => false,
        },
    }
}

fn pat_is_wild(p: &Pat) -> bool {
    match p {
        Pat::Wild(_) => true,
        Pat::Type(t) => pat_is_wild(&t.pat),
        _ => false,
    }
}

/// A match arm taken when a `try_lock()` failed: `Err(…)`, `None`, `_`.
fn arm_is_failure(p: &Pat) -> bool {
    match p {
        Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Err"),
        Pat::Ident(i) => i.ident == "None",
        Pat::Path(p) => p.path.is_ident("None"),
        Pat::Wild(_) => true,
        _ => false,
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
