use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::loop_exits;
use crate::facts::handles::{element_of, handle_collections, HandleCollection};
use crate::facts::{BindingId, Family, Flow, LoopFacts, LoopId, LoopKind};
use crate::registry::Rule;
use crate::source::Span;
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a loop that joins a local collection of join handles one by one
    /// (`for h in handles { h.join()…; }`, `for h in handles { h.await…; }`,
    /// `while let Some(h) = handles.pop() { … }`) and can leave early with `?`, `return` or
    /// `break`, before the other handles are joined. The handles are those of std threads and
    /// of tokio and async-std tasks, collected with `push`/`extend`/`collect`.
    ///
    /// ### Why is this bad
    /// On the first failure the function returns and the remaining handles are dropped: std
    /// threads and tokio / async-std tasks are *detached*, not stopped. They run on in the
    /// background after the caller was told the group failed, their results and panics lost,
    /// possibly retrying or writing while the caller cleans up. Go's `errgroup` exists for this:
    /// a group of fallible tasks is waited on, or cancelled, as a whole.
    ///
    /// It stays silent when the loop aborts the remaining tasks before leaving (an `abort()`,
    /// `abort_all()`, `shutdown()` or `cancel()` in the loop), for a `break` after which the
    /// collection is still used (the rest may be joined there), for `JoinSet` loops (`while let
    /// Some(r) = set.join_next().await { r?; }`: dropping the set aborts the rest), in a `main`
    /// function, whose return ends the process and every task with it, and for tokio tasks in test
    /// code (`#[test]` functions and their helpers, `#[cfg(test)]` modules, inline or declared as
    /// `#[cfg(test)] mod tests;`, files under `tests/`), examples and benchmarks (files under
    /// `examples/` and `benches/`): there the runtime is the test's or the demo's own, and it
    /// cancels the remaining tasks when the error reaches the test or `main`.
    ///
    /// ### Known problems
    /// `process::exit` and panics (`unwrap`, `expect`) are not treated as early exits. Iterator
    /// chains that short-circuit (`handles.into_iter().map(|h| h.join()).collect::<Result<…>>()`)
    /// are not recognised, nor collections filled in another function.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let handles: Vec<_> = urls.into_iter().map(|u| tokio::spawn(fetch(u))).collect();
    /// for h in handles {
    ///     h.await??; // the first failure leaves the other downloads running
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let mut set = JoinSet::new();
    /// for u in urls {
    ///     set.spawn(fetch(u));
    /// }
    /// while let Some(res) = set.join_next().await {
    ///     res??; // returning drops `set`, which aborts the rest
    /// }
    /// ```
    pub static EARLY_EXIT_LEAKS_TASKS = {
        name: "early_exit_leaks_tasks",
        rule: Some(Rule::FallibleGroups),
        category: Suspicious,
        cost: Leak,
        summary: "a loop joining handles leaves at the first failure, leaving the other tasks running",
        why: "a group of fallible tasks must be joined or cancelled as a whole",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let collections = handle_collections(cx.file, cx.facts);
    if collections.is_empty() {
        return;
    }
    let mut seen: Vec<LoopId> = Vec::new();
    for (i, b) in cx.facts.bindings.iter().enumerate() {
        if b.ctx.loop_id.is_none() || b.uses.is_empty() {
            continue;
        }
        let id = BindingId(i as u32);
        let Some((collection, loop_id)) = element_of(cx.file, cx.facts, id) else {
            continue;
        };
        let Some(c) = collections.iter().find(|c| c.binding == collection) else {
            continue;
        };
        if seen.contains(&loop_id) {
            continue;
        }
        let lp = cx.facts.loop_(loop_id);
        if !matches!(lp.kind, LoopKind::For | LoopKind::WhileLet) {
            continue;
        }
        let loop_span = loop_extent(cx, lp);
        let joined = cx.facts.uses_of(id).any(|u| {
            let inside = u.span.start >= loop_span.start && u.span.end <= loop_span.end;
            inside && (matches!(u.flow, Flow::Awaited(_)) || matches!(u.flow, Flow::Method(m) if m.method == "join"))
        });
        if !joined {
            continue;
        }
        seen.push(loop_id);
        check_loop(cx, c, loop_id);
    }
}

fn check_loop(cx: &FileCx<'_>, c: &HandleCollection, loop_id: LoopId) {
    let lp = cx.facts.loop_(loop_id);
    let Some(body) = lp.body else { return };
    let loop_span = loop_extent(cx, lp);
    if lp.ctx.fn_id.is_some_and(|f| cx.facts.func(f).name == "main") {
        return;
    }
    // A test's tokio runtime (`#[tokio::test]`, or one a test helper builds and drops after
    // `block_on`) cancels the remaining tasks when the error reaches the test; an example's or
    // a benchmark's runtime when it reaches `main`.
    let in_test = lp.ctx.is_test || cx.is_example_file;
    let all_tokio = c.spawns.iter().all(|id| cx.facts.spawns[id.0 as usize].spawner.family() == Family::Tokio);
    if in_test && all_tokio {
        return;
    }
    // The loop cancels the rest itself.
    let cancels = cx.facts.calls_starting_in(loop_span.start, loop_span.end.saturating_add(1)).any(|call| {
        let s = call.callee_span;
        s.start >= loop_span.start
            && s.end <= loop_span.end
            && match call.method_name() {
                Some(m) => matches!(m, "abort" | "abort_all" | "shutdown" | "cancel"),
                None => call.resolved().is_some_and(|p| p.rsplit("::").next().is_some_and(|f| f.contains("abort"))),
            }
    });
    if cancels {
        return;
    }
    let used_after = cx.facts.uses_of(c.binding).any(|u| u.span.start >= loop_span.end);
    let mut exits: Vec<(&'static str, Span)> = loop_exits(body, lp.label.as_deref())
        .into_iter()
        .filter(|e| !(matches!(e, Expr::Break(_)) && used_after))
        .map(|e| exit_span(cx, e))
        .collect();
    exits.sort_by_key(|(_, s)| s.start);
    // `h.await??`: the second `?` right after the first says nothing more.
    exits.dedup_by(|b, a| b.1.start == a.1.end);
    let Some(first) = exits.first() else { return };
    let coll = cx.facts.binding(c.binding);
    let name = &coll.name;
    let spawns: Vec<_> = c.spawns.iter().map(|id| &cx.facts.spawns[id.0 as usize]).collect();
    let Some(spawn) = spawns.first() else { return };
    let threads = spawns.iter().all(|s| s.spawner.is_thread());
    let what = if threads { "threads" } else { "tasks" };
    let (kind, primary) = *first;
    let mut d = Diagnostic::new(
        &EARLY_EXIT_LEAKS_TASKS,
        primary,
        format!("{kind} leaves the loop joining `{name}` before the other {what} are joined"),
    )
    .primary_label(format!("on this path the handles left in `{name}` are dropped and their {what} run on, detached"));
    d = d.label(lp.keyword_span, format!("this loop joins the handles in `{name}` one at a time"));
    for (k, s) in exits.iter().skip(1) {
        d = d.label(*s, format!("{k} leaves the loop here too"));
    }
    d = d.label(spawn.callee_span, format!("the {what} are started here"));
    d = d.help(match spawn.spawner.family() {
        Family::Std => "join every thread before leaving (keep the first error and return it after the loop), or spawn them in `std::thread::scope`, which joins all of them even when the closure returns early",
        Family::Tokio => "spawn into a `JoinSet` and loop on `join_next()` (dropping the set aborts the remaining tasks), or abort the remaining handles before leaving; `futures::future::try_join_all` over plain (not spawned) futures cancels the rest at the first error",
        _ => "cancel the remaining tasks (`handle.cancel().await`) before leaving, or join all of them and return the first error after the loop",
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// From the loop's keyword to its body's closing brace, without re-tokenizing the loop.
fn loop_extent(cx: &FileCx<'_>, lp: &LoopFacts<'_>) -> Span {
    match lp.body {
        Some(body) => lp.keyword_span.to(cx.span_of(body.brace_token.span.close())),
        None => cx.span(lp.expr),
    }
}

/// What the exit is called in the message, and the span to point at.
fn exit_span(cx: &FileCx<'_>, e: &Expr) -> (&'static str, Span) {
    match e {
        Expr::Try(t) => ("`?`", cx.span(&t.question_token)),
        Expr::Return(_) => ("`return`", cx.span(e)),
        Expr::Break(_) => ("`break`", cx.span(e)),
        _ => ("this", cx.span(e)),
    }
}
