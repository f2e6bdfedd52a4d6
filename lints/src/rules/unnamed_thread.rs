use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::bodies::{find_endless_loop, spawned_code};
use crate::facts::{Spawn, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a long-lived thread started without a name: `std::thread::spawn`, or a
    /// `thread::Builder` without `.name(…)`, whose body runs an endless loop (a `loop`,
    /// `while true`, a `for` over `incoming()`, with no `break`, `return` or `?` leaving it).
    ///
    /// This lint is allowed by default: it is advice for services with many threads. Test code,
    /// examples and benchmarks (files under `examples/` and `benches/`) are left alone: no one
    /// profiles them, and a name only lengthens a demo. A thread whose loop ends with its
    /// connection (it unwraps a send, a write or a websocket read that fails once the peer
    /// hangs up) is not long-lived.
    ///
    /// ### Why is this bad
    /// Go's advice: label goroutines so profiles say what they are. A thread without a name is
    /// `<unnamed>` in panic messages (`thread '<unnamed>' panicked at …`), in debuggers, in
    /// `top -H` and in profilers, so the one thread that spins or dies cannot be told from the
    /// others.
    ///
    /// ### Known problems
    /// Short-lived threads are left alone, and so are loops that can end: a long-lived thread
    /// whose loop breaks on shutdown is not recognised as long-lived.
    ///
    /// ### Example
    /// ```rust,ignore
    /// std::thread::spawn(move || loop {
    ///     flush(&rx);
    /// });
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// std::thread::Builder::new()
    ///     .name("flusher".into())
    ///     .spawn(move || loop {
    ///         flush(&rx);
    ///     })
    ///     .expect("failed to spawn the flusher thread");
    /// ```
    pub static UNNAMED_THREAD = {
        name: "unnamed_thread",
        rule: Some(Rule::Labels),
        category: Pedantic,
        cost: Advice,
        summary: "a long-lived thread started without a name",
        why: "an unnamed thread shows as `<unnamed>` in panics, debuggers and profiles",
    };
}

pub fn check(cx: &FileCx<'_>) {
    // Test code, examples and benchmarks: no one profiles them, and a name only lengthens a demo.
    if cx.is_example_file {
        return;
    }
    for spawn in cx.facts.spawns.iter().filter(|s| !s.ctx.is_test) {
        let unnamed = match spawn.spawner {
            Spawner::StdThread => true,
            Spawner::StdBuilder => builder_lacks_name(cx, spawn),
            _ => false,
        };
        if !unnamed {
            continue;
        }
        let Some(code) = spawn.body.and_then(|b| spawned_code(b, cx.facts)) else {
            continue;
        };
        let Some(endless) = find_endless_loop(cx.file, code) else {
            continue;
        };
        report(cx, spawn, endless.keyword);
    }
}

/// Whether a `Builder::spawn` call's receiver chain, followed through `let` bindings, is
/// visibly a `Builder::new()` that never gets `.name(…)`.
fn builder_lacks_name(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    let Expr::MethodCall(m) = spawn.call else {
        return false;
    };
    let mut cur: &Expr = &m.receiver;
    for _ in 0..16 {
        match cur {
            Expr::MethodCall(inner) => {
                if inner.method == "name" {
                    return false;
                }
                cur = &inner.receiver;
            }
            Expr::Paren(p) => cur = &p.expr,
            Expr::Call(_) => return true,
            Expr::Path(p) => {
                let Some(ident) = p.path.get_ident() else {
                    return false;
                };
                // The binding in scope at the spawn: the use recorded for this path expression.
                let Some(id) = cx.facts.use_of_expr(cur).map(|u| u.binding) else {
                    return false;
                };
                let binding = cx.facts.binding(id);
                if *ident != binding.name {
                    return false;
                }
                // A builder named later through the binding (`b = b.name(…)`, `b.name(…)`).
                let named_later = cx
                    .facts
                    .uses_of(id)
                    .any(|u| matches!(u.flow, crate::facts::Flow::Method(mc) if mc.method == "name"));
                if named_later {
                    return false;
                }
                let Some(init) = binding.init else {
                    return false;
                };
                cur = init;
            }
            _ => return false,
        }
    }
    false
}

fn report(cx: &FileCx<'_>, spawn: &Spawn<'_>, loop_kw: Span) {
    let mut d = Diagnostic::new(&UNNAMED_THREAD, spawn.callee_span, "long-lived thread started without a name")
        .primary_label("this thread will show as `<unnamed>` in panics and profiles")
        .label(loop_kw, "this loop keeps the thread alive for the life of the process")
        .help("name it: `std::thread::Builder::new().name(\"…\".into()).spawn(…)` (returns `io::Result<JoinHandle>`)");
    if let Some(s) = suggestion(cx, spawn) {
        d.suggestions.push(s);
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// `thread::spawn(f)` → `thread::Builder::new().name("…".into()).spawn(f).expect("…")`;
/// `Builder::new().spawn(f)` → `Builder::new().name("…".into()).spawn(f)`.
fn suggestion(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> Option<Suggestion> {
    match (spawn.spawner, spawn.call) {
        (Spawner::StdThread, Expr::Call(c)) => {
            let Expr::Path(p) = &*c.func else { return None };
            let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            let builder = match segments.as_slice() {
                [.., module, _] if module == "thread" => {
                    let prefix = &segments[..segments.len() - 1];
                    let lead = if p.path.leading_colon.is_some() { "::" } else { "" };
                    format!("{lead}{}::Builder", prefix.join("::"))
                }
                _ => "std::thread::Builder".to_string(),
            };
            let end = cx.span(spawn.call).end as usize;
            Some(Suggestion {
                message: "give the thread a name".to_string(),
                edits: vec![
                    Edit {
                        span: cx.span(&p.path), replacement: format!("{builder}::new().name(\"…\".into()).spawn")
                    },
                    Edit {
                        span: Span::new(cx.file, end, end),
                        replacement: ".expect(\"failed to spawn thread\")".to_string(),
                    },
                ],
                applicability: Applicability::HasPlaceholders,
            })
        }
        (Spawner::StdBuilder, Expr::MethodCall(m)) => {
            let at = cx.span_of(m.dot_token.span).start as usize;
            // Only when the builder is in the same expression: `Builder::new().spawn(…)`.
            if !matches!(&*m.receiver, Expr::Call(_) | Expr::MethodCall(_)) {
                return None;
            }
            Some(Suggestion {
                message: "give the thread a name".to_string(),
                edits: vec![Edit {
                    span: Span::new(cx.file, at, at), replacement: ".name(\"…\".into())".to_string()
                }],
                applicability: Applicability::HasPlaceholders,
            })
        }
        _ => None,
    }
}
