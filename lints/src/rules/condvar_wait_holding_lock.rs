use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::condvars::{implements_condvar, is_condvar};
use crate::facts::locks::{GuardId, HeldWait, Holder, LockFacts};
use crate::registry::Rule;
use crate::rules::double_lock::first_label;
use std::collections::HashSet;

crate::declare_lint! {
    /// ### What it does
    /// Finds a wait on a condition variable (`wait`, `wait_while`, `wait_timeout`…, std's or
    /// parking_lot's) made while the same function still holds a guard of another lock than
    /// the one the wait releases: `let _a = self.a.lock(); let b = self.b.lock();
    /// self.cv.wait(b)`. Guard scopes are followed as `lock_across_await` follows them (the end
    /// of a block, `drop(g)`, a move, a temporary's statement).
    ///
    /// The wait counts when its receiver is known to be a `Condvar` (as
    /// `condvar_wait_without_loop` knows it) or when it is given a guard the function took
    /// (`x.wait(g)` with `g` from `m.lock()`), which only a condition variable's wait takes.
    ///
    /// Not reported in the file that implements a condition variable (it defines a type or alias
    /// named `Condvar`): its tests wait with a second mutex held on purpose, to check that the
    /// misuse panics.
    ///
    /// ### Why is this bad
    /// A wait releases only the mutex whose guard it is given. Every other lock stays locked
    /// while the thread sleeps, and the thread that is to change the state and notify usually
    /// needs one of them first (the same object's other field, a registry lock taken on the way
    /// in). It blocks on that lock, never notifies, and both threads wait forever. Neither
    /// lock's owner sees the cycle: it goes through the condvar.
    ///
    /// ### Known problems
    /// The other lock may be one the notifier never takes (a lock serialising tests, say): the
    /// wait is then only slow for everyone else who needs it, and is reported all the same.
    /// A guard released on some paths only counts as released, and a wait given a guard the
    /// function does not follow (a parameter) is not reported.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let registry = self.registry.lock().unwrap();
    /// let mut done = self.done.lock().unwrap();
    /// while !*done {
    ///     done = self.cvar.wait(done).unwrap(); // `registry` stays locked
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let id = self.registry.lock().unwrap().id; // released at the end of the statement
    /// let mut done = self.done.lock().unwrap();
    /// while !*done {
    ///     done = self.cvar.wait(done).unwrap();
    /// }
    /// ```
    /// or keep both pieces of state under one mutex, the one the condvar waits with.
    pub static CONDVAR_WAIT_HOLDING_LOCK = {
        name: "condvar_wait_holding_lock",
        rule: Some(Rule::LocksAndChannels),
        category: Suspicious,
        cost: Hang,
        summary: "a condition variable is waited on while a guard of another lock is held",
        why: "the wait releases only its own mutex: a notifier that needs the other lock never gets to notify",
    };
}

pub fn check(cx: &FileCx<'_>) {
    if implements_condvar(cx.facts, cx.ast) {
        return;
    }
    let locks = cx.locks();
    let mut seen = HashSet::new();
    for w in &locks.waits {
        let Some(call) = wait_call(cx, w) else { continue };
        if !(w.passed.is_some() || w.passed_fresh) {
            continue;
        }
        if !is_condvar(cx.facts, &call.receiver) && w.passed.is_none() {
            continue;
        }
        let others = other_guards(locks, w);
        let Some(&g) = others.first() else { continue };
        if !seen.insert((w.span.start, g)) {
            continue;
        }
        cx.report(diagnostic(cx, locks, w, call, g));
    }
}

/// The method call of the wait, found again by its span.
fn wait_call<'a>(cx: &FileCx<'a>, w: &HeldWait) -> Option<&'a syn::ExprMethodCall> {
    cx.facts.calls_starting_in(w.span.start, w.span.end).find_map(|c| match c.expr {
        syn::Expr::MethodCall(m) if cx.span(c.expr) == w.span => Some(m),
        _ => None,
    })
}

/// Guards alive at the wait that are not the one it releases, nor another guard of that lock.
fn other_guards(locks: &LockFacts, w: &HeldWait) -> Vec<GuardId> {
    let passed_key = w.passed.and_then(|p| locks.guard_acq(p).key.clone());
    w.held
        .iter()
        .copied()
        .filter(|&g| Some(g) != w.passed)
        .filter(|&g| {
            let key = &locks.guard_acq(g).key;
            passed_key.is_none() || key.is_none() || *key != passed_key
        })
        .collect()
}

fn diagnostic(cx: &FileCx<'_>, locks: &LockFacts, w: &HeldWait, call: &syn::ExprMethodCall, g: GuardId) -> Diagnostic {
    let other = locks.guard_acq(g);
    let method = call.method.to_string();
    let released = match w.passed {
        Some(p) => format!("`{}`", locks.guard_acq(p).lock_text),
        None => "its own mutex".to_string(),
    };
    let mut d = Diagnostic::new(
        &CONDVAR_WAIT_HOLDING_LOCK,
        w.span,
        format!("`{method}` waits while the guard of `{}` is still held", other.lock_text),
    )
    .primary_label(format!("this releases only {released} while it sleeps"))
    .label(other.span, first_label(cx, locks, g).replacen("first locked here", "the other lock is taken here", 1));
    let guard = &locks.guards[g];
    if let Some(r) = guard.release.filter(|r| r.span.start > w.span.start) {
        d = d.label(r.span, super::lock_across_await::release_label(guard, r.kind, cx.package.edition));
    }
    let release = match &guard.holder {
        Holder::Binding { name, .. } => format!("call `drop({name})` or end its block before waiting"),
        Holder::Temporary(_) => format!("take what you need from `{}` in a statement of its own", other.lock_text),
    };
    d = d
        .help(format!(
            "release the other guard first ({release}), or keep both pieces of state under the mutex the condvar waits with"
        ))
        .note(format!(
            "a thread that must lock `{}` before it notifies blocks on it, and this wait never wakes up",
            other.lock_text
        ));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}
