use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::loop_exits;
use crate::facts::handles::binding_of_expr;
use crate::facts::test_attrs::expects_panic;
use crate::facts::{Binding, BindingId, BindingKind, Flow, FnId, LoopFacts, LoopKind, Spawn, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::HashMap;

crate::declare_lint! {
    /// ### What it does
    /// Finds a local `tokio::task::JoinSet` that tasks are spawned into and that goes out of
    /// scope without ever being waited on: no `join_next`, `join_next_with_id`,
    /// `try_join_next`, `join_all`, `shutdown`, `detach_all` or `abort_all`, and never moved
    /// (returned, passed to a function, stored, borrowed by a helper, awaited in another task).
    ///
    /// ### Why is this bad
    /// Dropping a `JoinSet` aborts every task still in it. Code that spawns into a set and lets
    /// it fall out of scope looks like it started background work, but the work is cancelled
    /// at the closing brace, at whatever `.await` it had reached, and the results and panics
    /// of the tasks that did finish are never looked at. Go's `WaitGroup` rule: every spawn
    /// needs its matching wait.
    ///
    /// ### Known problems
    /// Only sets held in a local binding are checked (not fields). Any use of the set besides
    /// spawning into it, `len()` and `is_empty()` counts as handling it: `&mut set` passed to a
    /// helper, the set captured by a closure that does something with it, `abort_all()` (an
    /// explicit choice to cancel), `drop(set)`. A set used on purpose as a scope guard that
    /// aborts background work when the function returns is reported too; say so with
    /// `set.abort_all()` or `drop(set)` at the point where the work should stop, or suppress
    /// the finding with a reason. A set followed by a `loop` that nothing `break`s out of (a
    /// server's accept loop) never reaches the end of its scope and is not reported, nor is a
    /// `#[should_panic]` test.
    ///
    /// ### Example
    /// ```rust,ignore
    /// async fn refresh(keys: Vec<Key>) {
    ///     let mut set = JoinSet::new();
    ///     for key in keys {
    ///         set.spawn(refresh_one(key));
    ///     }
    /// } // every task is aborted here
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// async fn refresh(keys: Vec<Key>) -> Result<(), JoinError> {
    ///     let mut set = JoinSet::new();
    ///     for key in keys {
    ///         set.spawn(refresh_one(key));
    ///     }
    ///     while let Some(done) = set.join_next().await {
    ///         done?;
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub static JOINSET_DROPPED = {
        name: "joinset_dropped",
        rule: Some(Rule::JoinAccounting),
        category: Suspicious,
        cost: Leak,
        summary: "a `JoinSet` receives tasks and is dropped without being joined, aborting them",
        why: "every spawn needs a matching wait; a dropped `JoinSet` silently aborts its tasks",
    };
}

/// A `loop` after the set, in the same block, that no `break` leaves: the set is only dropped
/// when the function fails out of the loop (`?`, `return`), never at the closing brace.
fn never_reaches_scope_end(cx: &FileCx<'_>, b: &Binding<'_>, scope_end: Span, loops: &[&LoopFacts<'_>]) -> bool {
    loops.iter().any(|lp| {
        let Some(body) = lp.body else { return false };
        let same_place = lp.kind == LoopKind::Loop
            && lp.ctx.fn_id == b.ctx.fn_id
            && lp.ctx.loop_id == b.ctx.loop_id
            && lp.ctx.spawn_body == b.ctx.spawn_body
            && lp.ctx.deferred == b.ctx.deferred;
        // The `loop` keyword and the body's closing brace bound the loop without re-tokenizing it.
        let end = cx.span_of(body.brace_token.span.close());
        same_place
            && lp.keyword_span.start > b.span.end
            && end.end <= scope_end.start
            && !loop_exits(body, lp.label.as_deref()).iter().any(|e| matches!(e, syn::Expr::Break(_)))
    })
}

/// Methods that neither wait for the set's tasks nor hand them anywhere.
fn is_non_joining_method(name: &str) -> bool {
    crate::facts::spawns::is_spawn_method(name) || matches!(name, "len" | "is_empty" | "build_task")
}

pub fn check(cx: &FileCx<'_>) {
    // The sets spawned into, in order of their first spawn, each with its spawns.
    let mut sets: Vec<(BindingId, Vec<&Spawn<'_>>)> = Vec::new();
    let mut index: HashMap<BindingId, usize> = HashMap::new();
    for spawn in &cx.facts.spawns {
        if spawn.spawner != Spawner::JoinSet {
            continue;
        }
        let syn::Expr::MethodCall(m) = spawn.call else {
            continue;
        };
        let Some(set) = binding_of_expr(cx.facts, &m.receiver) else {
            continue;
        };
        let i = *index.entry(set).or_insert_with(|| {
            sets.push((set, Vec::new()));
            sets.len() - 1
        });
        sets[i].1.push(spawn);
    }
    if sets.is_empty() {
        return;
    }
    // `loop`s by the function they are in, for `never_reaches_scope_end`.
    let mut loops: HashMap<Option<FnId>, Vec<&LoopFacts<'_>>> = HashMap::new();
    for lp in &cx.facts.loops {
        loops.entry(lp.ctx.fn_id).or_default().push(lp);
    }
    for (set, spawns) in &sets {
        check_set(cx, *set, spawns, loops.get(&cx.facts.binding(*set).ctx.fn_id).map_or(&[], Vec::as_slice));
    }
}

fn check_set(cx: &FileCx<'_>, set: BindingId, spawns: &[&Spawn<'_>], loops: &[&LoopFacts<'_>]) {
    let b = cx.facts.binding(set);
    if b.kind != BindingKind::Let {
        return;
    }
    let Some(scope_end) = b.scope_end else { return };
    let expects_panic = b.ctx.fn_id.is_some_and(|f| expects_panic(cx.facts.func(f).attrs));
    if expects_panic || never_reaches_scope_end(cx, b, scope_end, loops) {
        return;
    }
    let handled = cx
        .facts
        .uses_of(set)
        .any(|u| !matches!(u.flow, Flow::Method(m) if is_non_joining_method(&m.method.to_string())));
    if handled {
        return;
    }
    let Some(first) = spawns.first() else { return };
    let name = &b.name;
    let mut d = Diagnostic::new(
        &JOINSET_DROPPED,
        b.span,
        format!("the `JoinSet` in `{name}` is dropped without being joined, which aborts every task in it"),
    )
    .primary_label(format!("`{name}` is never joined, shut down or moved"));
    let many = spawns.len() > 1 || first.ctx.loop_id != b.ctx.loop_id;
    let what = if many { "tasks are spawned into it here" } else { "a task is spawned into it here" };
    d = d.label(first.callee_span, what);
    d = d.label(scope_end, format!("`{name}` goes out of scope here and aborts its tasks"));
    d = d.help(format!(
        "wait for the tasks before `{name}` goes out of scope: `while let Some(res) = {name}.join_next().await {{ res?; }}`, or `{name}.join_all().await`; call `{name}.detach_all()` to let them run on, or `{name}.shutdown().await` to cancel them on purpose"
    ));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
