use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::handles::{handle_fate, DropKind, HandleFate};
use crate::facts::{Call, Callee, Family, FnId, Spawn, SpawnId, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::HashMap;
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds `std::panic::catch_unwind` (or `FutureExt::catch_unwind` on an `async` block)
    /// wrapped around code that spawns a thread or task and lets its handle go (drops it, never
    /// reads it, or uses a fire-and-forget spawner such as `rayon::spawn`).
    ///
    /// It stays silent when the handle is joined or awaited inside the guarded code: then a
    /// panic does come back. `thread::spawn(f).join().unwrap()` inside `catch_unwind` re-raises
    /// the thread's panic on the current thread, where it is caught; awaiting a tokio
    /// `JoinHandle` and unwrapping does the same. Scoped spawns (`thread::scope`,
    /// `rayon::scope`) are silent too: the scope re-raises their panics. A handle that leaves
    /// the guarded code (returned, stored) is assumed to be joined elsewhere.
    ///
    /// ### Why is this bad
    /// Go's rule: recover inside the goroutine. `catch_unwind` catches panics of the current
    /// thread only, while it runs the closure (or, for a future, while it polls it). Work that
    /// runs in a spawned thread or task panics there: a std thread's panic ends that thread and
    /// is kept for a `join` nobody makes; tokio keeps a task's panic for its `JoinHandle`; a
    /// panic in `rayon::spawn` aborts the process unless the pool has a `panic_handler`. The
    /// guard looks like protection and protects nothing.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let result = std::panic::catch_unwind(|| {
    ///     std::thread::spawn(move || process(batch));
    /// });
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let worker = std::thread::spawn(move || process(batch));
    /// if let Err(panic) = worker.join() {
    ///     log_panic(panic);
    /// }
    /// ```
    pub static CATCH_UNWIND_AROUND_SPAWN = {
        name: "catch_unwind_around_spawn",
        rule: Some(Rule::Panics),
        category: Correctness,
        cost: Hang,
        summary: "`catch_unwind` around a spawn: the spawned work's panic never reaches it",
        why: "a panic guard around a spawn protects nothing: the panic stays in the other thread or task",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let guards: Vec<(&Call<'_>, &Expr)> =
        cx.facts.calls.iter().filter_map(|call| Some((call, guarded_code(call)?))).collect();
    if guards.is_empty() {
        return;
    }
    // Spawns by the function and spawned body they sit in, so that each guard looks at its
    // own place only; each spawn's span (a walk over its tokens) is computed at most once.
    let spawns = &cx.facts.spawns;
    let mut by_place: HashMap<(Option<FnId>, Option<SpawnId>), Vec<usize>> = HashMap::new();
    for (i, s) in spawns.iter().enumerate() {
        by_place.entry((s.ctx.fn_id, s.ctx.spawn_body)).or_default().push(i);
    }
    let mut spans: Vec<Option<Span>> = vec![None; spawns.len()];
    for (call, guarded) in guards {
        let Some(candidates) = by_place.get(&(call.ctx.fn_id, call.ctx.spawn_body)) else { continue };
        let region = cx.span(guarded);
        let mut lost: Vec<&Spawn<'_>> = Vec::new();
        for &i in candidates {
            let at = *spans[i].get_or_insert_with(|| cx.span(spawns[i].call));
            if region.start <= at.start && at.end <= region.end && lets_handle_go(cx, &spawns[i]) {
                lost.push(&spawns[i]);
            }
        }
        if let Some(first) = lost.first() {
            report(cx, call, first, &lost);
        }
    }
}

/// The spawn's handle is let go, so nobody in the guarded code can receive its panic. A smol
/// `Task` dropped without `.detach()` is cancelled, not lost: only detached ones count.
fn lets_handle_go(cx: &FileCx<'_>, s: &Spawn<'_>) -> bool {
    match handle_fate(cx.file, cx.facts, s) {
        HandleFate::Dropped { kind, .. } => s.spawner != Spawner::Smol || kind == DropKind::Detach,
        HandleFate::Kept => false,
    }
}

/// The closure or async block a `catch_unwind` call guards.
fn guarded_code<'a>(call: &Call<'a>) -> Option<&'a Expr> {
    match &call.callee {
        Callee::Path { resolved, .. } if resolved.as_deref() == Some("std::panic::catch_unwind") => {
            unwrap_assert_unwind_safe(call.args.first()?).filter(|e| matches!(e, Expr::Closure(_)))
        }
        Callee::Method { name, receiver } if name == "catch_unwind" && call.args.is_empty() => {
            unwrap_assert_unwind_safe(receiver).filter(|e| matches!(e, Expr::Async(_)))
        }
        _ => None,
    }
}

/// Sees through parentheses and `AssertUnwindSafe(…)`.
fn unwrap_assert_unwind_safe(e: &Expr) -> Option<&Expr> {
    match e {
        Expr::Paren(p) => unwrap_assert_unwind_safe(&p.expr),
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let last = p.path.segments.last()?;
            if last.ident == "AssertUnwindSafe" && c.args.len() == 1 {
                unwrap_assert_unwind_safe(c.args.first()?)
            } else {
                None
            }
        }
        other => Some(other),
    }
}

fn report(cx: &FileCx<'_>, call: &Call<'_>, first: &Spawn<'_>, lost: &[&Spawn<'_>]) {
    let is_future = matches!(call.callee, Callee::Method { .. });
    let primary: Span = match &call.callee {
        Callee::Method { .. } => {
            let Expr::MethodCall(m) = call.expr else { return };
            cx.span_of(m.method.span())
        }
        Callee::Path { .. } => call.callee_span,
    };
    let what = if first.spawner.is_thread() { "thread" } else { "task" };
    let family = first.spawner.family();
    let guard = match &call.callee {
        Callee::Path { path, .. } => crate::facts::walk::path_text(path),
        Callee::Method { .. } => "catch_unwind".to_string(),
    };
    let message = match family {
        Family::Rayon => format!("`{guard}` cannot catch a panic in the `{}` task inside it", first.api),
        _ => format!("`{guard}` cannot catch a panic in the {what} spawned inside it"),
    };
    let primary_label = if is_future {
        "this catches panics only while this future is polled, on this thread"
    } else {
        "this catches panics only on the current thread, while the closure runs"
    };
    let mut d = Diagnostic::new(&CATCH_UNWIND_AROUND_SPAWN, primary, message).primary_label(primary_label);
    for s in lost {
        let label = match s.spawner.family() {
            Family::Std => "a panic in this thread ends only that thread, and its `JoinHandle` is dropped unjoined",
            Family::Tokio => "tokio keeps this task's panic for its `JoinHandle`, which is dropped",
            Family::AsyncStd => "this task's panic stays in the task, and its `JoinHandle` is dropped",
            Family::Smol => "this task's panic stays in the detached task",
            Family::Rayon => "a panic here aborts the process unless the pool has a `panic_handler`",
            Family::Futures => "this task's panic stays on the pool thread",
        };
        d = d.label(s.callee_span, label);
    }
    let help = match family {
        Family::Std => "join the handle inside the guarded code (`handle.join()` returns the panic as `Err`), or call `catch_unwind` inside the spawned closure",
        Family::Tokio => "await the `JoinHandle` and check `JoinError::is_panic()`, or wrap the task's own future in `FutureExt::catch_unwind` inside the task",
        Family::AsyncStd | Family::Smol => "await the task's handle, or wrap the task's own future in `FutureExt::catch_unwind` inside the task",
        Family::Rayon => "call `catch_unwind` inside the spawned closure, or build the pool with `ThreadPoolBuilder::panic_handler`",
        Family::Futures => "use `spawn_with_handle` and await the handle, or wrap the task's future in `FutureExt::catch_unwind` inside it",
    };
    d = d.help(help);
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
