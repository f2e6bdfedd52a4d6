//! The pass's walk in evaluation order: blocks and statements with their temporary scopes,
//! branches and `match` arms joined by intersection, loops with their `break`s, closures run on
//! the spot, and nested bodies (closures, `async` blocks, spawned bodies) that start afresh.
//!
//! It is separate from what happens at each lock, call or use of a guard ([`super::guards`],
//! [`super::acquire`]): this module decides only which guards are alive on every path to the
//! current point and where each scope ends.

use super::{
    call_path_text, join, join_opt, strip_parens, unreachable_state, After, FrameKind, LoopCx, Pass, SpawnEnd, State,
};
use crate::facts::flow::Node;
use crate::facts::locks::records::{GuardId, HeldWait, OrderBranch, ReleaseKind, SpawnRun};
use crate::facts::walk::{runs_closure_in_place, span_of_span};
use crate::facts::Facts;
use crate::source::Span;
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Stmt};

const MAX_DEPTH: usize = 200;

impl<'p, 'a> Pass<'p, 'a> {
    pub(super) fn block(&mut self, b: &'a syn::Block, body: bool) {
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

    pub(super) fn expr(&mut self, e: &'a Expr) {
        if self.depth > MAX_DEPTH || self.st.unreachable {
            return;
        }
        self.depth += 1;
        self.anc.push(Node::Expr(e));
        match e {
            Expr::MethodCall(m) => {
                self.expr(&m.receiver);
                let local_key = self.thread_local_with(m);
                // Adaptors whose closure runs on the spot, while the caller's guards are held: the walk's
                // list, so that the lock pass and `ClosureCtx::Inline` agree.
                let inline = runs_closure_in_place(&m.method.to_string()) || local_key.is_some();
                // Taken before the arguments run: passing the guard may release it.
                let wait = crate::facts::condvars::wait_form(&m.method.to_string(), m.args.len())
                    .map(|_| self.waited_guard(m));
                for a in &m.args {
                    match a {
                        Expr::Closure(c) if inline || self.borrowing_callback(a, c) => {
                            if let (Some(key), Some(Pat::Ident(p))) = (&local_key, c.inputs.first()) {
                                if let Some(b) = self.facts.binding_at(span_of_span(self.file, p.ident.span())) {
                                    self.param_keys.insert(b, key.clone());
                                }
                            }
                            let callback = !inline;
                            if callback {
                                let method = span_of_span(self.file, m.method.span());
                                self.callbacks.push((method, m.method.to_string()));
                            }
                            self.inline_closure(a, c);
                            if callback {
                                self.callbacks.pop();
                            }
                        }
                        _ => self.expr(a),
                    }
                }
                if let Some((mut passed, fresh)) = wait {
                    if let Some(site) = fresh {
                        passed = self.out.acquisitions.iter().rev().find(|a| a.site == site).and_then(|a| a.guard);
                    }
                    let passed = passed.filter(|&g| !self.is_pending(g));
                    let held = self.live_real();
                    if !held.is_empty() && !self.st.unreachable {
                        let span = self.span(e);
                        let passed_fresh = fresh.is_some();
                        self.out.waits.push(HeldWait { span, held, passed, passed_fresh });
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

    /// A closure handed to a method that is not a spawn, borrowing the function's locals or
    /// `self` (not `move`, not `async`): it is not `'static`, so the method cannot keep it past
    /// the call or hand it to another thread that outlives it, and it runs during the call,
    /// while the caller's guards are held (`pool.retain_with(|c| self.stats.lock()…)` under a
    /// guard of `self.pool`). A closure that borrows nothing (`|| STATE.lock()`) may be stored
    /// and run later (a signal handler), so it stays a body of its own.
    fn borrowing_callback(&self, e: &'a Expr, c: &'a syn::ExprClosure) -> bool {
        if c.capture.is_some() || c.asyncness.is_some() || self.spawn_bodies.contains_key(&(e as *const Expr)) {
            return false;
        }
        let start = self.span(e).start;
        let mut borrows = BorrowsOuter { facts: self.facts, before: start, found: false };
        borrows.visit_expr(&c.body);
        borrows.found
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
        // A body of its own runs later or elsewhere, not during the callback around it.
        let saved_callbacks = std::mem::take(&mut self.callbacks);
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
        self.callbacks = saved_callbacks;
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

fn is_diverging_macro(name: &str) -> bool {
    matches!(name, "panic" | "unreachable" | "todo" | "unimplemented")
}

fn macro_last(mac: &syn::Macro) -> String {
    mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

fn is_diverging_call(c: &syn::ExprCall) -> bool {
    let Some(text) = call_path_text(c) else { return false };
    if let Some(name) = text.strip_prefix("__macro_") {
        return is_diverging_macro(name);
    }
    matches!(text.as_str(), "std::process::exit" | "process::exit" | "std::process::abort" | "process::abort")
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

/// Whether an expression reads `self` or a local bound before `before` (outside the closure
/// being looked at).
struct BorrowsOuter<'f, 'a> {
    facts: &'f Facts<'a>,
    before: u32,
    found: bool,
}

impl<'ast> Visit<'ast> for BorrowsOuter<'_, '_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if self.found {
            return;
        }
        if let Expr::Path(p) = e {
            if p.path.is_ident("self") {
                self.found = true;
                return;
            }
            if let Some(b) = self.facts.binding_of_expr(e) {
                self.found = self.facts.binding(b).span.start < self.before;
                return;
            }
        }
        syn::visit::visit_expr(self, e);
    }
}
