use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::bodies::{find_macro, spawned_code, SpawnedCode};
use crate::facts::handles::{
    accessed_static, element_source, handle_collections, handle_static, iterated_binding, pushed_into, spawn_binding,
    HandleCollection,
};
use crate::facts::test_attrs::expects_panic;
use crate::facts::{peel_parens, BindingId, Call, Callee, DiscardKind, Family, Flow, FnId, Spawn, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::{HashMap, HashSet};

crate::declare_lint! {
    /// ### What it does
    /// Finds the result of joining a thread or awaiting a tokio task thrown away:
    /// `let _ = handle.join();`, `_ = handle.join();`, `handle.join().ok();`,
    /// `drop(handle.join())`, and the same with `handle.await` for tokio's `JoinHandle`
    /// (`tokio::spawn`, `spawn_blocking`, `spawn_local`, `Handle::spawn`, `TaskTracker::spawn`).
    /// The handle is a binding holding a spawn's handle, the spawn expression itself
    /// (`let _ = thread::spawn(f).join();`), an element of a collection of handles
    /// (`for h in handles { let _ = h.join(); }`), a binding whose written type holds join
    /// handles (a parameter `h: JoinHandle<T>` or `handles: Vec<JoinHandle<()>>`, a
    /// `let workers: Vec<JoinHandle<()>> = …`), or an element taken from a `static` of handles
    /// (`for h in std::mem::take(&mut *HANDLES.lock().unwrap())`,
    /// `for h in HANDLES.lock().unwrap().drain(..)`, `while let Some(h) = HANDLES…pop()`).
    ///
    /// ### Why is this bad
    /// `JoinHandle::join` returns `Err` when the thread panicked, and awaiting a tokio
    /// `JoinHandle` yields `Err(JoinError)` when the task panicked or was cancelled. Throwing
    /// that result away hides the panic: the program carries on as if the work succeeded. Go's
    /// rule 5: a goroutine's panic must be recovered and reported, never lost.
    ///
    /// A bare `handle.join();` or `handle.await;` is left to rustc, whose `unused_must_use`
    /// already warns about it.
    ///
    /// It is not reported where the panic is surfaced another way, or meant:
    /// - the branch that looks at the result exists to report the death (`if h.join().is_err()
    ///   { eprintln!(…) }`, `match h.join() { Err(_) => log::error!(…), … }`): handled, not
    ///   ignored;
    /// - the thread body runs its work inside `catch_unwind` and deals with the panic itself;
    /// - the body's last action sends its outcome over a channel (`tx.send(work())`): a panic
    ///   before the send reaches the caller as a closed channel, and the caller's `recv`
    ///   propagates it;
    /// - the body only drops or moves values (`drop(tx)`), which cannot fail;
    /// - the spawned body calls `panic!` itself, or the function goes on to check the poisoned
    ///   lock the panic leaves (`assert!(m.is_poisoned())`): the panic is the point of the
    ///   test; nor is anything in a `#[should_panic]` test;
    /// - the join is in a `Drop` implementation: propagating the panic from `drop` would abort
    ///   the process if it is already unwinding, and the panic hook has printed it, so
    ///   `let _ = handle.join();` there is the idiomatic shutdown.
    ///
    /// At the end of `main` the ignored result is still reported: the process then exits with
    /// success although a thread panicked.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** A blind review of 20 findings on crates it was never
    /// tuned on (corpus C, 2026-12-03) judged 6 true: most ignored joins are in examples and
    /// benchmarks whose tasks assert nothing (a panic is still printed), or in tests where a
    /// later assertion on the task's effect already fails the test. Turn it on
    /// (`-W join_result_ignored` or `pedantic = "warn"`) to find the tests whose assertions run
    /// in a thread whose panic is thrown away.
    ///
    /// async-std's `JoinHandle` and smol's `Task` re-raise the task's panic when awaited, so
    /// `let _ = handle.await;` on them swallows nothing and is not reported. Neither is
    /// `let _ = handle.await;` in a function that aborts a task before it: after `abort()`, the
    /// `JoinError` is the expected cancellation, and awaiting is how one waits for the task to
    /// stop. `JoinSet::join_next` results are not followed, nor handles held in fields
    /// (`self.workers.drain(..)`) or returned by a helper function without a written type.
    /// A `JoinHandle` type is known through the file's `use` items: a crate's own
    /// `JoinHandle`, or one re-exported by a module of the crate (tokio's `loom` shim), is not
    /// taken for a thread's. A handle whose spawn is out of sight (a parameter's, one a static
    /// received in another file) has no body to look into, so only the `Drop`, `abort()` and
    /// `#[should_panic]` cases keep it silent; the handles of a static are silent when a spawn
    /// the file pushes into it surfaces its panic another way. Futures awaited by `select!` or
    /// `join!` are not reported (the macro, not the user, writes the `.await`).
    ///
    /// ### Example
    /// ```rust,ignore
    /// let writer = std::thread::spawn(move || flush_all(rx));
    /// // …
    /// let _ = writer.join();
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let writer = std::thread::spawn(move || flush_all(rx));
    /// // …
    /// writer.join().expect("writer thread panicked");
    /// ```
    pub static JOIN_RESULT_IGNORED = {
        name: "join_result_ignored",
        rule: Some(Rule::Panics),
        category: Pedantic,
        cost: Leak,
        summary: "the result of joining a thread or awaiting a task is ignored, hiding its panic",
        why: "a panic in a thread or task must be reported, never silently dropped",
    };
}

/// How the handle is waited on.
#[derive(Clone, Copy)]
enum Wait<'a> {
    Join(&'a syn::ExprMethodCall),
    Await(&'a syn::ExprAwait),
}

impl Wait<'_> {
    fn span(&self, cx: &FileCx<'_>) -> Span {
        match self {
            Wait::Join(m) => cx.span(*m),
            Wait::Await(a) => cx.span(*a),
        }
    }
}

pub fn check(cx: &FileCx<'_>) {
    let typed = cx.facts.bindings.iter().any(|b| b.handle_type.is_some())
        || cx.facts.statics.iter().any(|s| s.handle_type.is_some());
    if cx.facts.spawns.is_empty() && !typed {
        return;
    }
    let index = Index::new(cx);
    let mut reported: HashSet<Span> = HashSet::new();
    let mut check_flow = |flow: &Flow<'_>, spawner: Spawner, name: Option<&str>, fn_id: Option<FnId>| {
        let wait = match *flow {
            Flow::Method(m) if m.method == "join" && m.args.is_empty() && spawner.family() == Family::Std => {
                Wait::Join(m)
            }
            Flow::Awaited(a) if swallows_on_await(spawner) => Wait::Await(a),
            _ => return,
        };
        let span = wait.span(cx);
        if reported.contains(&span) {
            return;
        }
        if check_wait(cx, &index, wait, name, fn_id) {
            reported.insert(span);
        }
    };
    for spawn in &cx.facts.spawns {
        if panic_surfaced_elsewhere(cx, spawn) {
            continue;
        }
        if !spawn.per_element {
            check_flow(&spawn.flow, spawn.spawner, None, spawn.ctx.fn_id);
        }
        if let Some(h) = spawn_binding(cx.file, cx.facts, spawn) {
            let name = cx.facts.binding(h).name.as_str();
            for u in cx.facts.uses_of(h) {
                check_flow(&u.flow, spawn.spawner, Some(name), u.ctx.fn_id);
            }
        }
    }
    let collections = handle_collections(cx.file, cx.facts);
    if collections.is_empty() && !typed {
        return;
    }
    let spawn_bindings: HashSet<BindingId> =
        cx.facts.spawns.iter().filter_map(|s| spawn_binding(cx.file, cx.facts, s)).collect();
    for (i, b) in cx.facts.bindings.iter().enumerate() {
        if b.uses.is_empty() {
            continue;
        }
        let id = BindingId(i as u32);
        let Some(spawner) = handles_held(cx, &collections, &spawn_bindings, id) else {
            continue;
        };
        for u in cx.facts.uses_of(id) {
            check_flow(&u.flow, spawner, Some(b.name.as_str()), u.ctx.fn_id);
        }
    }
}

/// The spawner of the handle a binding holds, when it is not a spawn's own binding (those are
/// checked from their spawn) and the work's panic is not surfaced another way:
/// - an element of a collection the file fills with spawns (`for h in handles`);
/// - a binding whose written type is a join handle (`h: JoinHandle<T>`, a parameter or a
///   `let` with its type), or an element of a collection so typed
///   (`fn wait_all(handles: Vec<JoinHandle<()>>)`);
/// - an element of a `static` of handles, taken or drained from it directly
///   (`for h in HANDLES.lock().unwrap().drain(..)`) or through a local
///   (`let taken = std::mem::take(&mut *HANDLES.lock().unwrap()); for h in taken`).
///
/// Handles whose spawn is out of sight (a parameter's) carry no body to look into; the handles
/// of a static are as silent as the spawns the file pushes into it.
fn handles_held(
    cx: &FileCx<'_>,
    collections: &[HandleCollection],
    spawn_bindings: &HashSet<BindingId>,
    id: BindingId,
) -> Option<Spawner> {
    let facts = cx.facts;
    if spawn_bindings.contains(&id) {
        return None;
    }
    let b = facts.binding(id);
    let element = if b.ctx.loop_id.is_some() { element_source(cx.file, facts, id) } else { None };
    let Some((source, _)) = element else {
        return b.handle_type.filter(|_| !collections.iter().any(|c| c.binding == id));
    };
    let container = iterated_binding(facts, source);
    if let Some(c) = container.and_then(|c| collections.iter().find(|k| k.binding == c)) {
        let first = c.spawns.first()?;
        if c.spawns.iter().any(|id| panic_surfaced_elsewhere(cx, &facts.spawns[id.0 as usize])) {
            return None;
        }
        return Some(facts.spawns[first.0 as usize].spawner);
    }
    if let Some(t) = container.and_then(|c| facts.binding(c).handle_type) {
        return Some(t);
    }
    let from = match container {
        Some(c) => facts.binding(c).init,
        None => Some(source),
    };
    let Some(stat) = from.and_then(|from| handle_static(facts, from)) else {
        // `.for_each(|h: JoinHandle<()>| …)`: the element's own written type.
        return b.handle_type;
    };
    let surfaced = facts.spawns.iter().any(|s| {
        pushed_into(cx.file, facts, s)
            .and_then(|recv| accessed_static(facts, recv, true))
            .is_some_and(|into| std::ptr::eq(into, stat))
            && panic_surfaced_elsewhere(cx, s)
    });
    if surfaced {
        return None;
    }
    stat.handle_type
}

/// The work's panic is meant or already reported another way, so the join has nothing left
/// to report:
/// - the spawned code calls `panic!` itself (anywhere, closures included), or the function
///   checks the poisoned lock the panic leaves: the panic is the point of the test;
/// - the body runs its work inside `catch_unwind` and deals with the panic itself;
/// - the body's last action sends its outcome over a channel: a panic before it shows up at
///   the receiver as a closed channel;
/// - the body only drops or moves values, which cannot fail.
///
/// A closure bound to a local first (`let f = move || …; thread::spawn(f)`) is followed.
fn panic_surfaced_elsewhere(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let Some(mut body) = spawn.body else { return false };
    if let Some(init) = cx.facts.binding_of_expr(peel_parens(body)).and_then(|b| cx.facts.binding(b).init) {
        body = init;
    }
    let Some(code) = spawned_code(body, cx.facts) else { return false };
    if find_macro(code, &|name, _| name == "panic", true).is_some() || checks_poison_after(cx, spawn) {
        return true;
    }
    if catches_unwind(code) {
        return true;
    }
    let stmts = match code {
        SpawnedCode::Block(b) => Some(&b.stmts),
        SpawnedCode::Expr(syn::Expr::Block(b)) => Some(&b.block.stmts),
        SpawnedCode::Expr(_) => None,
    };
    let last = match stmts {
        Some(stmts) => stmts.last().and_then(|st| match st {
            syn::Stmt::Expr(e, _) => Some(e),
            _ => None,
        }),
        None => match code {
            SpawnedCode::Expr(e) => Some(e),
            SpawnedCode::Block(_) => None,
        },
    };
    let sends = last.is_some_and(ends_in_send);
    // Only for work written at the spawn: a called function's body may be a stand-in.
    let written_here = matches!(peel_parens(body), syn::Expr::Closure(_) | syn::Expr::Async(_));
    let only_drops = written_here
        && match (stmts, code) {
            (Some(stmts), _) => !stmts.is_empty() && stmts.iter().all(only_drops_or_moves),
            (None, SpawnedCode::Expr(e)) => is_drop_call(e),
            (None, SpawnedCode::Block(_)) => false,
        };
    sends || only_drops
}

/// The function goes on to check the poisoned lock the work's panic leaves behind
/// (`assert!(m.is_poisoned())`, `assert!(m.lock().is_err())`): the test wants that panic.
fn checks_poison_after(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let Some(fn_id) = spawn.ctx.fn_id else { return false };
    let end = cx.span(cx.facts.func(fn_id).body).end;
    let rest = cx.snippet(Span::new(cx.file, cx.span(spawn.call).end as usize, end as usize));
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("is_poisoned()")
        || ["lock()", "read()", "write()"]
            .iter()
            .any(|g| compact.contains(&format!("{g}.is_err()")) || compact.contains(&format!("{g}.unwrap_err()")))
}

/// `std::panic::catch_unwind(…)` or `.catch_unwind()` anywhere in the spawned code.
fn catches_unwind(code: SpawnedCode<'_>) -> bool {
    struct Finder(bool);
    impl<'a> syn::visit::Visit<'a> for Finder {
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func {
                if p.path.segments.last().is_some_and(|s| s.ident == "catch_unwind") {
                    self.0 = true;
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            if m.method == "catch_unwind" {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut f = Finder(false);
    match code {
        SpawnedCode::Block(b) => syn::visit::Visit::visit_block(&mut f, b),
        SpawnedCode::Expr(e) => syn::visit::Visit::visit_expr(&mut f, e),
    }
    f.0
}

/// `tx.send(result)`, `tx.send(r).unwrap()`, `let _ = tx.send(r);` as a tail expression.
fn ends_in_send(e: &syn::Expr) -> bool {
    match peel_parens(e) {
        syn::Expr::MethodCall(m) => {
            let name = m.method.to_string();
            name == "send"
                || name == "try_send"
                || name.starts_with("send_")
                || (matches!(name.as_str(), "unwrap" | "expect" | "ok") && ends_in_send(&m.receiver))
        }
        syn::Expr::Await(a) => ends_in_send(&a.base),
        syn::Expr::Try(t) => ends_in_send(&t.expr),
        _ => false,
    }
}

fn is_drop_call(e: &syn::Expr) -> bool {
    matches!(peel_parens(e), syn::Expr::Call(c)
        if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("drop"))
            && c.args.iter().all(|a| matches!(peel_parens(a), syn::Expr::Path(_))))
}

/// `drop(tx);` or `let _x = x;`: a statement that only ends a value's life.
fn only_drops_or_moves(stmt: &syn::Stmt) -> bool {
    match stmt {
        syn::Stmt::Expr(e, _) => is_drop_call(e),
        syn::Stmt::Local(l) => l.init.as_ref().is_some_and(|i| matches!(peel_parens(&i.expr), syn::Expr::Path(_))),
        _ => false,
    }
}

/// Awaiting the handle yields `Result<T, JoinError>`: tokio's `JoinHandle`.
fn swallows_on_await(spawner: Spawner) -> bool {
    matches!(
        spawner,
        Spawner::TokioSpawn
            | Spawner::TokioBlocking
            | Spawner::TokioLocal
            | Spawner::TokioHandle
            | Spawner::TaskTracker
    )
}

/// Reports `wait` if its result is thrown away; returns whether it reported.
fn check_wait(cx: &FileCx<'_>, index: &Index<'_, '_>, wait: Wait<'_>, name: Option<&str>, fn_id: Option<FnId>) -> bool {
    let wait_span = wait.span(cx);
    // `select!` and `join!` expansions write `.await` with the span of the future alone.
    if let Wait::Await(_) = wait {
        if !cx.snippet(wait_span).trim_end().ends_with("await") {
            return false;
        }
    }
    let Some(how) = how_discarded(cx, index, wait) else {
        return false;
    };
    if fn_id.is_some_and(|f| expects_panic(cx.facts.func(f).attrs) || is_drop_impl(cx, f)) {
        return false;
    }
    if matches!(wait, Wait::Await(_)) && index.aborts_before(fn_id, wait_span) {
        return false;
    }
    report(cx, wait, wait_span, how, name);
    true
}

/// `fn drop(&mut self)`: a destructor that joins its worker cannot propagate the panic (a
/// panic in `drop` while unwinding aborts the process), and the panic hook has already
/// printed it; ignoring the result there is the idiomatic shutdown.
fn is_drop_impl(cx: &FileCx<'_>, f: FnId) -> bool {
    let func = cx.facts.func(f);
    func.name == "drop"
        && func.self_ty.is_some()
        && matches!(func.sig.inputs.first(), Some(syn::FnArg::Receiver(r)) if r.mutability.is_some())
}

/// How the value at `span` is thrown away.
enum How {
    /// `let _ = …;` or `_ = …;`
    Wild,
    /// `….ok();` / `let _ = ….ok();`: the span of `.ok()`'s call, to replace from the end of
    /// the join.
    Ok(Span),
    /// `drop(…)`
    Drop,
}

fn how_discarded(cx: &FileCx<'_>, index: &Index<'_, '_>, wait: Wait<'_>) -> Option<How> {
    let discarded = match wait {
        Wait::Join(m) => cx.facts.discard_of_method(m),
        Wait::Await(a) => cx.facts.discard_of_await(a),
    };
    if matches!(discarded, Some(DiscardKind::LetWild | DiscardKind::AssignWild)) {
        return Some(How::Wild);
    }
    let key = match wait {
        Wait::Join(m) => m as *const syn::ExprMethodCall as usize,
        Wait::Await(a) => a as *const syn::ExprAwait as usize,
    };
    match index.wrapped.get(&key)? {
        Wrapper::Ok(call) => Some(How::Ok(cx.span(call.expr))),
        Wrapper::Drop => Some(How::Drop),
    }
}

/// What wraps a join or an `.await` and throws its result away.
enum Wrapper<'c, 'a> {
    /// `….ok()` as a statement of its own (or `let _ =`).
    Ok(&'c Call<'a>),
    /// `drop(…)`
    Drop,
}

/// The file's calls, looked up by what they wrap, built once per file: a lookup per join or
/// `.await` instead of a pass over every call.
struct Index<'c, 'a> {
    /// By the address of the join's or `.await`'s payload; the first call that wraps it.
    wrapped: HashMap<usize, Wrapper<'c, 'a>>,
    /// Per function, where its first `abort`, `abort_all` or `abort_handle` call starts.
    first_abort: HashMap<Option<FnId>, u32>,
}

impl<'c, 'a> Index<'c, 'a> {
    fn new(cx: &'c FileCx<'a>) -> Self {
        let key = |e: &syn::Expr| match peel_parens(e) {
            syn::Expr::MethodCall(m) => Some(m as *const syn::ExprMethodCall as usize),
            syn::Expr::Await(a) => Some(a as *const syn::ExprAwait as usize),
            _ => None,
        };
        let mut wrapped = HashMap::new();
        let mut first_abort: HashMap<Option<FnId>, u32> = HashMap::new();
        for call in &cx.facts.calls {
            let found = match &call.callee {
                Callee::Method { name, receiver }
                    if name == "ok" && call.args.is_empty() && cx.facts.discard_of(call.expr).is_some() =>
                {
                    key(receiver).map(|k| (k, Wrapper::Ok(call)))
                }
                Callee::Path { .. }
                    if matches!(call.resolved(), Some("drop" | "std::mem::drop")) && call.args.len() == 1 =>
                {
                    key(call.args[0]).map(|k| (k, Wrapper::Drop))
                }
                _ => None,
            };
            if let Some((k, w)) = found {
                wrapped.entry(k).or_insert(w);
            }
            if matches!(call.method_name(), Some("abort" | "abort_all" | "abort_handle")) {
                let start = first_abort.entry(call.ctx.fn_id).or_insert(call.callee_span.start);
                *start = (*start).min(call.callee_span.start);
            }
        }
        Index { wrapped, first_abort }
    }

    /// A task aborted earlier in the same function: its `JoinError` is the expected cancellation.
    fn aborts_before(&self, fn_id: Option<FnId>, span: Span) -> bool {
        self.first_abort.get(&fn_id).is_some_and(|&start| start < span.start)
    }
}

/// A short name for the work, for the `expect` message: `writer` for a handle named
/// `writer_handle`, `worker` for a generic one.
fn work_name(binding: Option<&str>) -> String {
    let Some(name) = binding else {
        return "worker".to_string();
    };
    let mut n = name.trim_start_matches('_').to_string();
    for suffix in ["_handles", "_handle", "_thread", "_task", "_jh", "_join"] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.to_string();
        }
    }
    if let Some(s) = n.strip_prefix("handle_") {
        n = s.to_string();
    }
    let generic = ["", "h", "handle", "handles", "jh", "j", "t", "th", "thread", "task", "child", "join_handle", "hdl"];
    if n.len() <= 2 || generic.contains(&n.as_str()) || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        "worker".to_string()
    } else {
        n.replace('_', " ")
    }
}

fn report(cx: &FileCx<'_>, wait: Wait<'_>, span: Span, how: How, name: Option<&str>) {
    let written = cx.snippet(span).to_string();
    let shown = if written.len() > 60 || written.contains('\n') {
        match wait {
            Wait::Join(_) => "….join()".to_string(),
            Wait::Await(_) => "….await".to_string(),
        }
    } else {
        written
    };
    let shown = if matches!(how, How::Ok(_)) { format!("{shown}.ok()") } else { shown };
    let work = work_name(name);
    let (message, label, help, expect) = match wait {
        Wait::Join(_) => (
            format!("the result of `{shown}` is ignored, so a panic in the thread goes unnoticed"),
            "`Err` here carries the thread's panic".to_string(),
            "handle the `Err` (it holds the panic payload; `std::panic::resume_unwind` re-raises it), or propagate the panic with `.expect(…)`",
            format!("{work} thread panicked"),
        ),
        Wait::Await(_) => (
            format!("the `JoinError` of `{shown}` is ignored, so a panic in the task goes unnoticed"),
            "`Err(JoinError)` here means the task panicked or was cancelled".to_string(),
            "check the `JoinError` (`is_panic()` tells a panic from a cancellation, `into_panic()` with `std::panic::resume_unwind` re-raises it), or propagate it with `.expect(…)`",
            format!("{work} task failed"),
        ),
    };
    let mut d = Diagnostic::new(&JOIN_RESULT_IGNORED, span, message).primary_label(label).help(help);
    let suggestion = format!(".expect(\"{expect}\")");
    d = match how {
        How::Wild | How::Drop => d.suggest(
            "propagate the panic",
            Span::new(cx.file, span.end as usize, span.end as usize),
            suggestion,
            Applicability::MaybeIncorrect,
        ),
        How::Ok(ok_call) => d.suggest(
            "propagate the panic instead of turning it into `None`",
            Span::new(cx.file, span.end as usize, ok_call.end as usize),
            suggestion,
            Applicability::MaybeIncorrect,
        ),
    };
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
