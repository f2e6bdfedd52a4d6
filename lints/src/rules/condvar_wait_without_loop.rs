use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::condvars::{implements_condvar, is_condvar, wait_form, WaitForm};
use crate::registry::Rule;
use syn::visit::Visit;
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a wait on a condition variable that is not re-checked in a loop: `cvar.wait(g)`,
    /// `wait_timeout(g, d)` (std) or `wait(&mut g)`, `wait_for(&mut g, d)`, `wait_until` (parking_lot)
    /// whose wake-up is taken to mean that the awaited state holds. Two shapes are reported:
    /// - the wait sits in an `if` that tests the guarded state (`if !*ready { ready =
    ///   cvar.wait(ready).unwrap(); }`), any form: the `if` was meant to be a `while`;
    /// - a std `wait(g)` reached with no loop around it at all (a straight-line wait). A
    ///   parking_lot `wait(&mut g)` is not reported in this shape, since parking_lot's
    ///   `Condvar` never wakes up spuriously, nor is a straight-line timed wait, which is
    ///   often an interruptible sleep (`let _ = cvar.wait_timeout(g, interval);`).
    ///
    /// Only receivers known to be a `Condvar` count: a local built by `Condvar::new()` (also in
    /// an `Arc` or a tuple: `let (lock, cvar) = &*pair;`), a local, parameter, field or `static`
    /// declared with a `Condvar` type. `Barrier::wait`, `Child::wait`, `tokio::sync::Notify` and
    /// other types with a `wait` method are never reported.
    ///
    /// Never reported either: the file that implements a condition variable (it defines a
    /// type or alias named `Condvar`), whose own tests wait once to see a notification arrive; the
    /// predicate forms (`wait_while`, `wait_timeout_while`,
    /// parking_lot's `wait_while_for`/`wait_while_until`), which re-check after every
    /// wake-up, and any wait inside a loop of its function (`while`, `loop`, `for`, an
    /// iterator closure), even one whose exit does not visibly depend on the state: whether
    /// such a loop re-checks cannot be told from the syntax.
    ///
    /// ### Why is this bad
    /// A condition variable carries no state of its own. `wait` can return without any
    /// notification (a spurious wake-up, which std's `Condvar` allows), and when it was
    /// notified, another thread may have consumed the state in between (a stolen wake-up), or
    /// the notification may have been meant for a different condition sharing the condvar.
    /// Code after a single wait then runs on a state that does not hold. And a wait not
    /// preceded by a check of the state under the same lock hangs forever when the
    /// notification came before it: condvars do not remember notifications.
    ///
    /// ### Known problems
    /// A wait in a helper function whose callers loop (`while !done() { park() }`) is
    /// reported when it is a straight-line std `wait`: the loop is in another function.
    /// Such a helper still loses a notification sent between the caller's check and the wait,
    /// unless the check is made under the same lock.
    ///
    /// Allowed by default (`pedantic`): on the 1,200 published crates taskcheck is measured on,
    /// every wait it could report outside a condition variable's own implementation sits in a
    /// loop, so its precision on real code could not be measured. Enable it with
    /// `-W condvar_wait_without_loop` (or in `[lints]`) to check a code base that uses
    /// condition variables by hand.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let (lock, cvar) = &*pair;
    /// let mut ready = lock.lock().unwrap();
    /// if !*ready {
    ///     ready = cvar.wait(ready).unwrap();
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let (lock, cvar) = &*pair;
    /// let ready = cvar.wait_while(lock.lock().unwrap(), |ready| !*ready).unwrap();
    /// ```
    /// or a `while !*ready { ready = cvar.wait(ready).unwrap(); }` loop.
    pub static CONDVAR_WAIT_WITHOUT_LOOP = {
        name: "condvar_wait_without_loop",
        rule: Some(Rule::LocksAndChannels),
        category: Pedantic,
        cost: Hang,
        summary: "a condition variable wait is not re-checked in a loop",
        why: "spurious and stolen wake-ups return from a wait whose condition does not hold, and a notification sent before the wait is lost",
    };
}

pub fn check(cx: &FileCx<'_>) {
    if implements_condvar(cx.facts, cx.ast) {
        return;
    }
    let mut finder = Finder { cx, frames: Vec::new(), found: Vec::new() };
    finder.visit_file(cx.ast);
    for w in finder.found {
        report(cx, &w);
    }
}

/// What encloses the code being visited.
enum Frame<'a> {
    /// A function item: loops and `if`s outside it do not run it.
    Fn,
    /// A closure or async block: loops outside it may run it again, `if`s outside do not
    /// guard the wait's own flow.
    Body,
    Loop,
    If {
        expr: &'a syn::ExprIf,
        in_then: bool,
    },
}

struct Found<'a> {
    call: &'a syn::ExprMethodCall,
    form: WaitForm,
    /// The `if` testing the guarded state around the wait, when that is the shape.
    guard_if: Option<&'a syn::ExprIf>,
    /// The name of the guard passed (`g` in `wait(g)` or `wait(&mut g)`).
    guard: Option<String>,
    by_ref: bool,
}

struct Finder<'c, 'a> {
    cx: &'c FileCx<'a>,
    frames: Vec<Frame<'a>>,
    found: Vec<Found<'a>>,
}

impl<'a> Finder<'_, 'a> {
    fn with(&mut self, frame: Frame<'a>, f: impl FnOnce(&mut Self)) {
        self.frames.push(frame);
        f(self);
        self.frames.pop();
    }

    fn in_loop(&self) -> bool {
        self.frames.iter().rev().take_while(|f| !matches!(f, Frame::Fn)).any(|f| matches!(f, Frame::Loop))
    }

    /// The innermost `if` of the wait's own body whose `then` block holds it.
    fn enclosing_if(&self) -> Option<&'a syn::ExprIf> {
        self.frames.iter().rev().take_while(|f| !matches!(f, Frame::Fn | Frame::Body)).find_map(|f| match f {
            Frame::If { expr, in_then: true } => Some(*expr),
            _ => None,
        })
    }

    fn on_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        let Some(form) = wait_form(&m.method.to_string(), m.args.len()) else { return };
        if form == WaitForm::Predicate || self.in_loop() {
            return;
        }
        // Iterator closures (`for_each`) are loops the walk knows.
        if self.cx.facts.call_of_method(m).is_some_and(|c| c.ctx.loop_id.is_some()) {
            return;
        }
        if !is_condvar(self.cx.facts, &m.receiver) {
            return;
        }
        let (guard, by_ref) = guard_name(m.args.first());
        let guard_if = self
            .enclosing_if()
            .filter(|i| guard.as_ref().is_some_and(|g| crate::facts::mentions_any(&i.cond, std::slice::from_ref(g))));
        let reported = match form {
            _ if guard_if.is_some() => true,
            // parking_lot's waits take the guard by `&mut` and never wake up spuriously.
            WaitForm::Plain => !by_ref,
            _ => false,
        };
        if reported {
            self.found.push(Found { call: m, form, guard_if, guard, by_ref });
        }
    }
}

impl<'a> Visit<'a> for Finder<'_, 'a> {
    fn visit_item_fn(&mut self, i: &'a syn::ItemFn) {
        self.with(Frame::Fn, |s| syn::visit::visit_item_fn(s, i));
    }
    fn visit_impl_item_fn(&mut self, i: &'a syn::ImplItemFn) {
        self.with(Frame::Fn, |s| syn::visit::visit_impl_item_fn(s, i));
    }
    fn visit_trait_item_fn(&mut self, i: &'a syn::TraitItemFn) {
        self.with(Frame::Fn, |s| syn::visit::visit_trait_item_fn(s, i));
    }
    fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
        self.with(Frame::Body, |s| syn::visit::visit_expr_closure(s, c));
    }
    fn visit_expr_async(&mut self, a: &'a syn::ExprAsync) {
        self.with(Frame::Body, |s| syn::visit::visit_expr_async(s, a));
    }
    fn visit_expr_while(&mut self, w: &'a syn::ExprWhile) {
        self.with(Frame::Loop, |s| syn::visit::visit_expr_while(s, w));
    }
    fn visit_expr_loop(&mut self, l: &'a syn::ExprLoop) {
        self.with(Frame::Loop, |s| syn::visit::visit_expr_loop(s, l));
    }
    fn visit_expr_for_loop(&mut self, f: &'a syn::ExprForLoop) {
        self.visit_expr(&f.expr);
        self.with(Frame::Loop, |s| {
            s.visit_pat(&f.pat);
            s.visit_block(&f.body);
        });
    }
    fn visit_expr_if(&mut self, i: &'a syn::ExprIf) {
        self.visit_expr(&i.cond);
        self.with(Frame::If { expr: i, in_then: true }, |s| s.visit_block(&i.then_branch));
        if let Some((_, e)) = &i.else_branch {
            self.with(Frame::If { expr: i, in_then: false }, |s| s.visit_expr(e));
        }
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        self.on_method_call(m);
        syn::visit::visit_expr_method_call(self, m);
    }
}

/// The local passed as the guard: `g` or `&mut g`, and whether by reference.
fn guard_name(arg: Option<&Expr>) -> (Option<String>, bool) {
    let Some(mut arg) = arg else { return (None, false) };
    let mut by_ref = false;
    loop {
        match arg {
            Expr::Paren(p) => arg = &p.expr,
            Expr::Reference(r) => {
                by_ref = true;
                arg = &r.expr;
            }
            Expr::Path(p) => return (p.path.get_ident().map(ToString::to_string), by_ref),
            _ => return (None, by_ref),
        }
    }
}

fn report(cx: &FileCx<'_>, w: &Found<'_>) {
    let method = w.call.method.to_string();
    let span = cx.span(w.call);
    let timed = w.form == WaitForm::Timed;
    let mut d = match w.guard_if {
        Some(i) => {
            let if_span = cx.span_of(i.if_token.span);
            Diagnostic::new(
                &CONDVAR_WAIT_WITHOUT_LOOP,
                span,
                format!("`{method}` is guarded by an `if`, not a loop: the state is not re-checked after the wake-up"),
            )
            .primary_label(if timed {
                "this can return before the timeout with the condition still false"
            } else {
                "this can return with the condition still false"
            })
            .label(if_span, "the condition is checked once, here")
        }
        None => Diagnostic::new(
            &CONDVAR_WAIT_WITHOUT_LOOP,
            span,
            format!("`{method}` is not in a loop: nothing re-checks the state after the wake-up"),
        )
        .primary_label("this can return without a notification, and never returns if the notification came first"),
    };
    let g = w.guard.as_deref().unwrap_or("guard");
    let cv = cx.snippet(cx.span(&*w.call.receiver)).to_string();
    let predicate = match (w.by_ref, timed) {
        (false, false) => "wait_while",
        (false, true) => "wait_timeout_while",
        (true, false) => "wait_while",
        (true, true) => "wait_while_for",
    };
    let help = match w.guard_if {
        Some(i) => {
            let cond = cx.snippet(cx.span(&*i.cond)).to_string();
            let pred_call = match (w.by_ref, timed) {
                (false, false) => format!("{cv}.wait_while({g}, |{g}| {cond})"),
                (false, true) => format!("{cv}.wait_timeout_while({g}, timeout, |{g}| {cond})"),
                (true, false) => format!("{cv}.wait_while(&mut {g}, |{g}| {cond})"),
                (true, true) => format!("{cv}.wait_while_for(&mut {g}, |{g}| {cond}, timeout)"),
            };
            format!("re-check the condition after every wake-up: `while {cond} {{ … }}` instead of `if`, or `{pred_call}`")
        }
        None => format!(
            "wait with a predicate that says what you are waiting for, `{cv}.{predicate}({g}, |state| /* not ready yet */)`, or re-check the state in a `while` loop around the wait"
        ),
    };
    d = d.help(help);
    if let Some(i) = w.guard_if.filter(|i| i.else_branch.is_none()) {
        if waits_in_place(cx, i, w) {
            let if_span = cx.span_of(i.if_token.span);
            d = d.suggest(
                "re-check the condition after every wake-up",
                if_span,
                "while",
                Applicability::MaybeIncorrect,
            );
        }
    }
    if !w.by_ref && w.guard_if.is_none() {
        d = d.note("std's `Condvar` may wake up spuriously: a wake-up does not mean the state changed");
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The wait is a statement of the `if`'s block that keeps the guard in its binding, so turning
/// the `if` into a `while` compiles: `g = cvar.wait(g).unwrap();` or `cvar.wait(&mut g);`.
fn waits_in_place(cx: &FileCx<'_>, i: &syn::ExprIf, w: &Found<'_>) -> bool {
    let Some(g) = w.guard.as_deref() else { return false };
    let call_span = cx.span(w.call);
    i.then_branch.stmts.iter().any(|s| {
        let syn::Stmt::Expr(e, _) = s else { return false };
        let e_span = cx.span(e);
        if e_span.start > call_span.start || e_span.end < call_span.end {
            return false;
        }
        match e {
            Expr::Assign(a) => matches!(&*a.left, Expr::Path(p) if p.path.is_ident(g)),
            Expr::MethodCall(m) => w.by_ref && std::ptr::eq(m, w.call),
            _ => false,
        }
    })
}
