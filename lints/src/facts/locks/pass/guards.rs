//! Where a guard value goes: from a fresh acquisition or a use of a guard-holding local, up
//! through the expressions that pass it on (`.unwrap()`, `?`, `.await`, `Some(…)`, a condvar
//! wait) to what holds it: a binding, a temporary scope, a call it is moved into, a `drop`.
//!
//! It is separate from the walk ([`super::control`]) because it looks at one value at one
//! point, up the stack of enclosing nodes, and turns what it finds into a [`Guard`] with its
//! holder and release; the temporary-lifetime rules of the language live here.

use super::{call_path_text, strip_parens, After, FrameKind, Pass};
use crate::facts::flow::Node;
use crate::facts::locks::records::{Acquisition, Guard, Holder, ReleaseKind, TempReason};
use crate::facts::walk::span_of_span;
use crate::facts::BindingId;
use syn::{Expr, Pat, Stmt};

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

impl<'p, 'a> Pass<'p, 'a> {
    pub(super) fn path_use(&mut self, e: &'a Expr, p: &'a syn::ExprPath) {
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

    /// Records the acquisition `new` made by `e`, and the guard it produces, by what becomes of
    /// the value.
    pub(super) fn record(&mut self, e: &'a Expr, new: Acquisition) {
        let acq = self.out.acquisitions.len();
        let is_try = new.is_try;
        let pending = new.pending;
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
                if pending && self.st.guard_of(b).is_some_and(|h| !self.is_pending(h)) {
                    // The local already holds a real guard this call passes on.
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
}

/// Methods that pass a lock result's guard on (`m.lock().unwrap()`).
fn is_result_passthrough(method: &str) -> bool {
    matches!(method, "unwrap" | "expect" | "unwrap_or_else" | "ok" | "map_err" | "context" | "with_context")
}

fn is_condvar_wait(method: &str) -> bool {
    matches!(method, "wait" | "wait_while" | "wait_timeout" | "wait_timeout_while" | "wait_timeout_ms")
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

fn pat_is_wild(p: &Pat) -> bool {
    match p {
        Pat::Wild(_) => true,
        Pat::Type(t) => pat_is_wild(&t.pat),
        _ => false,
    }
}
