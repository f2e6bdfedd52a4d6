//! Channels whose queue is bounded by the code around them, though not by a capacity:
//!
//! - every send (of the sender and of its clones) sits outside any loop, or only inside loops
//!   that run a number of times written in the code (`for _ in 0..4`, `for _ in 0..WORKERS`,
//!   `for x in [a, b, c]`, `(0..N).for_each(…)`), in code that runs once where it stands (a
//!   spawned closure runs once; a callback handed to unknown code may run any number of
//!   times): the queue never holds more than that many messages;
//! - the sender is stored (in a struct, an `Arc`, a `Mutex`) and every send through a field in
//!   the file is guarded by an atomic flag that is set as the message is queued
//!   (`if !task.scheduled.swap(true, …) { queue.send(task) }`, or a `compare_exchange(false,
//!   true, …)` that must succeed): a scheduler's run queue where each task is queued at most
//!   once holds at most one entry per live task.

use crate::context::FileCx;
use crate::facts::{BindingId, Call, ClosureCtx, Ctx, Flow, LoopId, LoopKind};
use crate::source::Span;
use syn::visit::{self, Visit};
use syn::Expr;

/// Methods that put a message into a channel.
const SEND_METHODS: &[&str] =
    &["send", "try_send", "unbounded_send", "send_async", "send_blocking", "force_send", "start_send", "send_timeout"];

/// How many `let tx2 = tx.clone();` steps are followed.
const MAX_CLONES: usize = 4;

pub(super) fn by_construction(cx: &FileCx<'_>, call: &Call<'_>) -> bool {
    let Some(sender) = sender_of(cx, call) else { return false };
    let home = cx.facts.binding(sender).ctx.loop_id;
    match sends(cx, sender, home, 0) {
        Sends::Counted => true,
        Sends::Stored => field_sends_are_flag_guarded(cx),
        Sends::Unbounded => false,
    }
}

/// `tx` of `let (tx, rx) = constructor();`.
fn sender_of(cx: &FileCx<'_>, call: &Call<'_>) -> Option<BindingId> {
    let index = cx
        .facts
        .bindings
        .iter()
        .position(|b| b.tuple_init.is_some_and(|(init, index)| index == 0 && std::ptr::eq(init, call.expr)))?;
    Some(BindingId(index as u32))
}

/// What the uses of a sender binding show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sends {
    /// Every send is counted (see the module docs); none leaves the function.
    Counted,
    /// No send through the binding; it is stored into a struct, `Arc` or `Mutex`.
    Stored,
    /// A send in a loop of no written count or in a callback, or a use not followed.
    Unbounded,
}

fn sends(cx: &FileCx<'_>, sender: BindingId, home: Option<LoopId>, depth: usize) -> Sends {
    if depth > MAX_CLONES {
        return Sends::Unbounded;
    }
    let facts = cx.facts;
    let mut sent = false;
    let mut stored = false;
    for u in facts.uses_of(sender) {
        if u.expr.is_none() {
            // Seen only inside macro tokens: what it does there is unknown.
            return Sends::Unbounded;
        }
        match u.flow {
            Flow::Method(m) if SEND_METHODS.iter().any(|s| m.method == s) => {
                if !runs_counted_times(cx, &u.ctx, home) || in_callback(cx, sender, u) {
                    return Sends::Unbounded;
                }
                sent = true;
            }
            // `UnboundedSender::unbounded_send(&tx, v)`.
            _ if is_path_send_receiver(cx, u.expr) => {
                if !runs_counted_times(cx, &u.ctx, home) || in_callback(cx, sender, u) {
                    return Sends::Unbounded;
                }
                sent = true;
            }
            Flow::Method(m) if m.method == "clone" => {
                let Some(clone) = facts.call_of_method(m) else { return Sends::Unbounded };
                let Flow::Let(syn::Pat::Ident(p)) = clone.flow else { return Sends::Unbounded };
                let Some(copy) = facts.binding_at(cx.span_of(p.ident.span())) else { return Sends::Unbounded };
                if !runs_counted_times(cx, &u.ctx, home)
                    || in_callback(cx, sender, u)
                    || sends(cx, copy, home, depth + 1) != Sends::Counted
                {
                    return Sends::Unbounded;
                }
                sent = true;
            }
            Flow::Dropped(_) | Flow::Discarded => {}
            Flow::Stored => stored = true,
            Flow::Argument(into) if is_wrapping(into) => stored = true,
            _ => return Sends::Unbounded,
        }
    }
    match (sent, stored) {
        (_, false) => Sends::Counted,
        (false, true) => Sends::Stored,
        (true, true) => Sends::Unbounded,
    }
}

/// Whether `expr` is the sender of a send method called by path: `Sender::send(&tx, v)`.
fn is_path_send_receiver(cx: &FileCx<'_>, expr: Option<&Expr>) -> bool {
    let Some(expr) = expr else { return false };
    cx.facts.calls.iter().any(|c| {
        let crate::facts::Callee::Path { path, .. } = &c.callee else { return false };
        let named_send =
            path.segments.len() >= 2 && path.segments.last().is_some_and(|s| SEND_METHODS.iter().any(|m| s.ident == m));
        let first = c.args.first().map(|a| match a {
            Expr::Reference(r) => &*r.expr,
            other => *other,
        });
        named_send && first.is_some_and(|a| std::ptr::eq(a, expr))
    })
}

/// `Arc::new(tx)`, `Mutex::new(tx)`, `Some(tx)`: the sender is being stored.
fn is_wrapping(call: &Expr) -> bool {
    let Expr::Call(c) = call else { return false };
    let Expr::Path(p) = &*c.func else { return false };
    let names: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match names.as_slice() {
        [.., ty, f] if f == "new" => matches!(ty.as_str(), "Arc" | "Rc" | "Mutex" | "RwLock" | "Box" | "RefCell"),
        [.., f] => f == "Some",
        [] => false,
    }
}

/// Whether a use of `sender` sits in a closure that may run any number of times (a callback
/// handed to other code, a stream's `for_each`) and that was not also where the channel was
/// made: a channel made afresh in each run of the closure (`b.iter(|| { let (tx, rx) =
/// unbounded(); … })`) is not shared between runs. A spawned closure runs once, and an
/// iterator adaptor's closure is a loop whose count [`runs_counted_times`] judges.
fn in_callback(cx: &FileCx<'_>, sender: BindingId, u: &crate::facts::Use<'_>) -> bool {
    if u.ctx.closure == ClosureCtx::None && u.ctx.fn_id.is_none() {
        return false;
    }
    let declared = cx.facts.binding(sender).span;
    let Some(body) = u.ctx.fn_id.map(|f| cx.facts.func(f).body) else { return true };
    let mut closures = Closures { cx, spans: Vec::new() };
    closures.visit_block(body);
    let contains = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    closures.spans.iter().any(|c| contains(*c, u.span) && !contains(*c, declared))
}

/// The spans of the closures in a function body, spawned closures and iterator adaptors'
/// closures left out.
struct Closures<'c, 'a> {
    cx: &'c FileCx<'a>,
    spans: Vec<Span>,
}

impl<'a> Visit<'a> for Closures<'_, '_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if let Expr::Closure(c) = e {
            let spawned = self.cx.facts.spawns.iter().any(|s| s.body.is_some_and(|b| std::ptr::eq(b, e)));
            let iterator_loop =
                self.cx.facts.loops.iter().any(|l| l.kind == LoopKind::IterClosure && std::ptr::eq(l.expr, e));
            if !spawned && !iterator_loop {
                self.spans.push(self.cx.span(c));
            }
        }
        visit::visit_expr(self, e);
    }
}

/// Whether code at `ctx` runs a number of times written in the code, counted from the loop
/// the channel was created in: every loop between them has a written count.
fn runs_counted_times(cx: &FileCx<'_>, ctx: &Ctx, home: Option<LoopId>) -> bool {
    let mut current = ctx.loop_id;
    let mut steps = 0;
    while let Some(id) = current {
        if Some(id) == home || steps > 64 {
            break;
        }
        let l = cx.facts.loop_(id);
        if !has_written_count(l.kind, l.source) {
            return false;
        }
        current = l.parent;
        steps += 1;
    }
    true
}

/// `for _ in 0..4`, `for _ in 1..=WORKERS`, `for x in [a, b]`, `(0..N).map(…)`.
fn has_written_count(kind: LoopKind, source: Option<&Expr>) -> bool {
    if !matches!(kind, LoopKind::For | LoopKind::IterClosure) {
        return false;
    }
    let Some(mut e) = source else { return false };
    loop {
        match e {
            Expr::Paren(p) => e = &p.expr,
            Expr::Reference(r) => e = &r.expr,
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "iter" | "into_iter" | "enumerate" | "rev" | "copied" | "cloned" | "step_by"
                ) =>
            {
                e = &m.receiver
            }
            _ => break,
        }
    }
    match e {
        Expr::Range(r) => r.end.as_deref().is_some_and(is_written_number),
        Expr::Array(_) => true,
        _ => false,
    }
}

/// A literal, a constant (`WORKERS`, `Self::MAX`), or arithmetic of them.
fn is_written_number(e: &Expr) -> bool {
    match e {
        Expr::Lit(l) => matches!(l.lit, syn::Lit::Int(_)),
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
            let name = s.ident.to_string();
            name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase())
        }),
        Expr::Paren(p) => is_written_number(&p.expr),
        Expr::Binary(b) => is_written_number(&b.left) && is_written_number(&b.right),
        Expr::Cast(c) => is_written_number(&c.expr),
        _ => false,
    }
}

/// Whether the file sends through a field somewhere (`self.queue.send(task)`), and every such
/// send is guarded by an atomic flag set as the message is queued.
fn field_sends_are_flag_guarded(cx: &FileCx<'_>) -> bool {
    let mut finder = FieldSends { guarded: 0, unguarded: 0, guards: 0, depth: 0 };
    finder.visit_file(cx.ast);
    finder.guarded > 0 && finder.unguarded == 0
}

struct FieldSends {
    guarded: usize,
    unguarded: usize,
    /// How many flag guards enclose the code being visited.
    guards: usize,
    depth: usize,
}

impl<'a> Visit<'a> for FieldSends {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.depth > 256 {
            return;
        }
        self.depth += 1;
        match e {
            Expr::If(i) if queues_when(&i.cond) == Some(true) => {
                // `if !flag.swap(true, …) { send }`: the branch runs for the first setter only.
                self.visit_expr(&i.cond);
                self.guards += 1;
                self.visit_block(&i.then_branch);
                self.guards -= 1;
                if let Some((_, other)) = &i.else_branch {
                    self.visit_expr(other);
                }
            }
            Expr::MethodCall(m) if SEND_METHODS.iter().any(|s| m.method == s) && through_field(&m.receiver) => {
                if self.guards > 0 {
                    self.guarded += 1;
                } else {
                    self.unguarded += 1;
                }
                visit::visit_expr(self, e);
            }
            _ => visit::visit_expr(self, e),
        }
        self.depth -= 1;
    }

    fn visit_block(&mut self, b: &'a syn::Block) {
        // `if flag.swap(true, …) { return; }` guards the rest of the block.
        let saved = self.guards;
        for stmt in &b.stmts {
            self.visit_stmt(stmt);
            if let syn::Stmt::Expr(Expr::If(i), _) = stmt {
                if queues_when(&i.cond) == Some(false) && i.else_branch.is_none() && leaves(&i.then_branch) {
                    self.guards += 1;
                }
            }
        }
        self.guards = saved;
    }
}

/// For a condition testing a "scheduled" flag as it sets it: `Some(true)` when the condition
/// holds for the one caller that set the flag (`!f.swap(true, …)`,
/// `f.compare_exchange(false, true, …).is_ok()`), `Some(false)` when it holds for the others
/// (`f.swap(true, …)`, `….is_err()`).
fn queues_when(cond: &Expr) -> Option<bool> {
    match cond {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => queues_when(&u.expr).map(|b| !b),
        Expr::Paren(p) => queues_when(&p.expr),
        Expr::MethodCall(m) if m.method == "swap" => is_true(m.args.first()?).then_some(false),
        Expr::MethodCall(m) if m.method == "is_ok" || m.method == "is_err" => {
            let Expr::MethodCall(cas) = &*m.receiver else { return None };
            let sets = matches!(cas.method.to_string().as_str(), "compare_exchange" | "compare_exchange_weak")
                && cas.args.len() == 4
                && is_false(&cas.args[0])
                && is_true(&cas.args[1]);
            sets.then_some(m.method == "is_ok")
        }
        _ => None,
    }
}

fn is_true(e: &Expr) -> bool {
    matches!(e, Expr::Lit(l) if matches!(&l.lit, syn::Lit::Bool(b) if b.value))
}

fn is_false(e: &Expr) -> bool {
    matches!(e, Expr::Lit(l) if matches!(&l.lit, syn::Lit::Bool(b) if !b.value))
}

/// A block that ends in `return`.
fn leaves(b: &syn::Block) -> bool {
    matches!(b.stmts.last(), Some(syn::Stmt::Expr(Expr::Return(_), _)))
}

/// `self.queue`, `task.shared.sender`, `self.queue.lock().unwrap()`.
fn through_field(e: &Expr) -> bool {
    match e {
        Expr::Field(_) => true,
        Expr::MethodCall(m) => through_field(&m.receiver),
        Expr::Paren(p) => through_field(&p.expr),
        Expr::Reference(r) => through_field(&r.expr),
        _ => false,
    }
}
