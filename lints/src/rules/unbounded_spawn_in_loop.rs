use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::{Family, LoopFacts, LoopKind, Spawn, Spawner};
use crate::registry::Rule;
use syn::visit::{self, Visit};
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a thread or task spawned for every piece of outside input a loop takes, with no
    /// bound in sight: one per connection of an accept loop (`accept()`, `incoming()`, QUIC's
    /// `accept_bi()`), per line of a reader (`lines()`, `read_line`), per datagram of a socket
    /// (`recv_from`), or per item of a stream bound to one of those; and no semaphore permit
    /// acquired in the loop, no check of how many tasks are running (`len()` against a limit,
    /// `join_next()`), no join in the same iteration.
    ///
    /// Spawns on a fixed-size pool (`rayon`, `spawn_blocking`, a futures `ThreadPool`) and loops
    /// over a range (`0..n`) or a literal list are left alone: their concurrency is bounded by
    /// construction. Only the innermost loop decides. A task whose `async` body, written in
    /// place, neither awaits nor loops (a broadcast `send`, a log line) ends on its first poll,
    /// so such tasks cannot pile up; threads and `JoinSet` spawns (whose set keeps every result
    /// until joined) still count.
    ///
    /// Narrower than the first catalogue, for reasons reviewers of real crates gave:
    /// - A `for` loop over a collection in memory (`for job in jobs`) is not reported: its size
    ///   was set by the program itself (registered jobs, a supervisor's children, configured
    ///   endpoints), and maintainers rejected every such finding reviewed.
    /// - A loop over a channel's messages (`while let Some(m) = rx.recv().await`, `for m in rx`)
    ///   is not reported: the messages come from the program's own producers (a scheduler's
    ///   activations, a worker's jobs, requests whose callers wait for the answer), and whether
    ///   those follow outside input is out of sight of the loop. The limit belongs where the
    ///   input enters: a bounded channel (`unbounded_channel`) or the accept loop feeding it.
    /// - A loop over a terminal's key presses (crossterm's `EventStream`) is not outside input
    ///   in this sense: a person paces it.
    ///
    /// - An async task per connection of an accept loop in a library (a file under `src/`
    ///   other than `src/main.rs` and `src/bin/`) is left to the `pedantic` lint
    ///   `unbounded_library_accept_loop`: a server library's task per connection is its design,
    ///   each task holds a socket that the open-file limit counts, and the limit belongs to the
    ///   application that knows its machine (a `tower` concurrency limit, a proxy). Reviewers
    ///   split evenly on warp's serve loops. An application's own accept loop, a thread per
    ///   connection anywhere (a stack and an OS thread each, and `thread::spawn` panics when
    ///   the OS refuses one), and lines and datagrams anywhere (no file descriptor caps those)
    ///   are reported here.
    /// - A diagnostics endpoint (a console, a metrics, debug or admin server, named so by its
    ///   module, its function or its type: `console/server.rs`, `serve_metrics`,
    ///   `impl DebugServer`) serves the operator's own tools, usually on a local address; the
    ///   maintainers asked rejected a connection limit there as unneeded.
    ///
    /// Test code (`#[test]` functions, `#[cfg(test)]` modules and module files declared under a
    /// test-only `cfg`, files under `tests/`), examples and benchmarks (files under `examples/`
    /// and `benches/`) are exempt: their inputs are fixtures of a known size or the demo's own
    /// client, and a connection limit would only obscure what the example shows.
    ///
    /// ### Why is this bad
    /// Go's rule: bound concurrency. One task or thread per connection or line lets whoever
    /// sends the input decide how much memory, how many sockets and how many threads the process
    /// uses: a burst of connections or a large file becomes an outage. Where the limit is the
    /// deployer's to set (a server behind a proxy), the docs should say that every connection
    /// gets its own task; the help says so.
    ///
    /// ### Known problems
    /// A collection or a channel filled from outside input and then spawned over item by item is
    /// missed, as the price of the rules above. A limit enforced elsewhere (an upstream rate
    /// limiter, `ulimit`) is not visible; suppress the finding with a reason.
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
    for (spawn, lp, input) in unbounded_spawns(cx) {
        if library_accept_task(cx, spawn, input) {
            continue;
        }
        report(cx, &UNBOUNDED_SPAWN_IN_LOOP, spawn, lp, input);
    }
}

/// The spawns that start one thread or task per piece of outside input, with no bound in
/// sight, and what the input is. Shared with `unbounded_library_accept_loop`, which reports the
/// accept loops of library code that this lint leaves out.
pub(super) fn unbounded_spawns<'c, 'a>(cx: &'c FileCx<'a>) -> Vec<(&'c Spawn<'a>, &'c LoopFacts<'a>, Input)> {
    let mut found = Vec::new();
    for spawn in &cx.facts.spawns {
        // Test code, examples and benchmarks are exempt: their inputs are fixtures of a known,
        // small size, or the demo's own client.
        if spawn.spawner.runs_on_bounded_pool() || spawn.ctx.is_test || cx.is_example_file {
            continue;
        }
        if finishes_on_first_poll(spawn) {
            continue;
        }
        let Some((lp, input)) = unbounded_loop(cx, spawn) else { continue };
        if loop_has_bound(lp) || joined_in_same_iteration(cx, spawn, lp) || serves_operator_tools(cx, spawn) {
            continue;
        }
        found.push((spawn, lp, input));
    }
    found
}

/// A task (not a thread) per connection of a library's accept loop: reported by
/// `unbounded_library_accept_loop` instead. A thread costs a stack and an OS thread, and
/// `thread::spawn` panics when the OS refuses one, so threads stay here.
pub(super) fn library_accept_task(cx: &FileCx<'_>, spawn: &Spawn<'_>, input: Input) -> bool {
    input == Input::Connections && !spawn.spawner.is_thread() && in_library(cx)
}

/// A file of a library: under the package's `src/`, but not the binary's root (`src/main.rs`)
/// or a file of `src/bin/`. A server library cannot know how many connections its users'
/// machines take; the limit is the application's (a `tower` concurrency limit, a proxy). A
/// module of a binary-only package (`src/server.rs` declared by `src/main.rs`) is taken for
/// library code too: the lint then says nothing rather than something wrong.
fn in_library(cx: &FileCx<'_>) -> bool {
    // By the path's last `src` folder: the path is shown relative to where the run started,
    // which may be inside or above the package.
    let parts: Vec<_> = cx.source.path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    let Some(src) = parts.iter().rposition(|p| p == "src") else { return false };
    !matches!(parts.get(src + 1).map(|p| p.as_ref()), Some("main.rs" | "bin") | None)
}

/// The innermost enclosing loop (in the same function and spawn body), when its input size
/// is unknown. Only the innermost loop decides: inside a bounded count (`for _ in 0..N`) the
/// spawns of one outer iteration are bounded, and what the outer loop does with them between
/// iterations (join them, usually) is not visible enough to judge.
fn unbounded_loop<'c, 'a>(cx: &'c FileCx<'a>, spawn: &Spawn<'a>) -> Option<(&'c LoopFacts<'a>, Input)> {
    let (_, lp) = cx.facts.enclosing_loops(spawn.ctx).next()?;
    if lp.ctx.spawn_body != spawn.ctx.spawn_body || lp.ctx.fn_id != spawn.ctx.fn_id {
        return None;
    }
    let input = outside_input(cx, lp)?;
    Some((lp, input))
}

/// A diagnostics endpoint: a console, a metrics or debug server, an admin port. It serves the
/// operator's own tools (a console client, a scraper), usually on a local address, and its
/// maintainers rejected connection limits as unneeded. Named by the module path (the folders
/// and file below `src/`), the enclosing function, or the type whose method it is.
fn serves_operator_tools(cx: &FileCx<'_>, spawn: &Spawn<'_>) -> bool {
    const TOOLS: &[&str] = &[
        "console", "debug", "debugger", "metrics", "monitor", "monitoring", "admin", "diagnostic", "diagnostics",
        "pprof", "profiler", "inspector", "dashboard",
    ];
    let path = &cx.source.path;
    let below_src: Vec<String> = {
        let parts: Vec<String> = path.iter().map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
        match parts.iter().rposition(|c| c == "src") {
            Some(i) => parts[i + 1..].to_vec(),
            None => parts.last().cloned().into_iter().collect(),
        }
    };
    let function = spawn.ctx.fn_id.map(|f| cx.facts.func(f));
    let names = below_src
        .iter()
        .map(String::as_str)
        .chain(function.map(|f| f.name.as_str()))
        .chain(function.and_then(|f| f.self_ty.as_deref()));
    names.flat_map(name_words).any(|w| TOOLS.contains(&w.as_str()))
}

/// The lowercase words of a snake_case, kebab-case or CamelCase name.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        word.extend(ch.to_lowercase());
    }
    words.extend((!word.is_empty()).then_some(word));
    words
}

/// What a loop takes from outside the process each time round; it names the finding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    Connections,
    Lines,
    Datagrams,
}

impl Input {
    fn item(self) -> &'static str {
        match self {
            Input::Connections => "connection",
            Input::Lines => "line",
            Input::Datagrams => "datagram",
        }
    }

    /// How the loop takes one item, and the items, as the message and label say them.
    fn taken(self) -> (&'static str, &'static str) {
        match self {
            Input::Connections => ("accepted connection", "connections are accepted"),
            Input::Lines => ("line read", "lines are read"),
            Input::Datagrams => ("datagram received", "datagrams are received"),
        }
    }
}

fn outside_input(cx: &FileCx<'_>, lp: &LoopFacts<'_>) -> Option<Input> {
    match lp.kind {
        // A `loop` is a loop over input only when it pulls input each time round (an accept
        // loop); otherwise it is a state machine or a retry loop.
        LoopKind::Loop => lp.body.and_then(|b| pulls_input(cx, b)),
        LoopKind::WhileLet => lp.source.and_then(|s| pulled_in(cx, s)),
        // `while reader.read_line(&mut line)? > 0`; `while true` is a `loop`.
        LoopKind::While => match lp.source {
            Some(Expr::Lit(_)) => lp.body.and_then(|b| pulls_input(cx, b)),
            Some(cond) => pulled_in(cx, cond),
            None => None,
        },
        // A collection in memory is sized by the program far more often than by its input
        // (registered jobs, a supervisor's children, configured endpoints): only a source that
        // pulls input (a listener's connections, a reader's lines) counts.
        LoopKind::For | LoopKind::IterClosure => lp
            .source
            .and_then(|s| input_source(cx, s, 0))
            .filter(|_| !lp.source.is_some_and(|s| is_bounded_source(cx, s, 0))),
    }
}

/// An iterable that yields outside input as it arrives: `listener.incoming()`,
/// `reader.lines()`, or a local bound to one of those.
fn input_source(cx: &FileCx<'_>, e: &Expr, depth: u8) -> Option<Input> {
    if depth > 4 {
        return None;
    }
    match crate::facts::peel_parens(e) {
        Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "incoming" | "into_incoming" | "accept" => Some(Input::Connections),
            "lines" | "bytes" => Some(Input::Lines),
            _ => input_source(cx, &m.receiver, depth + 1),
        },
        Expr::Reference(r) => input_source(cx, &r.expr, depth + 1),
        // A wrapper of the stream: `Box::pin(s)`, `futures::stream::iter(listener.incoming())`.
        Expr::Call(c) => c.args.iter().find_map(|a| input_source(cx, a, depth + 1)),
        Expr::Macro(m) if m.mac.path.is_ident("pin") => {
            m.mac.parse_body::<Expr>().ok().and_then(|inner| input_source(cx, &inner, depth + 1))
        }
        e @ Expr::Path(_) => cx
            .facts
            .binding_of_expr(e)
            .and_then(|b| cx.facts.binding(b).init)
            .and_then(|init| input_source(cx, init, depth + 1)),
        _ => None,
    }
}

/// The outside input a `loop` body or a `while let` scrutinee takes each time round (not
/// counting closures and `async` blocks in it, which run elsewhere).
struct InputPuller<'c, 'a> {
    cx: &'c FileCx<'a>,
    found: Option<Input>,
}

impl<'a> Visit<'a> for InputPuller<'_, '_> {
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        self.found = self.found.or_else(|| pull(self.cx, m));
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

fn pulls_input(cx: &FileCx<'_>, body: &syn::Block) -> Option<Input> {
    let mut p = InputPuller { cx, found: None };
    p.visit_block(body);
    p.found
}

fn pulled_in(cx: &FileCx<'_>, e: &Expr) -> Option<Input> {
    let mut p = InputPuller { cx, found: None };
    p.visit_expr(e);
    p.found
}

/// A call that takes the next piece of outside input: a connection (`accept`), a line
/// (`read_line`), a datagram (`recv_from`, a socket's `recv(&mut buf)`), or the next item of
/// a stream bound to one of those (`incoming.next()`). A channel's `recv()` is not outside
/// input: its messages come from the program's own producers (a scheduler's activations, a
/// worker's jobs), and whether those follow outside input is out of sight here.
fn pull(cx: &FileCx<'_>, m: &syn::ExprMethodCall) -> Option<Input> {
    match m.method.to_string().as_str() {
        "accept" | "accept_bi" | "accept_uni" | "poll_accept" | "incoming" => Some(Input::Connections),
        "read_line" => Some(Input::Lines),
        "recv_from" => Some(Input::Datagrams),
        "recv" | "recv_async" if !m.args.is_empty() => Some(Input::Datagrams),
        "next" | "try_next" | "next_line" => {
            input_source(cx, &m.receiver, 0).or_else(|| (m.method == "next_line").then_some(Input::Lines))
        }
        _ => None,
    }
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

pub(super) fn report(
    cx: &FileCx<'_>,
    lint: &'static crate::registry::Lint,
    spawn: &Spawn<'_>,
    lp: &LoopFacts<'_>,
    input: Input,
) {
    let what = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let item = input.item();
    let (one, all) = input.taken();
    let mut d = Diagnostic::new(
        lint,
        spawn.callee_span,
        format!("`{}` starts one {what} per {one}, with no limit on how many run at once", spawn.api),
    )
    .primary_label(format!("a new {what} for every {item}"))
    .label(lp.keyword_span, format!("{all} here for as long as they come"));
    let cap = match spawn.spawner.family() {
        Family::Tokio if spawn.spawner == Spawner::JoinSet => {
            "before spawning, wait with `set.join_next().await` while `set.len()` is at a limit".to_string()
        }
        Family::Tokio | Family::AsyncStd | Family::Smol => format!(
            "before spawning, acquire a permit from a `Semaphore` sized to the {what}s you allow at once and move it into the {what} (`let permit = limit.clone().acquire_owned().await?`)"
        ),
        _ => format!("hand the {item}s to a fixed pool of worker threads over a bounded channel"),
    };
    d = d.help(if input == Input::Connections {
        format!("{cap}; if the limit is the deployer's to set (a proxy, a firewall), say in the docs that every connection gets its own {what}")
    } else {
        cap
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
