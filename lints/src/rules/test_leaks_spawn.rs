use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::bodies::{spawned_code, SpawnedCode};
use crate::facts::handles::{handle_fate, DropKind, HandleFate};
use crate::facts::{Family, Spawn, Spawner};
use crate::registry::Rule;
use crate::rules::detached_spawn::is_detached_endless;
use crate::source::Span;
use syn::visit::{self, Visit};

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
    ///   asserts (`assert!`, `assert_eq!`, `panic!`…): the runtime catches the panic of a task
    ///   nobody awaits, so the assertion can never fail the test.
    ///
    /// ### Why is this bad
    /// Go's leak detection in tests (`goleak`): work a test starts must end with the test. A
    /// thread that outlives its test keeps running while the next tests run, holding ports,
    /// files and locks, writing to shared state, and its panic, printed to stderr, fails
    /// nothing, or it fails whichever test happens to run next.
    ///
    /// ### Known problems
    /// Only spawns written directly in the test function are checked, not those in helpers it
    /// calls. A spawn whose handle is kept in any way (passed to a function, stored, compared)
    /// counts as handled. Spawns on a `JoinSet` (which aborts its tasks when the test drops
    /// it; see `joinset_dropped`), a `TaskTracker`, a thread scope, or a smol `Executor` owned
    /// by the test are not leaks. A tokio runtime that outlives the test (a `static` one) is
    /// not recognised. A spawn whose endless body `detached_spawn` reports is left to that
    /// lint.
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
        level: Warn,
        summary: "a test spawns a thread or task and returns without joining it",
        why: "work a test starts must end with the test, or it leaks into the tests after it",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        let Some(fn_id) = spawn.ctx.fn_id else {
            continue;
        };
        if spawn.ctx.spawn_body.is_some() || cx.facts.func(fn_id).test_attr.is_none() {
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
    if is_detached_endless(cx, spawn) {
        return;
    }
    let what = if spawn.spawner.is_thread() || spawn.spawner == Spawner::Rayon {
        "thread"
    } else {
        "task"
    };
    let work = if spawn.spawner == Spawner::Rayon {
        "job"
    } else {
        what
    };
    let message = match assertion {
        Some(_) => format!("task spawned by `{}` in a test is never awaited, so its assertions cannot fail the test", spawn.api),
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
        d = d.label(
            a,
            "a failure here is caught by the runtime and does not fail the test",
        );
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

/// The first assertion (`assert!`, `assert_eq!`, `panic!`, …) in the spawned code.
fn first_assertion(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> Option<Span> {
    let code = spawned_code(spawn.body?, cx.facts)?;
    let mut f = AssertFinder {
        found: None,
        depth: 0,
    };
    match code {
        SpawnedCode::Expr(e) => f.visit_expr(e),
        SpawnedCode::Block(b) => f.visit_block(b),
    }
    f.found.map(|s| cx.span_of(s))
}

fn is_assert_macro(name: &str) -> bool {
    name.starts_with("assert")
        || name.starts_with("debug_assert")
        || matches!(name, "panic" | "unreachable" | "todo" | "unimplemented")
}

struct AssertFinder {
    found: Option<proc_macro2::Span>,
    depth: usize,
}

/// The name of an assertion macro `e` invokes, as written or as rewritten by
/// `facts::macros` into a call of `__macro_NAME`.
fn assertion_at(e: &syn::Expr) -> Option<proc_macro2::Span> {
    let path = match e {
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => {
                let ident = p.path.get_ident()?;
                let name = ident.to_string();
                return is_assert_macro(name.strip_prefix("__macro_")?).then(|| ident.span());
            }
            _ => return None,
        },
        syn::Expr::Macro(m) => &m.mac.path,
        _ => return None,
    };
    let last = path.segments.last()?;
    is_assert_macro(&last.ident.to_string()).then(|| path.segments[0].ident.span())
}

impl<'a> Visit<'a> for AssertFinder {
    fn visit_expr(&mut self, e: &'a syn::Expr) {
        if self.found.is_some() || self.depth > 200 {
            return;
        }
        if let Some(span) = assertion_at(e) {
            self.found = Some(span);
            return;
        }
        // Code in a nested closure belongs to that closure's caller.
        if matches!(e, syn::Expr::Closure(_)) {
            return;
        }
        self.depth += 1;
        visit::visit_expr(self, e);
        self.depth -= 1;
    }
    fn visit_stmt_macro(&mut self, m: &'a syn::StmtMacro) {
        let Some(last) = m.mac.path.segments.last() else {
            return;
        };
        if self.found.is_none() && is_assert_macro(&last.ident.to_string()) {
            self.found = Some(m.mac.path.segments[0].ident.span());
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}
