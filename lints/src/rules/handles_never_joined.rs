use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::handles::{handle_collections, HandleCollection};
use crate::facts::{Family, Flow, Spawn};
use crate::registry::Rule;
use crate::rules::detached_spawn::is_detached_endless;

crate::declare_lint! {
    /// ### What it does
    /// Finds a local collection of join handles that is filled and then never looked at
    /// again: handles of `std::thread::spawn`, `thread::Builder::spawn`, `tokio::spawn`,
    /// `spawn_blocking`, `spawn_local`, `Handle::spawn` or `async_std::task::spawn` pushed into
    /// it (`handles.push(…)`, `extend`, `insert`) or collected into it
    /// (`let handles: Vec<_> = (0..n).map(|_| spawn(…)).collect()`), and the collection is never
    /// iterated, drained, joined, awaited, aborted, returned, stored or passed on before it
    /// goes out of scope.
    ///
    /// ### Why is this bad
    /// Collecting handles says "I will wait for these", and then nobody does. When the
    /// collection drops, std threads and tokio / async-std tasks are detached: they run on
    /// after the function returned, their results and panics are lost, and the caller believes
    /// the work is done. Go's `WaitGroup` rule: every `Add` needs its `Wait`.
    ///
    /// ### Known problems
    /// Any use of the collection besides adding to it, `len()`, `is_empty()`, `reserve()` and
    /// `capacity()` counts as joining it, so a collection handed to a helper is trusted to be
    /// joined there. Collections held in fields are not checked. Handles of scoped threads
    /// (joined by their scope), `JoinSet` and `TaskTracker` spawns (managed by their owner;
    /// see `joinset_dropped`) and smol `Task`s (cancelled on drop) are not handles this lint
    /// counts. A collection of handles to endless tasks that `detached_spawn` reports is
    /// left to that lint.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let mut workers = Vec::new();
    /// for shard in shards {
    ///     workers.push(std::thread::spawn(move || compact(shard)));
    /// }
    /// println!("compaction started");
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let mut workers = Vec::new();
    /// for shard in shards {
    ///     workers.push(std::thread::spawn(move || compact(shard)));
    /// }
    /// for worker in workers {
    ///     worker.join().expect("compaction thread panicked");
    /// }
    /// ```
    pub static HANDLES_NEVER_JOINED = {
        name: "handles_never_joined",
        rule: Some(Rule::JoinAccounting),
        category: Suspicious,
        cost: Leak,
        summary: "join handles are collected and never joined, awaited or aborted",
        why: "every spawn needs a matching wait; dropped handles detach their work and lose its panics",
    };
}

/// Methods on a collection that add to it or look at its size, and so do not join anything.
fn is_non_joining_method(name: &str) -> bool {
    matches!(
        name,
        "push"
            | "push_back"
            | "push_front"
            | "insert"
            | "extend"
            | "append"
            | "len"
            | "is_empty"
            | "reserve"
            | "reserve_exact"
            | "capacity"
    )
}

pub fn check(cx: &FileCx<'_>) {
    for collection in handle_collections(cx.file, cx.facts) {
        check_collection(cx, &collection);
    }
}

fn check_collection(cx: &FileCx<'_>, c: &HandleCollection) {
    let b = cx.facts.binding(c.binding);
    let Some(scope_end) = b.scope_end else { return };
    let joined = cx
        .facts
        .uses_of(c.binding)
        .any(|u| !matches!(u.flow, Flow::Method(m) if is_non_joining_method(&m.method.to_string())));
    if joined {
        return;
    }
    let spawns: Vec<&Spawn<'_>> = c.spawns.iter().map(|id| &cx.facts.spawns[id.0 as usize]).collect();
    if spawns.iter().all(|s| is_detached_endless(cx, s)) {
        return;
    }
    let Some(first) = spawns.first() else { return };
    let threads = spawns.iter().all(|s| s.spawner.is_thread());
    let (what, wait) = if threads { ("thread", "joined") } else { ("task", "awaited") };
    let name = &b.name;
    let mut d = Diagnostic::new(
        &HANDLES_NEVER_JOINED,
        b.span,
        format!("the {what} handles collected in `{name}` are never {wait}"),
    )
    .primary_label(format!("`{name}` collects join handles, and nothing joins them"));
    for s in &spawns {
        let verb = if s.per_element { "collected" } else { "put" };
        d = d.label(s.callee_span, format!("the handle of this `{}` is {verb} into `{name}`", s.api));
    }
    let detached = match first.spawner.family() {
        Family::Std => "detaching every thread: each runs on after the function returns, and its panic is lost",
        _ => "detaching every task: each runs on after the function returns, and its result and panic are lost",
    };
    d = d.label(scope_end, format!("`{name}` is dropped here, {detached}"));
    d = d.help(match first.spawner.family() {
        Family::Std => format!(
            "join them before `{name}` goes out of scope: `for h in {name} {{ h.join().expect(\"worker thread panicked\"); }}`, or spawn them in `std::thread::scope`, which joins every thread"
        ),
        Family::Tokio => format!(
            "await them before `{name}` goes out of scope (`for h in {name} {{ h.await?; }}`), or spawn into a `JoinSet` and `join_all()` it"
        ),
        _ => format!("await them before `{name}` goes out of scope: `for h in {name} {{ h.await; }}`"),
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
