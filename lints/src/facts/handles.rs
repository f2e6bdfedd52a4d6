//! What becomes of a spawn's handle, summarised from its [`Flow`] and the uses of the binding
//! that holds it.

use super::{BindingId, Facts, Flow, Spawn, SpawnId};
use crate::source::{FileId, Span};
use syn::Pat;

/// How a handle is let go without anyone able to wait for the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropKind {
    /// `spawn(…);` or `let _ = spawn(…);`.
    Discarded,
    /// `drop(handle)`.
    Drop,
    /// `std::mem::forget(handle)`.
    Forget,
    /// smol's `.detach()`.
    Detach,
    /// Bound to a name that is never read: dropped at the end of the scope.
    NeverRead,
    /// The spawner returns no handle at all (`rayon::spawn`).
    NoHandle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleFate {
    /// The handle is let go at `span` (the statement, the `drop` call, the binding…).
    Dropped { kind: DropKind, span: Span, binding: Option<BindingId> },
    /// Joined, awaited, aborted, returned, stored, passed on, or otherwise kept.
    Kept,
}

/// The handle's fate, as far as this function shows.
pub fn handle_fate(file: FileId, facts: &Facts<'_>, spawn: &Spawn<'_>) -> HandleFate {
    let span_of = |n: &dyn syn::spanned::Spanned| super::walk::span_of_dyn(file, n);
    if spawn.spawner.is_managed() {
        return HandleFate::Kept;
    }
    if spawn.spawner.is_fire_and_forget() {
        return HandleFate::Dropped { kind: DropKind::NoHandle, span: spawn.callee_span, binding: None };
    }
    match spawn.flow {
        Flow::Discarded => HandleFate::Dropped { kind: DropKind::Discarded, span: spawn.callee_span, binding: None },
        Flow::Dropped(e) => HandleFate::Dropped { kind: DropKind::Drop, span: span_of(e), binding: None },
        Flow::Forgotten(e) => HandleFate::Dropped { kind: DropKind::Forget, span: span_of(e), binding: None },
        Flow::Method(m) if m.method == "detach" => {
            HandleFate::Dropped { kind: DropKind::Detach, span: span_of(&m.method), binding: None }
        }
        Flow::Let(pat) => match single_name(pat) {
            Some(ident) => {
                let span = super::walk::span_of_span(file, ident.span());
                match facts.binding_at(span) {
                    Some(b) => binding_fate(file, facts, b),
                    None => HandleFate::Kept,
                }
            }
            None => HandleFate::Kept,
        },
        _ => HandleFate::Kept,
    }
}

fn single_name(pat: &Pat) -> Option<&syn::Ident> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(&p.ident),
        Pat::Type(t) => single_name(&t.pat),
        _ => None,
    }
}

/// The fate of a handle held by `binding`: dropped if it is never read, or if every read lets
/// it go at once; kept otherwise.
pub fn binding_fate(file: FileId, facts: &Facts<'_>, binding: BindingId) -> HandleFate {
    let b = facts.binding(binding);
    let mut dropped_at = None;
    for u in facts.uses_of(binding) {
        match u.flow {
            Flow::Dropped(e) | Flow::Forgotten(e) => {
                dropped_at.get_or_insert((super::walk::span_of(file, e), matches!(u.flow, Flow::Dropped(_))));
            }
            Flow::Method(m) if m.method == "detach" => {
                dropped_at.get_or_insert((super::walk::span_of(file, &m.method), false));
            }
            _ => return HandleFate::Kept,
        }
    }
    match dropped_at {
        Some((span, is_drop)) => HandleFate::Dropped {
            kind: if is_drop { DropKind::Drop } else { DropKind::Forget },
            span,
            binding: Some(binding),
        },
        None => HandleFate::Dropped { kind: DropKind::NeverRead, span: b.span, binding: Some(binding) },
    }
}

/// How a spawn's work can be cancelled through its handle, as far as the file shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancellation {
    /// `handle.abort()`, `abort_handle()`, async-std's `handle.cancel()`, or the handle wrapped
    /// in an abort-on-drop guard: at `span`.
    Visible(Span),
    /// The handle leaves the function (stored, returned, passed on, collected) and the file
    /// aborts something somewhere: it may well be this handle.
    Possible,
    /// Nothing in sight cancels it.
    None,
}

/// Methods that cancel a task through its handle (tokio's `abort`, async-std's `cancel`).
fn is_cancel_method(name: &str) -> bool {
    matches!(name, "abort" | "abort_handle" | "cancel")
}

/// Whether the spawn's handle is visibly aborted or cancelled. Only meaningful for task
/// handles: a std thread cannot be cancelled, and `abort()` does not stop `spawn_blocking`.
pub fn handle_cancellation(file: FileId, facts: &Facts<'_>, spawn: &Spawn<'_>) -> Cancellation {
    let span_of = |n: &dyn syn::spanned::Spanned| super::walk::span_of_dyn(file, n);
    let escapes = |flow: &Flow<'_>| {
        matches!(
            flow,
            Flow::Stored | Flow::Returned | Flow::PushedInto(_) | Flow::Argument(_) | Flow::Assigned(_) | Flow::Other
        )
    };
    let mut escaped = false;
    match spawn.flow {
        Flow::Method(m) if is_cancel_method(&m.method.to_string()) => return Cancellation::Visible(span_of(&m.method)),
        Flow::Argument(call) if is_abort_on_drop(call) => return Cancellation::Visible(span_of(call)),
        Flow::Let(pat) => {
            if let Some(b) = single_name(pat).and_then(|i| facts.binding_at(super::walk::span_of_span(file, i.span())))
            {
                for u in facts.uses_of(b) {
                    match u.flow {
                        Flow::Method(m) if is_cancel_method(&m.method.to_string()) => {
                            return Cancellation::Visible(span_of(&m.method))
                        }
                        Flow::Argument(call) if is_abort_on_drop(call) => return Cancellation::Visible(span_of(call)),
                        ref f if escapes(f) => escaped = true,
                        _ => {}
                    }
                }
            } else {
                escaped = true;
            }
        }
        ref f if escapes(f) => escaped = true,
        _ => {}
    }
    if escaped && facts.file_aborts() {
        Cancellation::Possible
    } else {
        Cancellation::None
    }
}

/// Whether the file aborts, cancels or shuts down anything, or wraps a handle to abort on drop.
pub(super) fn any_call_aborts(facts: &Facts<'_>) -> bool {
    facts.calls.iter().any(|c| match &c.callee {
        super::Callee::Method { name, .. } => matches!(name.as_str(), "abort" | "abort_all" | "cancel" | "shutdown"),
        super::Callee::Path { resolved, .. } => resolved.as_deref().is_some_and(|r| r.contains("AbortOnDrop")),
    })
}

/// `AbortOnDropHandle::new(handle)` and similar wrappers that abort the task when dropped.
fn is_abort_on_drop(call: &syn::Expr) -> bool {
    let func = match call {
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => super::walk::path_text(&p.path),
            _ => return false,
        },
        syn::Expr::MethodCall(m) => m.method.to_string(),
        _ => return false,
    };
    let lower = func.to_ascii_lowercase();
    lower.contains("abortondrop") || lower.contains("abort_on_drop")
}

/// The local binding a path expression reads (`handles` in `handles.push(…)`), through
/// parentheses.
pub fn binding_of_expr(facts: &Facts<'_>, expr: &syn::Expr) -> Option<BindingId> {
    facts.binding_of_expr(super::peel_parens(expr))
}

/// The binding a `let` pattern declares when it is a single name (`let h = …`, `let h: T = …`).
pub fn pat_binding(file: FileId, facts: &Facts<'_>, pat: &Pat) -> Option<BindingId> {
    let ident = single_name(pat)?;
    facts.binding_at(super::walk::span_of_span(file, ident.span()))
}

/// The binding that holds a spawn's own handle (`let h = spawn(…)`), not a collection of them.
pub fn spawn_binding(file: FileId, facts: &Facts<'_>, spawn: &Spawn<'_>) -> Option<BindingId> {
    match spawn.flow {
        Flow::Let(pat) if !spawn.per_element => pat_binding(file, facts, pat),
        _ => None,
    }
}

/// Spawners whose handle lets the work run on, detached, when it is dropped: the handles a
/// collection must join (std threads, tokio and async-std tasks). Scoped threads are joined by
/// their scope, `JoinSet`/`TaskTracker` manage their own, a smol `Task` cancels on drop, and
/// pools return no handle.
pub fn detaches_on_drop(spawner: super::Spawner) -> bool {
    use super::Spawner::*;
    matches!(spawner, StdThread | StdBuilder | TokioSpawn | TokioBlocking | TokioLocal | TokioHandle | AsyncStd)
}

/// A local collection that join handles are put into.
#[derive(Clone, Debug)]
pub struct HandleCollection {
    pub binding: BindingId,
    /// The spawns whose handles go into it (in source order).
    pub spawns: Vec<SpawnId>,
}

/// Local collections of join handles of spawners that [`detaches_on_drop`]: handles pushed
/// (`handles.push(spawn(…))`, also through a binding: `let h = spawn(…); handles.push(h)`),
/// extended (`handles.extend((0..n).map(|_| spawn(…)))`) or collected
/// (`let handles: Vec<_> = (0..n).map(|_| spawn(…)).collect()`).
pub fn handle_collections(file: FileId, facts: &Facts<'_>) -> Vec<HandleCollection> {
    let mut out: Vec<HandleCollection> = Vec::new();
    for (i, spawn) in facts.spawns.iter().enumerate() {
        if !detaches_on_drop(spawn.spawner) {
            continue;
        }
        let collection = match spawn.flow {
            Flow::Let(pat) if spawn.per_element => pat_binding(file, facts, pat),
            _ => pushed_into(file, facts, spawn).and_then(|recv| binding_of_expr(facts, recv)),
        };
        let Some(binding) = collection else { continue };
        if facts.binding(binding).kind != super::BindingKind::Let {
            continue;
        }
        let id = SpawnId(i as u32);
        match out.iter_mut().find(|c| c.binding == binding) {
            Some(c) => c.spawns.push(id),
            None => out.push(HandleCollection { binding, spawns: vec![id] }),
        }
    }
    out
}

/// The collection binding an iterable reads, through `&`, `&mut`, parentheses and the
/// adaptors that hand out its elements (`into_iter`, `iter_mut`, `drain(..)`, `enumerate`,
/// `rev`, `zip`, `pop`, `pop_front`, `pop_back`).
pub fn iterated_binding(facts: &Facts<'_>, iterable: &syn::Expr) -> Option<BindingId> {
    let mut cur = iterable;
    for _ in 0..16 {
        match cur {
            syn::Expr::Reference(r) => cur = &r.expr,
            syn::Expr::Paren(p) => cur = &p.expr,
            syn::Expr::Group(g) => cur = &g.expr,
            syn::Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "into_iter" | "iter_mut" | "drain" | "enumerate" | "rev" | "zip" | "pop" | "pop_front" | "pop_back"
                ) =>
            {
                cur = &m.receiver
            }
            syn::Expr::Path(_) => return binding_of_expr(facts, cur),
            _ => return None,
        }
    }
    None
}

/// A binding that holds one element of a collection, with the collection: the pattern of a
/// `for` loop over it (`for h in handles`, `for (i, h) in handles.into_iter().enumerate()`), of
/// `while let Some(h) = handles.pop()`, or the parameter of a closure passed to an iterator
/// adaptor over it (`handles.into_iter().for_each(|h| …)`).
pub fn element_of(file: FileId, facts: &Facts<'_>, binding: BindingId) -> Option<(BindingId, super::LoopId)> {
    let (source, loop_id) = element_source(file, facts, binding)?;
    Some((iterated_binding(facts, source)?, loop_id))
}

/// The expression a binding takes its elements from, as in [`element_of`], with its loop: the
/// `for` iterable, the `while let` scrutinee, or the receiver of the iterator adaptor.
pub fn element_source<'a>(
    file: FileId,
    facts: &Facts<'a>,
    binding: BindingId,
) -> Option<(&'a syn::Expr, super::LoopId)> {
    let b = facts.binding(binding);
    let loop_id = b.ctx.loop_id?;
    let lp = facts.loop_(loop_id);
    let inside = |node: &dyn syn::spanned::Spanned| {
        let s = super::walk::span_of_dyn(file, node);
        b.span.start >= s.start && b.span.end <= s.end
    };
    let source = match (b.kind, lp.kind, lp.expr) {
        (super::BindingKind::ForElement | super::BindingKind::Pattern, super::LoopKind::For, syn::Expr::ForLoop(f))
            if inside(&f.pat) =>
        {
            &*f.expr
        }
        (super::BindingKind::Pattern, super::LoopKind::WhileLet, syn::Expr::While(w)) => match &*w.cond {
            syn::Expr::Let(l) if inside(&l.pat) => &*l.expr,
            _ => return None,
        },
        (super::BindingKind::ClosureParam, super::LoopKind::IterClosure, syn::Expr::Closure(c))
            if c.inputs.first().is_some_and(|p| inside(p)) =>
        {
            lp.source?
        }
        _ => return None,
    };
    Some((source, loop_id))
}

/// The join handles a written type holds, as the spawner that makes them: `JoinHandle<T>`,
/// `Vec<JoinHandle<T>>`, `Mutex<Vec<(String, JoinHandle<T>)>>`… for std's
/// (`std::thread::JoinHandle`, `ScopedJoinHandle`), tokio's and async-std's `JoinHandle`, by the
/// path the file's `use` items resolve it to. A `JoinHandle` of another crate or of the crate
/// itself is none of these.
pub fn join_handle_type(ty: &syn::Type, resolve: &dyn Fn(&syn::Path) -> Option<String>) -> Option<super::Spawner> {
    struct Finder<'r> {
        resolve: &'r dyn Fn(&syn::Path) -> Option<String>,
        found: Option<super::Spawner>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_> {
        fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
            if self.found.is_some() {
                return;
            }
            let last = t.path.segments.last().map(|s| s.ident.to_string());
            if matches!(last.as_deref(), Some("JoinHandle" | "ScopedJoinHandle")) {
                self.found = (self.resolve)(&t.path).and_then(|r| handle_spawner(&r));
            }
            syn::visit::visit_type_path(self, t);
        }
        // A handle behind a function pointer's or closure's signature is not held.
        fn visit_type_bare_fn(&mut self, _: &'ast syn::TypeBareFn) {}
        fn visit_parenthesized_generic_arguments(&mut self, _: &'ast syn::ParenthesizedGenericArguments) {}
    }
    let mut f = Finder { resolve, found: None };
    syn::visit::Visit::visit_type(&mut f, ty);
    f.found
}

/// The spawner whose handle a resolved type path names.
fn handle_spawner(resolved: &str) -> Option<super::Spawner> {
    use super::Spawner;
    match resolved {
        "std::thread::JoinHandle" => Some(Spawner::StdThread),
        "std::thread::ScopedJoinHandle" => Some(Spawner::StdScoped),
        "async_std::task::JoinHandle" => Some(Spawner::AsyncStd),
        r if r.starts_with("tokio::") && r.ends_with("::JoinHandle") => Some(Spawner::TokioSpawn),
        _ => None,
    }
}

/// The `static` of join handles a container expression reads, through locking, dereferencing,
/// taking and draining: `HANDLES` in `HANDLES.lock().unwrap().drain(..)`,
/// `std::mem::take(&mut *HANDLES.lock().unwrap())`, `HANDLES.write().pop()` or
/// `HANDLES.get_or_init(…).lock()` (a `OnceLock`). Statics declared by a macro
/// (`lazy_static!`) are not parsed, so not seen.
pub fn handle_static<'f, 'a>(facts: &'f Facts<'a>, expr: &syn::Expr) -> Option<&'f super::items::StaticFact<'a>> {
    static_root(facts, expr, true, false)
}

/// The `static` of join handles an expression reaches only through locking and dereferencing
/// (`HANDLES.lock().unwrap()`), without taking anything out of it; with `through_guards`, also
/// through a local holding such an access (`let mut running = HANDLES.lock().unwrap();`).
pub fn accessed_static<'f, 'a>(
    facts: &'f Facts<'a>,
    expr: &syn::Expr,
    through_guards: bool,
) -> Option<&'f super::items::StaticFact<'a>> {
    static_root(facts, expr, false, through_guards)
}

fn static_root<'f, 'a>(
    facts: &'f Facts<'a>,
    expr: &syn::Expr,
    taking: bool,
    through_guards: bool,
) -> Option<&'f super::items::StaticFact<'a>> {
    let accessor = |name: &str| {
        matches!(
            name,
            "lock"
                | "write"
                | "read"
                | "get_or_init"
                | "borrow_mut"
                | "get_mut"
                | "unwrap"
                | "expect"
                | "unwrap_or_else"
        )
    };
    let taker = |name: &str| {
        matches!(
            name,
            "into_iter"
                | "iter_mut"
                | "drain"
                | "split_off"
                | "take"
                | "pop"
                | "pop_front"
                | "pop_back"
                | "enumerate"
                | "rev"
        )
    };
    let mut cur = expr;
    for _ in 0..16 {
        match cur {
            syn::Expr::Reference(r) => cur = &r.expr,
            syn::Expr::Paren(p) => cur = &p.expr,
            syn::Expr::Group(g) => cur = &g.expr,
            syn::Expr::Try(t) => cur = &t.expr,
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => cur = &u.expr,
            syn::Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if !(accessor(&name) || (taking && taker(&name))) {
                    return None;
                }
                cur = &m.receiver;
            }
            // `std::mem::take(&mut *HANDLES.lock().unwrap())`, `mem::replace(&mut …, Vec::new())`.
            syn::Expr::Call(c) if taking => {
                let syn::Expr::Path(p) = &*c.func else { return None };
                let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                let takes = match segments.as_slice() {
                    [.., module, last] => module == "mem" && matches!(last.as_str(), "take" | "replace"),
                    [last] => matches!(last.as_str(), "take" | "replace"),
                    [] => false,
                };
                if !takes {
                    return None;
                }
                cur = c.args.first()?;
            }
            syn::Expr::Path(p) => {
                // A local of the same name shadows the static.
                if let Some(local) = facts.binding_of_expr(cur) {
                    let b = facts.binding(local);
                    return match (through_guards, b.kind, b.init) {
                        (true, super::BindingKind::Let, Some(init)) => static_root(facts, init, false, false),
                        _ => None,
                    };
                }
                let name = &p.path.segments.last()?.ident;
                return facts.statics.iter().find(|s| s.handle_type.is_some() && s.item.ident == *name);
            }
            _ => return None,
        }
    }
    None
}

/// The collection expression a spawn's handle is pushed into, directly
/// (`handles.push(spawn(…))`) or through a binding (`let h = spawn(…); handles.push(h)`).
pub fn pushed_into<'a>(file: FileId, facts: &Facts<'a>, spawn: &Spawn<'a>) -> Option<&'a syn::Expr> {
    match spawn.flow {
        Flow::PushedInto(recv) => Some(recv),
        Flow::Let(pat) if !spawn.per_element => pat_binding(file, facts, pat).and_then(|h| {
            facts.uses_of(h).find_map(|u| match u.flow {
                Flow::PushedInto(recv) => Some(recv),
                _ => None,
            })
        }),
        _ => None,
    }
}
