use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::{DiscardKind, Flow, Spawn, Spawner};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds a smol / `async-task` `Task` (from `smol::spawn`, `Executor::spawn`,
    /// `LocalExecutor::spawn`, `async_global_executor::spawn`) that is dropped as soon as it is
    /// created: the spawn is an expression statement (`smol::spawn(fut);`), or its `Task` is
    /// bound to `_` (`let _ = ex.spawn(fut);`, `_ = smol::spawn(fut);`).
    ///
    /// ### Why is this bad
    /// Unlike a tokio or std `JoinHandle`, a smol `Task` *cancels* its task when dropped. A
    /// `Task` dropped at the end of the statement cancels the work before it had a chance to
    /// run: the code looks like it starts a background job and does nothing. To let a task run
    /// on its own, `smol` wants an explicit `.detach()`.
    ///
    /// ### Known problems
    /// `drop(smol::spawn(fut))` and a `Task` bound to a name (`let _task = …`) are left alone:
    /// both say that dropping, and so cancelling, is meant (the second keeps the task alive for
    /// the scope, a common smol idiom). An executor whose type is not visible (a parameter of an
    /// unannotated generic type, a value from another crate's function) is not recognised.
    ///
    /// ### Example
    /// ```rust,ignore
    /// smol::spawn(async move { flush(db).await });
    /// let _ = ex.spawn(heartbeat());
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// smol::spawn(async move { flush(db).await }).detach();
    /// let heartbeat = ex.spawn(heartbeat()); // await or drop it when it should stop
    /// ```
    pub static TASK_DROPPED_ON_SPAWN = {
        name: "task_dropped_on_spawn",
        rule: Some(Rule::ClearExit),
        category: Correctness,
        cost: Hang,
        summary: "a smol `Task` is dropped at once, which cancels the task before it runs",
        why: "a task that is cancelled as it is created never does its work",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        if spawn.spawner != Spawner::Smol || spawn.per_element || !matches!(spawn.flow, Flow::Discarded) {
            continue;
        }
        // `Flow::Discarded` also covers the body of a loop; only a statement drops the `Task`.
        let Some(discard) = cx.facts.discard_of(spawn.call) else {
            continue;
        };
        report(cx, spawn, discard);
    }
}

fn report(cx: &FileCx<'_>, spawn: &Spawn<'_>, kind: DiscardKind) {
    let label = match kind {
        DiscardKind::Statement => {
            "this `Task` is dropped at the end of the statement, cancelling the task before it runs"
        }
        DiscardKind::LetWild | DiscardKind::AssignWild => {
            "binding to `_` drops this `Task` at once, cancelling the task before it runs"
        }
    };
    let call = cx.span(spawn.call);
    let mut d = Diagnostic::new(
        &TASK_DROPPED_ON_SPAWN,
        call,
        format!("the `Task` returned by `{}` is dropped at once, which cancels the task", spawn.api),
    )
    .primary_label(label)
    .help("call `.detach()` to let the task run on its own, or keep the `Task` in a binding and `.await` it (dropping it cancels the task)")
    .suggest(
        "detach the task so that it runs to completion",
        Span::new(cx.file, call.end as usize, call.end as usize),
        ".detach()",
        Applicability::MachineApplicable,
    );
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
