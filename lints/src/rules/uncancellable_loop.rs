use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::{find_endless_loop, observes_shutdown, spawned_code};
use crate::facts::handles::{handle_cancellation, Cancellation};
use crate::facts::{Family, Flow, Spawn, Spawner};
use crate::registry::Rule;
use crate::rules::detached_spawn::is_detached_endless;

crate::declare_lint! {
    /// ### What it does
    /// Finds a spawned thread or task (joined or not) whose body runs an endless loop — a
    /// `loop`, `while true`, a `for` over an endless source such as `incoming()` — with no
    /// `break`, `return` or `?` that leaves it, and that checks no cancellation token, shutdown
    /// channel or stop flag. For tokio and async-std tasks, a visible `handle.abort()`
    /// (`abort_handle()`, `cancel()`, an `AbortOnDropHandle`) counts as cancellation.
    ///
    /// A spawn whose handle is dropped gets `detached_spawn` instead, never both. Spawns on a
    /// `JoinSet` (aborted when the set drops) and smol `Task`s (cancelled when dropped) have a
    /// cancellation built in and are left alone, and so are tasks spawned in test code: the
    /// test's runtime cancels them when the test returns.
    ///
    /// ### Why is this bad
    /// Go's rule: pass a context and honour cancellation. Work that cannot be told to stop
    /// makes shutdown hang: joining the thread never returns, a `thread::scope` never ends,
    /// `TaskTracker::wait` waits forever, and a task killed only by the runtime's drop is cut
    /// off at an arbitrary `.await` instead of finishing what it was doing. A std thread cannot
    /// be cancelled from outside at all; only a flag or a channel it checks can stop it.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** Its one finding on corpus C (1,043 crates, reviewed
    /// blind on 2026-12-03) was false: an endless demo in a file no Cargo target builds. With
    /// no measured true positive it cannot claim the bar of a default-on lint; turn it on
    /// (`-W uncancellable_loop` or `pedantic = "warn"`) to review long-running services.
    ///
    /// The analysis is syntactic. Any identifier naming a shutdown mechanism (`shutdown`,
    /// `stop`, `cancel`, `token`, `running`, `closed`…) anywhere in the body counts as a
    /// check. A handle that leaves the function counts as cancellable when the file aborts
    /// anything; a handle aborted in another file is not seen. Code reached through calls to
    /// functions other than a spawned `run(…)` defined in the same file is not looked into.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let worker = std::thread::spawn(move || loop {
    ///     let job = queue.pop();
    ///     job.run();
    /// });
    /// // …
    /// worker.join().unwrap(); // never returns
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let stop = Arc::new(AtomicBool::new(false));
    /// let flag = stop.clone();
    /// let worker = std::thread::spawn(move || {
    ///     while !flag.load(Ordering::Relaxed) {
    ///         let job = queue.pop();
    ///         job.run();
    ///     }
    /// });
    /// stop.store(true, Ordering::Relaxed);
    /// worker.join().unwrap();
    /// ```
    pub static UNCANCELLABLE_LOOP = {
        name: "uncancellable_loop",
        rule: Some(Rule::Cancellation),
        category: Pedantic,
        cost: Leak,
        summary: "a spawned endless loop checks no cancellation token, shutdown channel or stop flag",
        why: "work that cannot be told to stop makes shutdown hang or cuts it off mid-step",
    };
}

pub fn check(cx: &FileCx<'_>) {
    // One finding per loop: two spawns of the same `run()` share its loop.
    let mut reported = std::collections::HashSet::new();
    for spawn in &cx.facts.spawns {
        check_spawn(cx, spawn, &mut reported);
    }
}

fn check_spawn(cx: &FileCx<'_>, spawn: &Spawn<'_>, reported: &mut std::collections::HashSet<u32>) {
    // Built-in cancellation: a `JoinSet` aborts its tasks when dropped, a smol `Task`
    // cancels on drop (and a detached one is `detached_spawn`'s). Fire-and-forget pools have
    // no handle at all: `detached_spawn` speaks for them.
    if matches!(spawn.spawner, Spawner::JoinSet | Spawner::Smol) || spawn.spawner.is_fire_and_forget() {
        return;
    }
    let Some(body) = spawn.body else { return };
    let Some(code) = spawned_code(body, cx.facts) else { return };
    let Some(endless) = find_endless_loop(cx.file, code) else { return };
    if observes_shutdown(code) || is_detached_endless(cx, spawn) {
        return;
    }
    let blocking = spawn.spawner == Spawner::TokioBlocking || spawn.api.ends_with("spawn_blocking");
    let abortable = matches!(spawn.spawner.family(), Family::Tokio | Family::AsyncStd) && !blocking;
    // A test's runtime is dropped when the test returns, and that cancels its tasks.
    if abortable && spawn.ctx.is_test {
        return;
    }
    if abortable && handle_cancellation(cx.file, cx.facts, spawn) != Cancellation::None {
        return;
    }
    if !reported.insert(endless.keyword.start) {
        return;
    }
    let what = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let message = match spawn.spawner {
        Spawner::StdScoped => "scoped thread loops forever and nothing can stop it: the scope never ends".to_string(),
        Spawner::RayonScope => {
            "task in a rayon scope loops forever and nothing can stop it: the scope never ends".to_string()
        }
        Spawner::TaskTracker => {
            "tracked task loops forever and checks no cancellation: waiting on the tracker never returns".to_string()
        }
        _ if spawn.spawner.is_thread() => "spawned thread loops forever and checks no stop signal".to_string(),
        _ if blocking => "blocking task loops forever and checks no stop signal".to_string(),
        _ => "spawned task loops forever and checks no cancellation token or shutdown signal".to_string(),
    };
    let mut d = Diagnostic::new(&UNCANCELLABLE_LOOP, endless.keyword, message)
        .primary_label("this loop has no `break` or `return` and checks no shutdown signal")
        .label(spawn.callee_span, format!("the {what} is spawned here with `{}`", spawn.api));
    if let Some((span, label)) = waits_forever(cx, spawn, what) {
        d = d.label(span, label);
    }
    let help = match spawn.spawner.family() {
        _ if blocking => {
            "check a stop flag (`AtomicBool`) or a shutdown channel in the loop and `break` when it is set: `abort()` cannot stop a blocking task"
        }
        Family::Std => {
            "check a stop flag (`AtomicBool`) or a shutdown channel in the loop and `break` when it is set: a thread cannot be cancelled from outside"
        }
        Family::Tokio if spawn.spawner == Spawner::TaskTracker => {
            "select on a `CancellationToken` in the loop (`_ = token.cancelled() => break`) and cancel it before `tracker.wait()`"
        }
        Family::Tokio => {
            "select on a `CancellationToken` in the loop (`_ = token.cancelled() => break`) or a shutdown channel, or keep the handle and call `abort()` on shutdown"
        }
        Family::AsyncStd => {
            "select on a shutdown channel in the loop and `break` on it, or keep the handle and `.cancel().await` it on shutdown"
        }
        Family::Rayon => "check a stop flag (`AtomicBool`) in the loop and return when it is set: the scope waits for every task",
        Family::Smol | Family::Futures => "select on a shutdown channel in the loop and `break` on it",
    };
    d = d.help(help);
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// Where the program waits for the endless work, if in sight: `handle.join()`, `handle.await`.
fn waits_forever(cx: &FileCx<'_>, spawn: &Spawn<'_>, what: &str) -> Option<(crate::source::Span, String)> {
    let label = |verb: &str| format!("{verb} this {what} never returns");
    let from_flow = |flow: &Flow<'_>| match flow {
        Flow::Method(m) if m.method == "join" => Some((cx.span_of(m.method.span()), label("joining"))),
        // Only an `.await` the user wrote: a `select!` branch awaits its future next to others.
        Flow::Awaited(a) if cx.snippet(cx.span(&a.await_token)) == "await" => {
            Some((cx.span(&a.await_token), label("awaiting")))
        }
        _ => None,
    };
    if let Some(found) = from_flow(&spawn.flow) {
        return Some(found);
    }
    let Flow::Let(syn::Pat::Ident(p)) = spawn.flow else { return None };
    let b = cx.facts.binding_at(cx.span_of(p.ident.span()))?;
    cx.facts.uses_of(b).find_map(|u| from_flow(&u.flow))
}
