use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::{find_macro, spawned_code, MacroArgs, SpawnedCode};
use crate::facts::handles::{handle_fate, DropKind, HandleFate};
use crate::facts::{peel_parens, BindingId, Family, Flow, FnId, Spawn, SpawnId, Spawner};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds a test (`#[test]`, `#[tokio::test]`, `#[async_std::test]`, any `#[<crate>::test]`)
    /// that spawns a thread or task and lets go of it without joining, awaiting or aborting it:
    /// the handle is discarded (`thread::spawn(f);`, `let _ = …`), dropped, forgotten,
    /// detached (smol's `.detach()`), bound to a name that is never read, or the spawner has no
    /// handle at all (`rayon::spawn`).
    ///
    /// What outlives the test depends on where the work runs:
    /// - std threads, `async_std::task::spawn`, `smol::spawn(…).detach()` and `rayon::spawn`
    ///   run on after the test returns: they are always reported;
    /// - a tokio task runs on the test's own runtime (`#[tokio::test]`, or a runtime the test
    ///   builds), which cancels it when the test returns. It is reported only when its body
    ///   asserts (`assert!`, `assert_eq!`, `unreachable!`…): the runtime catches the panic of
    ///   a task nobody awaits, so the assertion can never fail the test.
    ///
    /// Work whose end the test observes is taken as waited for, since the test that sees the
    /// event sees the work end (how many tests written in the style of std's own join their
    /// threads):
    /// - its last statement signals the test: a message (`tx.send(())`, `send_async(…).await`,
    ///   any `send_…`, `rt.block_on(tx.send(x))`), `drop(tx)`, `let _tx = tx;`, a wake-up
    ///   (`cvar.notify_one()`, `thread.unpark()`, `waker.wake()`, a `Barrier`'s `wait()`, a
    ///   wait group's `done()`, a semaphore's `post()`/`release()`), a flag (`flag.store(true,
    ///   …)`), resetting a timer the test awaits (`reset`, `set_after`), raising the signal a
    ///   signal-handling test waits for (`raise(SIGUSR1)`, `kill(pid, SIGINT)`), or the last
    ///   write of a mock server's response (`sock.write_all(…)`); a body bound to a local
    ///   first and wrapped in future adaptors (`spawn(fut.timeout(d))`) is followed;
    /// - it ends with a deliberate `panic!` whose effect the test checks (a poisoned lock, an
    ///   `Err`);
    /// - the test drains a channel whose other end the work owns (`for x in rx`, `while let
    ///   Ok(x) = rx.recv()`, `while tx.send(1).is_ok()`): the loop ends only once the work has
    ///   ended;
    /// - the test checks for a deadlock after starting it (`check_deadlock()`): such threads
    ///   are deadlocked on purpose and joining them would hang.
    ///
    /// Tasks spawned on a `LocalSet` that the test awaits run to completion there; one it
    /// drops cancels them. Spawns inside closures that other code runs (a request handler
    /// passed to a server) are not the test's own.
    ///
    /// ### Why is this bad
    /// Go's leak detection in tests (`goleak`): work a test starts must end with the test. A
    /// thread that outlives its test keeps running while the next tests run, holding ports,
    /// files and locks, writing to shared state, and its panic, printed to stderr, fails
    /// nothing, or it fails whichever test happens to run next.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** A blind review of 20 findings on crates it was never
    /// tuned on (corpus C, 2026-12-03) judged 8 true: in the others the thread's end is tied
    /// to the test in ways the syntax does not show (a mock server that stops when the test's
    /// sender drops, a wait group or a zero-capacity channel the test waits on, work that ends
    /// long before a later sleep or join, a `#[should_panic]` test whose guard wakes the
    /// thread). Turn it on (`-W test_leaks_spawn` or `pedantic = "warn"`) to audit a test
    /// suite.
    ///
    /// The signal rule trusts that the test waits for the signal; it does not check that it
    /// does. A thread that ends blocked (on a condition variable, a lock) is reported unless
    /// the test says it expects a deadlock. Only spawns written directly in the test function are checked, not those in helpers it
    /// calls. A spawn whose handle is kept in any way (passed to a function, stored, compared)
    /// counts as handled. Spawns on a `JoinSet` (which aborts its tasks when the test drops
    /// it; see `joinset_dropped`), a `TaskTracker`, a thread scope, or a smol `Executor` owned
    /// by the test are not leaks. A tokio runtime that outlives the test (a `static` one) is
    /// not recognised.
    ///
    /// ### Example
    /// ```rust,ignore
    /// #[test]
    /// fn serves_one_request() {
    ///     let (addr, server) = bind();
    ///     std::thread::spawn(move || server.handle_one());
    ///     assert_eq!(get(addr), "ok");
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// #[test]
    /// fn serves_one_request() {
    ///     let (addr, server) = bind();
    ///     let server = std::thread::spawn(move || server.handle_one());
    ///     assert_eq!(get(addr), "ok");
    ///     server.join().expect("server thread panicked");
    /// }
    /// ```
    pub static TEST_LEAKS_SPAWN = {
        name: "test_leaks_spawn",
        rule: Some(Rule::LeakDetection),
        category: Pedantic,
        cost: Leak,
        summary: "a test spawns a thread or task and returns without joining it",
        why: "work a test starts must end with the test, or it leaks into the tests after it",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        let Some(fn_id) = spawn.ctx.fn_id else {
            continue;
        };
        // Spawns in closures run by other code (a service handler) are not the test's own.
        if spawn.ctx.spawn_body.is_some() || spawn.ctx.deferred || cx.facts.func(fn_id).test_attr.is_none() {
            continue;
        }
        let HandleFate::Dropped { kind, span, .. } = handle_fate(cx.file, cx.facts, spawn) else {
            continue;
        };
        check_spawn(cx, spawn, kind, span);
    }
}

fn check_spawn(cx: &FileCx<'_>, spawn: &Spawn<'_>, kind: DropKind, dropped_at: Span) {
    let family = spawn.spawner.family();
    let assertion = match family {
        Family::Smol => {
            // Dropping a `Task` cancels it (`task_dropped_on_spawn` reports the immediate
            // drops); a detached task on a local `Executor` dies with the executor.
            let global = matches!(spawn.call, syn::Expr::Call(_));
            if !(global && matches!(kind, DropKind::Detach | DropKind::Forget)) {
                return;
            }
            None
        }
        Family::Tokio => match first_assertion(cx, spawn) {
            Some(a) => Some(a),
            None => return,
        },
        _ => None,
    };
    let fn_id = spawn.ctx.fn_id;
    let waited = ends_with_signal(cx, spawn)
        || fn_id.is_some_and(|f| {
            panics_for_the_test(cx, spawn, f) || test_drains_channel_of(cx, spawn, f) || expects_deadlock(cx, spawn, f)
        });
    if waited || on_awaited_local_set(cx, spawn) {
        return;
    }
    let what = if spawn.spawner.is_thread() || spawn.spawner == Spawner::Rayon { "thread" } else { "task" };
    let work = if spawn.spawner == Spawner::Rayon { "job" } else { what };
    let message = match assertion {
        Some(_) => format!(
            "task spawned by `{}` in a test is never awaited, so its assertions cannot fail the test",
            spawn.api
        ),
        None => format!("`{}` in a test starts a {work} that the test never joins", spawn.api),
    };
    let handle = spawn.spawner.handle_name();
    let drop_label = match kind {
        DropKind::Discarded => format!("the `{handle}` is dropped here"),
        DropKind::Drop => format!("the `{handle}` is dropped here"),
        DropKind::Forget => format!("the `{handle}` is forgotten here"),
        DropKind::Detach => "the task is detached here".to_string(),
        DropKind::NeverRead => format!("the `{handle}` is bound here and never used"),
        DropKind::NoHandle => "there is no handle to wait on".to_string(),
    };
    let fate = match assertion {
        Some(_) => "nothing awaits the task".to_string(),
        None => format!("the {work} outlives the test"),
    };
    let mut d = Diagnostic::new(&TEST_LEAKS_SPAWN, spawn.callee_span, message);
    if dropped_at == spawn.callee_span {
        d = d.primary_label(format!("{drop_label}, so {fate}"));
    } else {
        d = d.primary_label(fate).label(dropped_at, drop_label);
    }
    if let Some(a) = assertion {
        d = d.label(a, "a failure here is caught by the runtime and does not fail the test");
    }
    d = d.help(match (family, spawn.spawner) {
        (Family::Std, _) => "keep the `JoinHandle` and join it before the test returns (`handle.join().unwrap()`), so the thread ends with the test and its panic fails it; or use `std::thread::scope`",
        (Family::Tokio, _) => "keep the `JoinHandle` and `.await` it (`handle.await.unwrap()`) so that a panic in the task fails the test",
        (Family::AsyncStd, _) => "keep the `JoinHandle` and `.await` it before the test returns, or stop the task with `handle.cancel().await`",
        (Family::Smol, _) => "keep the `Task` and `.await` it before the test returns, or drop it to cancel the task",
        (Family::Rayon, _) => "run the work in `rayon::scope(|s| s.spawn(…))`, which waits for it, or send its result over a channel and receive it before the test returns",
        (Family::Futures, _) => "use `spawn_with_handle` and await the handle before the test returns",
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The first assertion (`assert!`, `assert_eq!`, `assert_ok!`, `unreachable!`…) in the
/// spawned code, outside nested closures.
fn first_assertion(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> Option<Span> {
    let code = spawned_code(spawn.body?, cx.facts)?;
    find_macro(code, &|name, args| is_assertion(cx, name, args), false).map(|s| cx.span_of(s))
}

/// An assertion, unless it only checks a signal to the test (`assert_ok!(tx.send(()))`): the
/// test that waits for the signal notices its failure anyway.
fn is_assertion(cx: &FileCx<'_>, name: &str, args: MacroArgs<'_>) -> bool {
    is_assert_macro(name)
        && !match args {
            MacroArgs::Exprs(args) => args.iter().any(|a| is_signal_expr(cx, a)),
            MacroArgs::Tokens(tokens) => tokens_call_signal(tokens.clone()),
        }
}

fn is_assert_macro(name: &str) -> bool {
    name.starts_with("assert") || name.starts_with("debug_assert") || name == "unreachable"
}

/// Methods whose call tells a waiting test that the work is done: a message (`send`,
/// `send_async`, any `send_…`), a wake-up, a flag, or the last bytes of a response the test
/// reads (`sock.write_all(…)`).
fn is_signal(name: &str) -> bool {
    name.starts_with("send_")
        || matches!(
            name,
            "write_all"
                | "flush"
                | "send"
                | "try_send"
                | "unbounded_send"
                | "blocking_send"
                | "broadcast"
                | "notify_one"
                | "notify_all"
                | "notify_waiters"
                | "notify"
                | "unpark"
                | "wake"
                | "wake_by_ref"
                | "pulse"
                | "trigger"
                | "store"
                | "fetch_add"
                | "fetch_sub"
                | "count_down"
                | "done"
                | "arrive"
                | "post"
                | "release"
                | "add_permits"
                | "complete"
                | "set"
        )
}

/// Functions whose call as the work's last action is the event the test waits for: `drop(tx)`
/// closes the channel it receives on; `raise(SIGUSR1)` and `kill(pid, SIGINT)` deliver the
/// signal a signal-handling test awaits.
fn is_signal_fn(name: &str) -> bool {
    matches!(name, "drop" | "raise" | "kill")
}

/// The spawned code ends by signalling the test (`tx.send(())`, `cvar.notify_one()`,
/// `drop(tx)`, `flag.store(true, …)`, `barrier.wait()`): the test that waits for the signal
/// sees the work end. A body bound to a local first (`let fut = async { … };
/// spawn(fut.timeout(d))`) is followed, through future adaptors.
fn ends_with_signal(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let Some(mut body) = spawn.body else { return false };
    for _ in 0..4 {
        body = peel_parens(body);
        if let syn::Expr::MethodCall(m) = body {
            if is_future_adaptor(&m.method.to_string()) {
                body = &m.receiver;
                continue;
            }
        }
        match cx.facts.binding_of_expr(body).and_then(|b| cx.facts.binding(b).init) {
            Some(init) => body = init,
            None => break,
        }
    }
    match spawned_code(body, cx.facts) {
        Some(SpawnedCode::Expr(e)) => is_signal_expr(cx, e),
        Some(SpawnedCode::Block(b)) => block_ends_with_signal(cx, b),
        None => false,
    }
}

/// Future combinators that run the future they wrap to its end.
fn is_future_adaptor(name: &str) -> bool {
    matches!(
        name,
        "timeout" | "map" | "map_err" | "map_ok" | "boxed" | "instrument" | "in_current_span" | "fuse" | "inspect"
    )
}

fn block_ends_with_signal(cx: &FileCx<'_>, b: &syn::Block) -> bool {
    match b.stmts.last() {
        Some(syn::Stmt::Expr(e, _)) => is_signal_expr(cx, e),
        Some(syn::Stmt::Local(l)) => l.init.as_ref().is_some_and(|i| {
            // `let _tk = tk;` as the last statement: an explicit drop, like `drop(tk)`.
            let rebinds = matches!(&l.pat, syn::Pat::Ident(_)) && matches!(peel_parens(&i.expr), syn::Expr::Path(_));
            rebinds || is_signal_expr(cx, &i.expr)
        }),
        Some(syn::Stmt::Macro(m)) => tokens_call_signal(m.mac.tokens.clone()),
        _ => false,
    }
}

fn is_signal_expr(cx: &FileCx<'_>, e: &syn::Expr) -> bool {
    match peel_parens(e) {
        syn::Expr::MethodCall(m) => {
            let name = m.method.to_string();
            is_signal(&name)
                || (matches!(name.as_str(), "unwrap" | "expect" | "ok" | "is_ok" | "unwrap_or_default")
                    && is_signal_expr(cx, &m.receiver))
                // `rt.block_on(tx.send(x))`: the runtime runs the send to its end.
                || (name == "block_on" && m.args.iter().any(|a| is_signal_expr(cx, a)))
                || (name == "wait" && m.args.is_empty() && origin_mentions(cx, &m.receiver, &["Barrier"]))
                || (matches!(name.as_str(), "reset" | "reset_after" | "reset_at" | "set_after" | "set_at" | "set_deadline")
                    && origin_mentions(cx, &m.receiver, &["sleep", "Sleep", "interval", "Delay", "Timer", "timer"]))
                || ends_in_signalling_body(cx, &m.args)
        }
        syn::Expr::Await(a) => is_signal_expr(cx, &a.base),
        syn::Expr::Try(t) => is_signal_expr(cx, &t.expr),
        syn::Expr::Block(b) => block_ends_with_signal(cx, &b.block),
        syn::Expr::Unsafe(u) => block_ends_with_signal(cx, &u.block),
        // A trailing loop that signals on every round (`for x in items { tx.send(x)?; }`).
        syn::Expr::ForLoop(f) => block_ends_with_signal(cx, &f.body),
        syn::Expr::While(w) => block_ends_with_signal(cx, &w.body),
        syn::Expr::Async(a) => block_ends_with_signal(cx, &a.block),
        syn::Expr::Closure(c) => is_signal_expr(cx, &c.body),
        syn::Expr::Call(c) => match &*c.func {
            // A readable macro such as `assert_ok!(tx.send(()))` wraps the signal.
            syn::Expr::Path(p) => {
                let name = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                is_signal_fn(&name)
                    || ((name.starts_with("__macro_") || name == "block_on")
                        && c.args.iter().any(|a| is_signal_expr(cx, a)))
                    || ends_in_signalling_body(cx, &c.args)
            }
            _ => false,
        },
        syn::Expr::Macro(m) => tokens_call_signal(m.mac.tokens.clone()),
        _ => false,
    }
}

/// Whether the value `e` reads was created by code that mentions one of `words`, following
/// `.clone()`, `Arc::clone(&x)`, `.as_mut()` back to the binding that made it:
/// `let b = Arc::new(Barrier::new(2)); let b2 = b.clone(); … b2.wait()`.
fn origin_mentions(cx: &FileCx<'_>, e: &syn::Expr, words: &[&str]) -> bool {
    let mut e = peel_parens(e);
    for _ in 0..6 {
        match e {
            syn::Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "clone" | "as_mut" | "as_ref" | "lock" | "write" | "borrow_mut" | "get_mut" | "unwrap" | "expect"
                ) =>
            {
                e = peel_parens(&m.receiver);
            }
            syn::Expr::Reference(r) => e = peel_parens(&r.expr),
            syn::Expr::Call(c) if c.args.len() == 1 && cx.snippet(cx.span(&*c.func)).ends_with("clone") => {
                e = peel_parens(&c.args[0]);
            }
            _ => {
                let Some(b) = cx.facts.binding_of_expr(e) else {
                    let text = cx.snippet(cx.span(e));
                    return words.iter().any(|w| text.contains(w));
                };
                let b = cx.facts.binding(b);
                let typed = b.ty.is_some_and(|t| words.iter().any(|w| cx.snippet(cx.span(t)).contains(w)));
                match b.init {
                    _ if typed => return true,
                    Some(init) => e = peel_parens(init),
                    None => return false,
                }
            }
        }
    }
    false
}

/// A call that runs, or hands on, a closure or async block ending with a signal:
/// `block_on(async { …; tx.send(()) })`, `handle.spawn(async move { tx.send(()) })`.
fn ends_in_signalling_body(cx: &FileCx<'_>, args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>) -> bool {
    args.iter().any(|a| matches!(peel_parens(a), syn::Expr::Closure(_) | syn::Expr::Async(_)) && is_signal_expr(cx, a))
}

/// Macro tokens (`assert_ok!(tx.send(()))`) that call a signalling method.
fn tokens_call_signal(tokens: proc_macro2::TokenStream) -> bool {
    let mut prev_dot = false;
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Punct(p) => prev_dot = p.as_char() == '.',
            proc_macro2::TokenTree::Ident(i) => {
                if prev_dot && is_signal(&i.to_string()) {
                    return true;
                }
                prev_dot = false;
            }
            proc_macro2::TokenTree::Group(_) | proc_macro2::TokenTree::Literal(_) => prev_dot = false,
        }
    }
    false
}

/// The work ends with a deliberate `panic!` and the test then checks for its effect (a
/// poisoned lock, an `Err`): the test observes the panic, which is the work's end.
fn panics_for_the_test(cx: &FileCx<'_>, spawn: &Spawn<'_>, fn_id: FnId) -> bool {
    let last = match spawn.body.and_then(|b| spawned_code(b, cx.facts)) {
        Some(SpawnedCode::Block(b)) => b.stmts.last(),
        Some(SpawnedCode::Expr(syn::Expr::Block(b))) => b.block.stmts.last(),
        _ => None,
    };
    let ends_in_panic = match last {
        Some(syn::Stmt::Macro(m)) => m.mac.path.is_ident("panic"),
        Some(syn::Stmt::Expr(syn::Expr::Macro(m), _)) => m.mac.path.is_ident("panic"),
        // `panic!("…")` as rewritten by the macro expander.
        Some(syn::Stmt::Expr(syn::Expr::Call(c), _)) => {
            matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("__macro_panic"))
        }
        _ => false,
    };
    if !ends_in_panic {
        return false;
    }
    let body = cx.span(cx.facts.func(fn_id).body);
    let after = Span::new(cx.file, cx.span(spawn.call).end as usize, body.end as usize);
    let rest = cx.snippet(after);
    ["is_poisoned", "is_err()", "unwrap_err", "expect_err", "Err("].iter().any(|w| rest.contains(w))
}

/// The test checks for a deadlock after starting the work (`assert!(check_deadlock())`): it
/// deadlocks these threads on purpose, and joining them would hang.
fn expects_deadlock(cx: &FileCx<'_>, spawn: &Spawn<'_>, fn_id: FnId) -> bool {
    let spawn_end = cx.span(spawn.call).end;
    cx.facts.calls_in(Some(fn_id)).any(|c| {
        let name = match &c.callee {
            crate::facts::Callee::Path { path, .. } => path.segments.last().map(|s| s.ident.to_string()),
            crate::facts::Callee::Method { name, .. } => Some(name.clone()),
        };
        c.callee_span.start > spawn_end && c.ctx.spawn_body.is_none() && name.is_some_and(|n| n.contains("deadlock"))
    })
}

/// The test drains a channel whose other end the work owns (`for x in rx`, `while let
/// Ok(x) = rx.recv()`, `while tx.send(1).is_ok()`): the loop ends only once the work has
/// ended and dropped its end, so the test waits for it.
fn test_drains_channel_of(cx: &FileCx<'_>, spawn: &Spawn<'_>, fn_id: FnId) -> bool {
    let Some(spawn_id) = cx.facts.spawns.iter().position(|s| std::ptr::eq(s, spawn)) else {
        return false;
    };
    let spawn_id = SpawnId(spawn_id as u32);
    let spawn_end = cx.span(spawn.call).end;
    let loop_heads: Vec<Span> = cx
        .facts
        .loops
        .iter()
        .filter(|l| l.ctx.fn_id == Some(fn_id) && l.ctx.spawn_body.is_none())
        .filter_map(|l| l.source.map(|s| cx.span(s)))
        .collect();
    let ends: Vec<(BindingId, &syn::Expr, usize)> = cx
        .facts
        .bindings_in(Some(fn_id))
        .filter_map(|(id, b)| b.tuple_init.map(|(init, i)| (id, init, i)))
        .filter(|(_, init, _)| {
            let text = cx.snippet(cx.span(*init));
            ["channel", "bounded", ".split()"].iter().any(|w| text.contains(w))
        })
        .collect();
    let spawn_span = cx.span(spawn.call);
    ends.iter().any(|&(owned, init, i)| {
        // Moved into the body, or handed to the function that builds it
        // (`thread::spawn(producer(tx.clone()))`).
        let work_owns = cx.facts.uses_of(owned).any(|u| {
            u.ctx.spawn_body == Some(spawn_id) || (spawn_span.start <= u.span.start && u.span.end <= spawn_span.end)
        });
        work_owns
            && ends.iter().filter(|&&(other, init2, j)| std::ptr::eq(init, init2) && i != j && other != owned).any(
                |&(other, _, _)| {
                    cx.facts.uses_of(other).any(|u| {
                        u.ctx.spawn_body.is_none()
                            && u.span.start > spawn_end
                            && loop_heads.iter().any(|h| h.start <= u.span.start && u.span.end <= h.end)
                    })
                },
            )
    })
}

/// `local.spawn_local(…)` on a `LocalSet` that the test awaits (`local.await` runs every task
/// spawned on it to completion) or drops (which cancels them).
fn on_awaited_local_set(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let syn::Expr::MethodCall(m) = spawn.call else {
        return false;
    };
    let Some(set) = cx.facts.binding_of_expr(peel_parens(&m.receiver)) else {
        return false;
    };
    cx.facts.uses_of(set).any(|u| matches!(u.flow, Flow::Awaited(_) | Flow::Dropped(_)))
}
