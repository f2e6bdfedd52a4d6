use crate::context::{ExportedFact, FileCx, PendingDiagnostic, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::{
    find_endless_loop, observes_shutdown, only_call, spawned_call, spawned_code, spawned_method_call, SpawnedCode,
};
use crate::facts::handles::{handle_fate, DropKind, HandleFate};
use crate::facts::walk::expr_text;
use crate::facts::{Family, Spawn, Spawner};
use crate::model::spawns::{self, PendingSpawn};
use crate::registry::Rule;
use syn::visit::Visit;

crate::declare_lint! {
    /// ### What it does
    /// Finds a thread or task that runs an endless loop while nothing keeps its handle: the
    /// handle is dropped at once (`tokio::spawn(…);`, `let _ = …`, `drop(handle)`,
    /// `std::mem::forget`, smol's `.detach()`, a binding never read again), or the spawner has
    /// none (`rayon::spawn`), and the loop has no `break`, `return` or `?` and checks no
    /// shutdown signal (a `CancellationToken`, a shutdown or stop channel, a stop flag).
    /// A loop that panics out of a call failing once its other side is gone
    /// (`tx.send(x).unwrap()` when the receiver is dropped, `rx.recv().unwrap()`,
    /// `socket.write_all(buf).expect(…)`, a websocket's `ws.read().unwrap()`) ends with that
    /// other side, like a loop that returns the error with `?`.
    ///
    /// The driver of a process-wide singleton is left alone: a spawn inside a once-only
    /// initialiser (`INIT.call_once(|| …)`, `CELL.get_or_init(|| …)`), or after its function
    /// installed a global that can be installed only once (`try_init_global()?`,
    /// `set_global_default(…)`), happens at most once per process, and living as long as the
    /// process is what it is for.
    ///
    /// The lint covers library and binary code. Test code (`#[test]` functions, `#[cfg(test)]`
    /// modules, inline or declared as `#[cfg(test)] mod tests;`, files under `tests/`), examples
    /// and benchmarks (files under `examples/` and `benches/`) are left alone: a task spawned there
    /// dies with the test's runtime or with the program's `main`, and a server or ticker that lives
    /// as long as the demo is the point of the demo. A thread a test leaves running is
    /// `test_leaks_spawn`'s finding.
    ///
    /// ### Why is this bad
    /// Go's first rule: every goroutine needs a clear exit. A detached task that never ends
    /// cannot be stopped on shutdown, leaks whatever it holds, and its panic is lost: std,
    /// tokio and async-std keep running work whose `JoinHandle` was dropped, and nobody will
    /// ever see its result. `rayon::spawn` is fire-and-forget, and a panic in it aborts the
    /// process unless the pool has a `panic_handler`.
    ///
    /// ### Known problems
    /// The analysis is syntactic. A handle kept in a variable that is later passed elsewhere
    /// counts as kept. A spawned closure or `async` block that only calls a function defined
    /// once in the same file (`move || run_forever(rx)`, `async move { serve(l).await }`) is
    /// looked into, one call deep, and the finding labels the call. So is a function of
    /// another file of the package that the spawn only calls, named through its module
    /// (`move || worker::run(rx)`, `tokio::spawn(poller::poll(s))`) or brought in by a `use`
    /// item (`use crate::poller::poll_forever;`), or an associated function of a type brought
    /// in from another module (`move || Pump::run(rx)` with `use crate::pump::Pump;`): the
    /// crate model finds the module's file and, in it, a top-level function of that name (or
    /// that type's function, in an inherent `impl` block at the top of the file) whose loop
    /// has no exit and checks no shutdown signal, and labels that loop in its file. Such a
    /// file is read whenever a spawn waits on it, whatever else it holds. A body that only
    /// calls a method of a local whose type the function shows (`let worker =
    /// Worker::new(cfg); thread::spawn(move || worker.run())`, `Worker { … }`, `worker:
    /// Worker`, also inside `Arc::new`, `Rc::new` or `Box::new` or declared `Arc<Worker>`)
    /// runs that type's method, in this file or in the file of the module the type is brought
    /// in from. A body that does more than that call, a method of a receiver whose type is not
    /// written there (a generic parameter, a field, a clone of another local), a function
    /// re-exported under another path, one of a type whose `impl` is in another file than its
    /// module's, or one of another crate, is not looked into, so such spawns stay silent. Any
    /// identifier that names a shutdown mechanism
    /// (`shutdown`, `stop`, `cancel`, `token`, `running`…) anywhere in the body counts as a
    /// shutdown check.
    ///
    /// ### Example
    /// ```rust,ignore
    /// tokio::spawn(async move {
    ///     loop {
    ///         tick.tick().await;
    ///         flush().await;
    ///     }
    /// });
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let flusher = tokio::spawn(async move {
    ///     loop {
    ///         tokio::select! {
    ///             _ = token.cancelled() => break,
    ///             _ = tick.tick() => flush().await,
    ///         }
    ///     }
    /// });
    /// // on shutdown:
    /// token.cancel();
    /// flusher.await?;
    /// ```
    pub static DETACHED_SPAWN = {
        name: "detached_spawn",
        rule: Some(Rule::ClearExit),
        category: Suspicious,
        cost: Leak,
        summary: "a spawned thread or task runs forever and nothing can stop or join it",
        why: "a detached task leaks its memory and hides its panics",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        // Test code, examples and benchmarks: the work ends with the test's runtime or with
        // the program's `main`. What a test leaves running is `test_leaks_spawn`'s business.
        if spawn.ctx.is_test || cx.is_example_file {
            continue;
        }
        if drives_process_singleton(cx, spawn) {
            continue;
        }
        if let Some(Finding { diagnostic, elsewhere: None }) = check_spawn(cx, spawn) {
            cx.report(diagnostic);
        }
    }
}

/// Exports what the crate model needs to follow spawns into other files: this file's spawns
/// whose loop would be in another file's function, and this file's functions that loop
/// forever.
pub fn collect(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        if spawn.ctx.is_test || cx.is_example_file || drives_process_singleton(cx, spawn) {
            continue;
        }
        if let Some(Finding { diagnostic, elsewhere: Some((module, owner, name)) }) = check_spawn(cx, spawn) {
            let finding = PendingDiagnostic(Box::new(diagnostic));
            cx.export(ExportedFact::PendingSpawn(Box::new(PendingSpawn { module, owner, name, finding })));
        }
    }
    spawns::export_endless(cx, &|block| {
        let code = SpawnedCode::Block(block);
        let endless = find_endless_loop(cx.file, code)?;
        (!observes_shutdown(code)).then_some(endless.keyword)
    });
}

/// Spawns that run, and only run, a function of another file of the package that loops
/// forever (`thread::spawn(move || worker::run(rx))`).
pub fn check_across_files(cx: &WorkspaceCx<'_>) {
    for (pending, keyword) in spawns::resolved(cx) {
        let d = (*pending.finding.0).clone().label(keyword, LOOP_LABEL);
        cx.report(d);
    }
}

const LOOP_LABEL: &str = "this loop has no exit and checks no shutdown signal";

/// A finding, complete, or waiting for the crate model: `elsewhere` is the module path and
/// name of the function of another file that must loop forever for it to stand.
struct Finding {
    diagnostic: Diagnostic,
    elsewhere: Option<(Vec<String>, Option<String>, String)>,
}

/// The spawn starts the driver of a process-wide singleton, so it happens at most once per
/// process and is meant to live as long as the process: it runs inside a once-only
/// initialiser (`INIT.call_once(|| …)`, `CELL.get_or_init(|| …)`), or its function first
/// installs a global that can be installed only once (`behaviour.try_init_global()?`,
/// `set_global_default(…)`), so a second call fails before reaching the spawn.
fn drives_process_singleton(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let Some(function) = spawn.ctx.fn_id.map(|f| cx.facts.func(f)) else { return false };
    let at = cx.span(spawn.call);
    struct Finder<'c, 'a> {
        cx: &'c FileCx<'a>,
        at: crate::source::Span,
        found: bool,
    }
    impl<'a> Visit<'a> for Finder<'_, '_> {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            let name = m.method.to_string();
            let span = self.cx.span(m);
            let encloses = span.start <= self.at.start && self.at.end <= span.end;
            if encloses && ONCE_INITIALISERS.contains(&name.as_str()) {
                self.found = true;
            }
            if span.end <= self.at.start && installs_global(&name) {
                self.found = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            let span = self.cx.span(c);
            if let syn::Expr::Path(p) = &*c.func {
                let name = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                if span.end <= self.at.start && installs_global(&name) {
                    self.found = true;
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let mut f = Finder { cx, at, found: false };
    f.visit_block(function.body);
    f.found
}

const ONCE_INITIALISERS: &[&str] = &["call_once", "call_once_force", "get_or_init", "get_or_try_init"];

/// `init_global`, `try_init_global`, `set_global_default`, `install_global`: a call that
/// installs a process-wide value, which fails or panics when one is installed already.
fn installs_global(name: &str) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    words.contains(&"global") && words.iter().any(|w| matches!(*w, "init" | "set" | "install" | "register"))
}

/// Whether this spawn is a detached endless one, wherever it is (tests and examples included);
/// `uncancellable_loop` uses it to leave such loops to this lint's judgement.
pub fn is_detached_endless(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    check_spawn(cx, spawn).is_some_and(|f| f.elsewhere.is_none())
}

fn check_spawn(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> Option<Finding> {
    let fate = handle_fate(cx.file, cx.facts, spawn);
    let HandleFate::Dropped { kind, span: dropped_at, .. } = fate else { return None };
    // A smol task dropped at once is cancelled, not detached: `task_dropped_on_spawn` says so.
    if spawn.spawner == Spawner::Smol && kind != DropKind::Detach {
        return None;
    }
    let body = spawn.body?;
    // The loop is in the spawned code, or in the function of the file it only calls
    // (`move || run_forever(rx)`), whose arguments may carry the shutdown signal too, or in a
    // function of another file it only calls (`move || worker::run(rx)`), which the crate
    // model looks into.
    let (endless, via, elsewhere) = match spawned_code(body, cx.facts) {
        Some(outer) => match find_endless_loop(cx.file, outer) {
            Some(endless) => {
                if observes_shutdown(outer) {
                    return None;
                }
                (Some(endless), None, None)
            }
            None => match only_call(body, cx.facts) {
                Some((code, call)) => {
                    let endless = find_endless_loop(cx.file, code)?;
                    if observes_shutdown(code) || observes_shutdown(outer) {
                        return None;
                    }
                    (Some(endless), Some((cx.span(call), expr_text(&call.func))), None)
                }
                None => {
                    let route = called_elsewhere(cx, body)?;
                    if route.code.is_some_and(observes_shutdown) || observes_shutdown(outer) {
                        return None;
                    }
                    (route.endless, Some(route.via), route.elsewhere)
                }
            },
        },
        None => {
            let route = called_elsewhere(cx, body)?;
            if route.code.is_some_and(observes_shutdown) || observes_shutdown(SpawnedCode::Expr(body)) {
                return None;
            }
            (route.endless, Some(route.via), route.elsewhere)
        }
    };
    let family = spawn.spawner.family();
    let what = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let handle = spawn.spawner.handle_name();
    let message = match family {
        Family::Rayon => format!("`{}` runs an endless loop on a pool thread and nothing can stop it", spawn.api),
        Family::Futures => format!("`{}` runs an endless task and nothing can stop it", spawn.api),
        Family::Smol => "detached task runs forever and nothing can stop it".to_string(),
        _ => format!("spawned {what} runs forever and nothing can stop or join it"),
    };
    let drop_label = match kind {
        DropKind::Discarded => format!("the `{handle}` is dropped here, detaching the {what}"),
        DropKind::Drop => format!("the `{handle}` is dropped here, detaching the {what}"),
        DropKind::Forget => format!("the `{handle}` is forgotten here, detaching the {what}"),
        DropKind::Detach => "the task is detached here".to_string(),
        DropKind::NeverRead => format!("the `{handle}` is bound here and never used, so the {what} is detached"),
        DropKind::NoHandle => "fire-and-forget: there is no handle to join or cancel".to_string(),
    };
    let mut d = Diagnostic::new(&DETACHED_SPAWN, spawn.callee_span, message);
    if dropped_at == spawn.callee_span {
        d = d.primary_label(drop_label);
    } else {
        d = d.primary_label(format!("this {what} is spawned here")).label(dropped_at, drop_label);
    }
    if let Some((call, name)) = via {
        d = d.label(call, format!("the {what} runs `{name}`, which loops forever"));
    }
    if let Some(endless) = endless {
        d = d.label(endless.keyword, LOOP_LABEL);
    }
    let help = match family {
        Family::Tokio => "keep the handle and await it on shutdown, or spawn on a `TaskTracker` and select on a `CancellationToken`",
        Family::Std => "keep the `JoinHandle` and join it on shutdown, and make the loop check a stop flag or a channel closed on shutdown",
        Family::AsyncStd => "keep the `JoinHandle` and `.cancel().await` or await it on shutdown, and make the loop select on a shutdown channel",
        Family::Smol => "keep the `Task` instead of detaching it (dropping it cancels the task), or make the loop select on a shutdown channel",
        Family::Rayon => "give the loop a stop flag or a channel to exit on, or run it on a dedicated `std::thread` whose handle you join",
        Family::Futures => "use `spawn_with_handle` and keep the handle, or make the loop exit on a shutdown channel",
    };
    d = d.help(help);
    if family == Family::Rayon {
        d = d.note(
            "`rayon::spawn` is fire-and-forget: a panic in it aborts the process unless the pool has a `panic_handler`",
        );
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    Some(Finding { diagnostic: d, elsewhere })
}

/// Where the loop of a spawned body that only calls a function or a method is: in a method
/// of this file (`code`, and the `endless` loop found there), or in a function of another file
/// (`elsewhere`, for the crate model); `via` is the call and how the label names it.
struct Route<'a> {
    code: Option<SpawnedCode<'a>>,
    endless: Option<crate::facts::bodies::EndlessLoop<'a>>,
    via: (crate::source::Span, String),
    elsewhere: Option<(Vec<String>, Option<String>, String)>,
}

fn called_elsewhere<'a>(cx: &FileCx<'a>, body: &'a syn::Expr) -> Option<Route<'a>> {
    if let Some(m) = spawned_method_call(body) {
        let ty = receiver_type(cx, &m.receiver)?;
        let method = m.method.to_string();
        let via = (cx.span(m), format!("{}.{method}", expr_text(&m.receiver)));
        let here: Vec<_> =
            cx.facts.fns.iter().filter(|f| f.name == method && f.self_ty.as_deref() == Some(ty.as_str())).collect();
        return match here.as_slice() {
            [f] => {
                let code = SpawnedCode::Block(f.body);
                let endless = find_endless_loop(cx.file, code)?;
                Some(Route { code: Some(code), endless: Some(endless), via, elsewhere: None })
            }
            [] => {
                let path: syn::Path = syn::parse_str(&format!("{ty}::{method}")).ok()?;
                let (module, owner, name) = spawns::associated_call_target(cx, &path)?;
                Some(Route { code: None, endless: None, via, elsewhere: Some((module, Some(owner), name)) })
            }
            _ => None,
        };
    }
    let call = spawned_call(body)?;
    let target = in_another_file(cx, call)?;
    Some(Route { code: None, endless: None, via: (cx.span(call), expr_text(&call.func)), elsewhere: Some(target) })
}

/// The type of a spawned method call's receiver, when the function says it: a local made by
/// `Type::new(…)` (or `with_…`, `from_…`, `default`, with `?`, `unwrap` or `expect` after it)
/// or by `Type { … }`, each maybe inside `Arc::new`, `Rc::new` or `Box::new` (the method
/// call derefs through the pointer), or a local or parameter declared `: Type` (or
/// `Arc<Type>`, …). Generic parameters, fields and clones are not looked through.
fn receiver_type(cx: &FileCx<'_>, receiver: &syn::Expr) -> Option<String> {
    let binding = cx.facts.binding(cx.facts.binding_of_expr(receiver)?);
    if !matches!(binding.kind, crate::facts::BindingKind::Let | crate::facts::BindingKind::Param) {
        return None;
    }
    let from_path = |path: &syn::Path| {
        let last = path.segments.last()?;
        let name = last.ident.to_string();
        let capitalised = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        let wrapper = matches!(name.as_str(), "Arc" | "Rc" | "Box" | "Mutex" | "RwLock" | "Option" | "Result" | "Self");
        (capitalised && !wrapper && name.len() > 1).then_some(name)
    };
    if let Some(ty) = binding.ty {
        return from_path(crate::facts::types::type_path(ty)?);
    }
    let mut init = binding.init?;
    loop {
        match init {
            syn::Expr::Try(t) => init = &t.expr,
            syn::Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => init = &m.receiver,
            syn::Expr::Paren(p) => init = &p.expr,
            syn::Expr::Call(c) if c.args.len() == 1 && is_pointer_new(&c.func) => init = &c.args[0],
            _ => break,
        }
    }
    match init {
        syn::Expr::Struct(s) if s.qself.is_none() => from_path(&s.path),
        syn::Expr::Call(c) => {
            let syn::Expr::Path(p) = &*c.func else { return None };
            let n = p.path.segments.len();
            let f = p.path.segments.last()?.ident.to_string();
            let constructor = f == "new"
                || f == "default"
                || f.starts_with("new_")
                || f.starts_with("with_")
                || f.starts_with("from_");
            if p.qself.is_some() || n < 2 || !constructor {
                return None;
            }
            let ty = syn::Path { leading_colon: None, segments: p.path.segments.iter().take(n - 1).cloned().collect() };
            from_path(&ty)
        }
        _ => None,
    }
}

/// `Arc::new`, `Rc::new`, `Box::new` (with any path before the type: `std::sync::Arc::new`).
fn is_pointer_new(func: &syn::Expr) -> bool {
    let syn::Expr::Path(p) = func else { return false };
    let segments: Vec<_> = p.path.segments.iter().rev().take(2).map(|s| s.ident.to_string()).collect();
    p.qself.is_none()
        && matches!(segments.as_slice(), [f, ty] if f == "new" && matches!(ty.as_str(), "Arc" | "Rc" | "Box"))
}

/// The module path, type and name of the function a spawned call runs, when no function of
/// this file has that name (`worker::run(rx)`, or `run(rx)` brought in by `use
/// crate::worker::run`), or it is a function of a type brought in from another module
/// (`Pump::run(rx)` with `use crate::pump::Pump`).
fn in_another_file(cx: &FileCx<'_>, call: &syn::ExprCall) -> Option<(Vec<String>, Option<String>, String)> {
    let syn::Expr::Path(p) = &*call.func else { return None };
    if p.qself.is_some() || p.path.segments.first().is_some_and(|s| s.ident == "self") && p.path.segments.len() == 2 {
        return None;
    }
    let name = p.path.segments.last()?.ident.to_string();
    if p.path.segments.len() == 1 && cx.facts.fn_items.contains_key(&name) {
        return None;
    }
    if let Some((module, owner, name)) = spawns::associated_call_target(cx, &p.path) {
        // A type this file implements too may have the function here.
        let here = cx.facts.fns.iter().any(|f| f.name == name && f.self_ty.as_deref() == Some(owner.as_str()));
        return (!here).then_some((module, Some(owner), name));
    }
    let (module, name) = spawns::call_target(cx, &p.path)?;
    Some((module, None, name))
}
