use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::{Family, LoopFacts, LoopKind, Spawn, Spawner};
use crate::registry::Rule;
use syn::visit::{self, Visit};
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a thread or task spawned inside a loop over input of unknown size (an accept
    /// loop, a `while let` over a channel or stream, a `for` or iterator adaptor over a
    /// listener's connections, a reader's lines or a channel receiver) with no bound in sight:
    /// no semaphore permit acquired in the loop, no check of how many tasks are running
    /// (`len()` against a limit, `join_next()`), no join in the same iteration.
    ///
    /// Spawns on a fixed-size pool (`rayon`, `spawn_blocking`, a futures `ThreadPool`) and loops
    /// over a range (`0..n`) or a literal list are left alone: their concurrency is bounded by
    /// construction. Only the innermost loop decides, a `loop` counts only when it pulls input
    /// (`accept`, `recv`, `next`…). A `const` or `static` list in the same file is a literal
    /// list too. A task whose `async` body, written in place, neither awaits nor loops (a
    /// broadcast `send`, a log line) ends on its first poll, so such tasks cannot pile up;
    /// threads and `JoinSet` spawns (whose set keeps every result until joined) still count.
    ///
    /// A `for` loop over a collection in memory (`for job in jobs`) is not reported: on real
    /// crates its size was set by the program itself (registered jobs, a supervisor's
    /// children, configured endpoints), and maintainers rejected every such finding reviewed.
    /// Nor is a request/response loop whose message carries the channel the task answers on
    /// (`while let Some((req, reply_tx)) = rx.recv().await { spawn(forward(req, reply_tx)) }`):
    /// each sender waits for its answer, so the live tasks are at most the waiting callers.
    /// Nor a loop over a terminal's key presses (crossterm's `EventStream`): a person paces it.
    ///
    /// Test code (`#[test]` functions, `#[cfg(test)]` modules and module files declared under a
    /// test-only `cfg`, files under `tests/`), examples and benchmarks (files under `examples/`
    /// and `benches/`) are exempt: their inputs are fixtures of a known size or the demo's own
    /// client, and a connection limit would only obscure what the example shows.
    ///
    /// ### Why is this bad
    /// Go's rule: bound concurrency. One task or thread per item lets the input decide how much
    /// memory, how many sockets and how many threads the process uses: a burst of connections
    /// or a large file becomes an outage.
    ///
    /// ### Known problems
    /// A collection read from outside input and then spawned over item by item is missed, as
    /// the price of the rule above. A limit enforced elsewhere (a bounded channel feeding the
    /// loop, an upstream rate limiter) is not visible; suppress the finding with a reason.
    ///
    /// ### Example
    /// ```rust,ignore
    /// loop {
    ///     let (socket, _) = listener.accept().await?;
    ///     tokio::spawn(handle(socket));
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let limit = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    /// loop {
    ///     let permit = limit.clone().acquire_owned().await?;
    ///     let (socket, _) = listener.accept().await?;
    ///     tokio::spawn(async move {
    ///         handle(socket).await;
    ///         drop(permit);
    ///     });
    /// }
    /// ```
    pub static UNBOUNDED_SPAWN_IN_LOOP = {
        name: "unbounded_spawn_in_loop",
        rule: Some(Rule::BoundConcurrency),
        category: Suspicious,
        cost: Leak,
        summary: "a loop over input of unknown size spawns without a limit",
        why: "unbounded fan-out lets the input decide how many tasks and threads the process runs",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for spawn in &cx.facts.spawns {
        // Test code, examples and benchmarks are exempt: their inputs are fixtures of a known,
        // small size, or the demo's own client.
        if spawn.spawner.runs_on_bounded_pool() || spawn.ctx.is_test || cx.is_example_file {
            continue;
        }
        if finishes_on_first_poll(spawn) {
            continue;
        }
        let Some(lp) = unbounded_loop(cx, spawn) else { continue };
        if loop_has_bound(lp) || joined_in_same_iteration(cx, spawn, lp) || answers_waiting_caller(spawn, lp) {
            continue;
        }
        report(cx, spawn, lp);
    }
}

/// The innermost enclosing loop (in the same function and spawn body), when its input size
/// is unknown. Only the innermost loop decides: inside a bounded count (`for _ in 0..N`) the
/// spawns of one outer iteration are bounded, and what the outer loop does with them between
/// iterations (join them, usually) is not visible enough to judge.
fn unbounded_loop<'c, 'a>(cx: &'c FileCx<'a>, spawn: &Spawn<'a>) -> Option<&'c LoopFacts<'a>> {
    let (_, lp) = cx.facts.enclosing_loops(spawn.ctx).next()?;
    if lp.ctx.spawn_body != spawn.ctx.spawn_body || lp.ctx.fn_id != spawn.ctx.fn_id {
        return None;
    }
    input_is_unbounded(cx, lp).then_some(lp)
}

fn input_is_unbounded(cx: &FileCx<'_>, lp: &LoopFacts<'_>) -> bool {
    match lp.kind {
        // A `loop` is a loop over input only when it pulls input each time round (an accept
        // loop); otherwise it is a state machine or a retry loop.
        LoopKind::Loop => lp.body.is_some_and(|b| pulls_input(cx, b)),
        LoopKind::WhileLet => true,
        LoopKind::While => matches!(lp.source, Some(Expr::Lit(_))),
        // A collection in memory is sized by the program far more often than by its input
        // (registered jobs, a supervisor's children, configured endpoints): only a source that
        // pulls input (a listener's connections, a reader's lines, a channel) counts.
        LoopKind::For | LoopKind::IterClosure => {
            lp.source.is_some_and(|s| is_input_source(cx, s, 0) && !is_bounded_source(cx, s, 0))
        }
    }
}

/// An iterable that yields input as it arrives: `listener.incoming()`, `reader.lines()`,
/// a channel receiver (`for msg in rx`, `rx.iter()`), or a local bound to one of those.
fn is_input_source(cx: &FileCx<'_>, e: &Expr, depth: u8) -> bool {
    if depth > 4 {
        return false;
    }
    match crate::facts::peel_parens(e) {
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            matches!(name.as_str(), "incoming" | "into_incoming" | "lines" | "bytes" | "accept")
                || (matches!(name.as_str(), "iter" | "try_iter" | "into_iter" | "into_stream" | "stream")
                    && is_receiver(cx, &m.receiver))
                || is_input_source(cx, &m.receiver, depth + 1)
        }
        Expr::Reference(r) => is_input_source(cx, &r.expr, depth + 1),
        e @ Expr::Path(_) => {
            is_receiver(cx, e)
                || cx
                    .facts
                    .binding_of_expr(e)
                    .and_then(|b| cx.facts.binding(b).init)
                    .is_some_and(|init| is_input_source(cx, init, depth + 1))
        }
        _ => false,
    }
}

/// A channel's receiving end, by its declared type or by its name (`rx`, `events_rx`,
/// `receiver`).
fn is_receiver(cx: &FileCx<'_>, e: &Expr) -> bool {
    let Expr::Path(p) = crate::facts::peel_parens(e) else { return false };
    let Some(name) = p.path.get_ident().map(|i| i.to_string()) else { return false };
    let typed_receiver = cx.facts.binding_of_expr(e).and_then(|b| cx.facts.binding(b).ty).is_some_and(|ty| {
        matches!(ty, syn::Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident.to_string().contains("Receiver")))
    });
    typed_receiver || name == "rx" || name.ends_with("_rx") || name == "receiver" || name.ends_with("_receiver")
}

/// Calls that take the next piece of input: connections, messages, stream items, lines.
/// A loop that reads a terminal's key and mouse events (crossterm's `EventStream`) is the
/// main loop of an interactive program: a person at a keyboard paces what it starts, even
/// when it also drains other channels.
fn pulls_input(cx: &FileCx<'_>, body: &syn::Block) -> bool {
    struct Puller<'c, 'a> {
        cx: &'c FileCx<'a>,
        found: bool,
        terminal: bool,
    }
    impl<'a> Visit<'a> for Puller<'_, '_> {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            let name = m.method.to_string();
            let pulls = matches!(
                name.as_str(),
                "accept"
                    | "accept_bi"
                    | "accept_uni"
                    | "recv"
                    | "recv_from"
                    | "recv_async"
                    | "next"
                    | "try_next"
                    | "next_message"
                    | "incoming"
                    | "read_line"
                    | "poll_accept"
                    | "message"
                    | "get_next"
            );
            if pulls && is_terminal_events(self.cx, &m.receiver) {
                self.terminal = true;
            } else {
                self.found |= pulls;
            }
            visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let mut p = Puller { cx, found: false, terminal: false };
    p.visit_block(body);
    p.found && !p.terminal
}

/// A local bound to a terminal event stream (`EventStream::new()`, possibly pinned or boxed).
fn is_terminal_events(cx: &FileCx<'_>, receiver: &Expr) -> bool {
    let Some(init) =
        cx.facts.binding_of_expr(crate::facts::peel_parens(receiver)).and_then(|b| cx.facts.binding(b).init)
    else {
        return false;
    };
    struct Names(bool);
    impl<'a> Visit<'a> for Names {
        fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
            self.0 |= i == "EventStream";
        }
    }
    let mut n = Names(false);
    n.visit_expr(init);
    n.0
}

/// A request/response loop: each message carries the channel its answer goes back on
/// (`while let Some((req, reply_tx)) = rx.recv().await { spawn(forward(req, reply_tx)) }`).
/// The sender waits for that answer, so the tasks alive at once are at most the callers
/// waiting, and each caller can only have as many requests in flight as it waits on.
fn answers_waiting_caller(spawn: &Spawn<'_>, lp: &LoopFacts<'_>) -> bool {
    let mut reply_names = Vec::new();
    let mut collect = |pat: &syn::Pat| {
        reply_names.extend(crate::facts::pattern_names(pat).into_iter().filter(|n| is_reply_channel_name(n)));
    };
    match (lp.kind, lp.expr) {
        (LoopKind::WhileLet, Expr::While(w)) => {
            if let Expr::Let(l) = &*w.cond {
                collect(&l.pat);
            }
        }
        (LoopKind::Loop, _) => {
            for stmt in lp.body.map(|b| b.stmts.as_slice()).unwrap_or_default() {
                if let syn::Stmt::Local(local) = stmt {
                    if local.init.as_ref().is_some_and(|i| pulls_message(&i.expr)) {
                        collect(&local.pat);
                    }
                }
            }
        }
        _ => {}
    }
    if reply_names.is_empty() {
        return false;
    }
    crate::facts::mentions_any(spawn.call, &reply_names)
}

fn is_reply_channel_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["reply", "respond", "response", "resp_tx", "callback", "ack", "result_tx", "res_tx", "done_tx"]
        .iter()
        .any(|w| lower.contains(w))
        || lower == "tx"
        || lower.ends_with("_tx")
        || lower.ends_with("sender")
}

fn pulls_message(e: &Expr) -> bool {
    struct Recv(bool);
    impl<'a> Visit<'a> for Recv {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            self.0 |= matches!(m.method.to_string().as_str(), "recv" | "recv_async" | "next" | "try_next");
            visit::visit_expr_method_call(self, m);
        }
    }
    let mut r = Recv(false);
    r.visit_expr(e);
    r.0
}

/// A range, a literal list, a local bound to one, or an iterator chain rooted in one.
fn is_bounded_source(cx: &FileCx<'_>, e: &Expr, depth: u8) -> bool {
    if depth > 4 {
        return false;
    }
    let is_bounded_source = |e: &Expr| is_bounded_source(cx, e, depth + 1);
    match e {
        Expr::Path(p) => match cx.facts.binding_of_expr(e) {
            Some(b) => cx.facts.binding(b).init.is_some_and(is_bounded_source),
            None => p.path.get_ident().and_then(|name| const_value(cx.ast, name)).is_some_and(is_bounded_source),
        },
        Expr::Range(r) => r.end.is_some(),
        Expr::Array(_) | Expr::Repeat(_) => true,
        Expr::Paren(p) => is_bounded_source(&p.expr),
        Expr::Reference(r) => is_bounded_source(&r.expr),
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            // `buffer_unordered(n)` / `for_each_concurrent(n, …)` carry their own limit.
            matches!(name.as_str(), "buffer_unordered" | "buffered" | "chunks" | "chunks_exact" | "take")
                || is_bounded_source(&m.receiver)
        }
        _ => false,
    }
}

/// A semaphore permit, a task-count check or a `join_next` inside the loop.
fn loop_has_bound(lp: &LoopFacts<'_>) -> bool {
    let mut f = BoundFinder { found: false };
    f.visit_expr(lp.expr);
    if let Some(source) = lp.source {
        f.visit_expr(source);
    }
    f.found
}

struct BoundFinder {
    found: bool,
}

fn is_limit_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["max", "limit", "capacity", "permit", "concurren", "semaphore", "quota", "budget", "workers"]
        .iter()
        .any(|w| lower.contains(w))
}

impl<'a> Visit<'a> for BoundFinder {
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        let name = m.method.to_string();
        if matches!(
            name.as_str(),
            "acquire"
                | "acquire_owned"
                | "acquire_many"
                | "acquire_many_owned"
                | "try_acquire"
                | "try_acquire_owned"
                | "join_next"
                | "join_next_with_id"
                | "for_each_concurrent"
                | "try_for_each_concurrent"
                | "buffer_unordered"
                | "buffered"
                | "wait"
        ) {
            self.found = true;
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_binary(&mut self, b: &'a syn::ExprBinary) {
        use syn::BinOp::*;
        let is_comparison = matches!(b.op, Lt(_) | Le(_) | Gt(_) | Ge(_) | Eq(_));
        // `set.len() >= MAX`, `Arc::strong_count(&x) < 5_000`, `active_count() < limit`.
        let is_count = |name: &str| name == "len" || name.contains("count") || name.ends_with("_permits");
        let is_len = |e: &Expr| match e {
            Expr::MethodCall(m) => is_count(&m.method.to_string()),
            Expr::Call(c) => {
                matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| is_count(&s.ident.to_string())))
            }
            _ => false,
        };
        if is_comparison && (is_len(&b.left) || is_len(&b.right)) {
            self.found = true;
        }
        visit::visit_expr_binary(self, b);
    }
    fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
        if is_limit_name(&i.to_string()) {
            self.found = true;
        }
    }
}

/// `let h = spawn(…); h.join()` in the same iteration runs one at a time.
fn joined_in_same_iteration(cx: &FileCx<'_>, spawn: &Spawn<'_>, lp: &LoopFacts<'_>) -> bool {
    let immediately_waited = matches!(spawn.flow, crate::facts::Flow::Awaited(_))
        || matches!(spawn.flow, crate::facts::Flow::Method(m) if m.method == "join");
    if immediately_waited {
        return true;
    }
    let crate::facts::Flow::Let(pat) = spawn.flow else { return false };
    let syn::Pat::Ident(p) = pat else { return false };
    let Some(b) = cx.facts.binding_at(cx.span_of(p.ident.span())) else { return false };
    let loop_span = cx.span(lp.expr);
    cx.facts.uses_of(b).any(|u| {
        let inside = u.span.start >= loop_span.start && u.span.end <= loop_span.end;
        inside
            && (matches!(u.flow, crate::facts::Flow::Awaited(_))
                || matches!(u.flow, crate::facts::Flow::Method(m) if m.method == "join"))
    })
}

fn report(cx: &FileCx<'_>, spawn: &Spawn<'_>, lp: &LoopFacts<'_>) {
    let what = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let mut d = Diagnostic::new(
        &UNBOUNDED_SPAWN_IN_LOOP,
        spawn.callee_span,
        format!("`{}` in a loop over input of unknown size starts one {what} per item with no limit", spawn.api),
    )
    .primary_label(format!("a new {what} for every item"))
    .label(lp.keyword_span, "this loop's input has no visible bound");
    d = d.help(match spawn.spawner.family() {
        Family::Tokio if spawn.spawner == Spawner::JoinSet => {
            "before spawning, wait with `set.join_next().await` while `set.len()` is at a limit"
        }
        Family::Tokio | Family::AsyncStd | Family::Smol => {
            "acquire a `Semaphore` permit before spawning and move it into the task (`let permit = limit.clone().acquire_owned().await?`), or use `futures::stream::iter(items).for_each_concurrent(LIMIT, …)`"
        }
        _ => "feed the items to a fixed pool of worker threads over a channel, or use `rayon` (`par_iter`) or `std::thread::scope` over chunks",
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The value of the `const` or `static` item `name` in this file (at any depth).
fn const_value<'a>(ast: &'a syn::File, name: &syn::Ident) -> Option<&'a Expr> {
    struct Finder<'a, 'n> {
        name: &'n syn::Ident,
        found: Option<&'a Expr>,
    }
    impl<'a> Visit<'a> for Finder<'a, '_> {
        fn visit_item_const(&mut self, c: &'a syn::ItemConst) {
            if c.ident == *self.name {
                self.found = Some(&c.expr);
            }
        }
        fn visit_item_static(&mut self, s: &'a syn::ItemStatic) {
            if s.ident == *self.name {
                self.found = Some(&s.expr);
            }
        }
    }
    let mut f = Finder { name, found: None };
    f.visit_file(ast);
    f.found
}

/// An `async` task whose body never awaits and has no loop runs to its end on its first poll
/// (a broadcast `send`, a log line): such tasks cannot pile up, whatever the input. Only a
/// body written in place counts: a called function may block for any time.
fn finishes_on_first_poll(spawn: &Spawn<'_>) -> bool {
    struct Waits(bool);
    impl<'a> Visit<'a> for Waits {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Await(_) | Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => self.0 = true,
                _ => visit::visit_expr(self, e),
            }
        }
        // A macro counts when its tokens could wait or loop (`select!`, `join!`), not a log line.
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            self.0 |= may_wait(m.tokens.clone());
        }
    }
    fn may_wait(tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => ["await", "loop", "while", "for"].iter().any(|k| i == k),
            proc_macro2::TokenTree::Group(g) => may_wait(g.stream()),
            _ => false,
        })
    }
    // A thread costs its creation whatever it runs; a `JoinSet` keeps each finished task's
    // result until someone joins it, so those pile up all the same.
    if spawn.spawner.is_thread() || spawn.spawner == Spawner::JoinSet {
        return false;
    }
    let Some(Expr::Async(block)) = spawn.body.map(crate::facts::peel_parens) else { return false };
    let mut w = Waits(false);
    w.visit_block(&block.block);
    !w.0
}
