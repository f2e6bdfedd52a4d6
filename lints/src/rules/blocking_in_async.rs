use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::{BindingId, Call, Callee, ClosureCtx, Ctx, Facts, Flow, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::HashSet;
use syn::{Expr, Pat};

mod lone;

crate::declare_lint! {
    /// ### What it does
    /// Finds blocking calls inside an `async fn` or an `async` block:
    /// - `std::thread::sleep`;
    /// - `std::fs` I/O: its functions (`std::fs::read_to_string`, `write`, `copy`,
    ///   `create_dir_all`, `remove_file`, `metadata`…) and `std::fs::File::open`/`create`;
    /// - `std::net` I/O: `TcpStream::connect`, `accept`/`incoming` on a `TcpListener` and
    ///   `recv_from`/`send_to` on a `UdpSocket` bound in sight (unless they were switched to
    ///   non-blocking mode), and `bind` of a host name, which resolves it with a blocking DNS
    ///   lookup;
    /// - `JoinHandle::join` of a `std::thread::spawn` (or `thread::Builder`) handle;
    /// - `recv`, `recv_timeout` and iteration on a `std::sync::mpsc` receiver created in sight
    ///   by `mpsc::channel` or `mpsc::sync_channel`.
    ///
    /// Code in a closure passed to `spawn_blocking` (tokio, async-std, a runtime `Handle`, a
    /// `JoinSet`), `block_in_place`, `thread::spawn`, `thread::scope` or any other spawner is
    /// not async context, nor is a nested `fn` item inside an `async fn`. An `async` block
    /// is.
    ///
    /// Test code (`#[tokio::test]` functions, `#[cfg(test)]` modules, inline or declared from
    /// another file as `#[cfg(test)] mod tests;`, files under `tests/`) is left alone: tests block
    /// on purpose (writing a fixture file, driving a std client against the server under test,
    /// keeping a worker busy to measure it), and a sleep that waits for other tasks there is
    /// `sleep_in_test`'s finding.
    ///
    /// Async code that runs alone on its thread is left alone too: the future handed to a
    /// `block_on` (`futures::executor::block_on`, `pollster`, `smol`, `futures_lite`,
    /// `async_std::task`, a tokio `Runtime`'s or `Handle`'s `block_on`), the body of a function
    /// under `#[tokio::main]`, `#[async_std::main]` and the like, and the private `async fn`s
    /// awaited only from such code (every function of a file with `fn main`, which nothing
    /// else can call). Such a future runs on the caller's own thread, not on a worker: a
    /// multi-thread tokio runtime runs spawned tasks on its workers, the plain `block_on`s run
    /// nothing else, so a blocking call there delays only the future that needs its result,
    /// as in an example's `main` reading its certificate before it serves. This holds for
    /// `#[tokio::main]` whether or not the file spawns tasks: they never run on `main`'s
    /// thread. It does not hold, and the findings stay, when:
    /// - the runtime runs spawned tasks on that thread too (tokio's current-thread flavour, a
    ///   `LocalSet`, `spawn_local`, a `LocalPool`, actix, monoio, glommio) and the file spawns
    ///   a task;
    /// - the file races futures in one task (`join!`, `select!`, `join_all`,
    ///   `FuturesUnordered`, `buffer_unordered`, `race`…): a blocked branch stalls the others;
    /// - the `async fn` is public outside a binary, awaited by a spawned task, passed on as a
    ///   value, or stored before it is awaited.
    ///
    /// ### Why is this bad
    /// An executor runs many tasks on few threads and switches between them only at `.await`
    /// points. A blocking call holds its thread for the whole wait: every other task on that
    /// thread stalls (on a current-thread runtime, all of them), timers fire late, and with
    /// enough blocked workers the whole program stops. Go's rule 4 asks that work honour
    /// cancellation; a blocked thread cannot even be cancelled.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** A blind review of 20 findings on crates it was never tuned
    /// on (corpus C, 2026-12-03) judged 2 true: most blocking calls it found sat in test modules
    /// declared from another file (`#[cfg(test)] mod tests;`, test code since), run once at
    /// start-up before any task shares the thread, block on purpose (a demo of a misbehaving task),
    /// or run on a runtime that is not tokio's. Turn it on (`-W blocking_in_async` or `pedantic =
    /// "warn"`) to review an async code base.
    ///
    /// Receivers, handles and sockets are recognised only when created in the same function
    /// from a resolved `std` path; ones passed in as parameters or stored in fields are not
    /// seen. Calls inside a closure handed to an unknown function stay silent, since that
    /// function may run the closure on another thread; closures given to iterator, `Option`
    /// and `Result` adaptors run in place and count. `bind` of a numeric address or of a
    /// variable is left alone: it does not wait on anything.
    ///
    /// ### Example
    /// ```rust,ignore
    /// async fn poll_config(path: &Path) -> String {
    ///     std::thread::sleep(Duration::from_secs(1));
    ///     std::fs::read_to_string(path).unwrap()
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// async fn poll_config(path: &Path) -> String {
    ///     tokio::time::sleep(Duration::from_secs(1)).await;
    ///     tokio::fs::read_to_string(path).await.unwrap()
    /// }
    /// ```
    pub static BLOCKING_IN_ASYNC = {
        name: "blocking_in_async",
        rule: Some(Rule::Cancellation),
        category: Pedantic,
        cost: Hang,
        summary: "a blocking call (sleep, file or socket I/O, thread join, channel receive) in async code",
        why: "a blocking call stalls the executor thread and every task on it",
    };
}

/// `std::fs` functions that touch the file system.
const FS_FNS: &[&str] = &[
    "canonicalize",
    "copy",
    "create_dir",
    "create_dir_all",
    "exists",
    "hard_link",
    "metadata",
    "read",
    "read_dir",
    "read_link",
    "read_to_string",
    "remove_dir",
    "remove_dir_all",
    "remove_file",
    "rename",
    "set_permissions",
    "soft_link",
    "symlink_metadata",
    "write",
];

/// `std::fs` functions whose `tokio::fs` namesake takes the same arguments and returns the
/// same type, so the rewrite needs only `.await`.
const TOKIO_FS_SAME: &[&str] = &[
    "canonicalize",
    "copy",
    "create_dir",
    "create_dir_all",
    "hard_link",
    "metadata",
    "read",
    "read_link",
    "read_to_string",
    "remove_dir",
    "remove_dir_all",
    "remove_file",
    "rename",
    "set_permissions",
    "symlink_metadata",
    "write",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sleep,
    Fs,
    Net,
    Join,
    Recv,
}

/// The async runtime the package uses, for the advice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runtime {
    Tokio,
    AsyncStd,
    Smol,
    Unknown,
}

fn runtime(cx: &FileCx<'_>) -> Runtime {
    if cx.package.depends_on("tokio") {
        Runtime::Tokio
    } else if cx.package.depends_on("async-std") {
        Runtime::AsyncStd
    } else if cx.package.depends_on("smol") {
        Runtime::Smol
    } else {
        Runtime::Unknown
    }
}

/// Code that runs on an executor thread: async, and not in a closure that may run elsewhere.
/// Test code is left alone (see the lint's docs).
fn in_async(ctx: &Ctx) -> bool {
    ctx.is_async && ctx.async_span.is_some() && ctx.closure != ClosureCtx::Opaque && !ctx.is_test
}

pub fn check(cx: &FileCx<'_>) {
    let facts = cx.facts;
    let mut seen: HashSet<*const Expr> = HashSet::new();
    // The file is searched for code running alone on its thread only once a call in async
    // code is found, since most files have none.
    let lone = std::cell::OnceCell::new();
    let in_async = |ctx: &Ctx| {
        in_async(ctx) && !ctx.async_span.is_some_and(|s| lone.get_or_init(|| lone::lone_async_spans(cx)).contains(&s))
    };
    for call in &facts.calls {
        if !in_async(&call.ctx) {
            continue;
        }
        let Some(path) = call.resolved() else { continue };
        let kind = if path == "std::thread::sleep" {
            Kind::Sleep
        } else if is_fs_call(path) {
            Kind::Fs
        } else if is_net_call(path, call) {
            Kind::Net
        } else {
            continue;
        };
        if seen.insert(call.expr as *const Expr) {
            report(cx, call.expr, call.ctx, kind, Some(call));
        }
    }
    // Method calls on values created in sight: std thread handles, mpsc receivers, sockets.
    for (expr, ctx, kind) in blocking_methods(cx) {
        if in_async(&ctx) && seen.insert(expr as *const Expr) {
            let call = facts.call_of_expr(expr);
            report(cx, expr, ctx, kind, call);
        }
    }
}

fn is_fs_call(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("std::fs::") else { return false };
    FS_FNS.contains(&rest)
        || matches!(
            rest,
            "File::open" | "File::create" | "File::create_new" | "File::open_buffered" | "File::create_buffered"
        )
}

/// `connect` always waits on the network; `bind` only when it must resolve a host name.
fn is_net_call(path: &str, call: &Call<'_>) -> bool {
    match path {
        "std::net::TcpStream::connect" | "std::net::TcpStream::connect_timeout" => true,
        "std::net::TcpListener::bind" | "std::net::UdpSocket::bind" => {
            call.args.first().is_some_and(|a| is_host_name_literal(a))
        }
        _ => false,
    }
}

/// A string literal address whose host is a name, not a number: binding it resolves the name.
fn is_host_name_literal(e: &Expr) -> bool {
    let e = match e {
        Expr::Reference(r) => &*r.expr,
        other => other,
    };
    let Expr::Lit(l) = e else { return false };
    let syn::Lit::Str(s) = &l.lit else { return false };
    let value = s.value();
    let host = match value.rsplit_once(':') {
        Some((host, _)) => host,
        None => value.as_str(),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    !host.is_empty() && host.parse::<std::net::IpAddr>().is_err()
}

/// Blocking method calls found through the bindings that hold std handles and channel ends:
/// `(call expression, context, kind)`.
fn blocking_methods<'a>(cx: &FileCx<'a>) -> Vec<(&'a Expr, Ctx, Kind)> {
    let facts = cx.facts;
    let mut out = Vec::new();
    // `JoinHandle::join` of std threads.
    for spawn in &facts.spawns {
        if !matches!(spawn.spawner, Spawner::StdThread | Spawner::StdBuilder) {
            continue;
        }
        match spawn.flow {
            Flow::Method(m) if m.method == "join" && m.args.is_empty() => {
                if let Some(call) = call_of_method(facts, m) {
                    out.push((call.expr, call.ctx, Kind::Join));
                }
            }
            Flow::Let(pat) => {
                if let Some(b) = single_binding(cx, pat) {
                    push_method_uses(facts, b, &["join"], Kind::Join, &mut out);
                }
            }
            _ => {}
        }
    }
    // `recv` on a std mpsc receiver: `let (tx, rx) = mpsc::channel();`.
    for call in facts.calls.iter() {
        let Some(path) = call.resolved() else { continue };
        match path {
            "std::sync::mpsc::channel" | "std::sync::mpsc::sync_channel" => {
                let Flow::Let(pat) = call.flow else { continue };
                let Some(rx) = tuple_element(cx, pat, 1) else { continue };
                push_method_uses(facts, rx, &["recv", "recv_timeout", "iter"], Kind::Recv, &mut out);
                for u in facts.uses_of(rx) {
                    if let Flow::Iterated(f) = u.flow {
                        let source: &Expr = &f.expr;
                        if let Some(l) = facts.loop_over(source) {
                            out.push((l.expr, u.ctx, Kind::Recv));
                        }
                    }
                }
            }
            "std::net::TcpListener::bind" | "std::net::UdpSocket::bind" => {
                let Flow::Let(pat) = call.flow else { continue };
                let Some(b) = single_binding(cx, pat) else { continue };
                let nonblocking =
                    facts.uses_of(b).any(|u| matches!(u.flow, Flow::Method(m) if m.method == "set_nonblocking"));
                if !nonblocking {
                    let methods: &[&str] = if path.ends_with("TcpListener::bind") {
                        &["accept", "incoming"]
                    } else {
                        &["recv", "recv_from", "send_to", "peek_from"]
                    };
                    push_method_uses(facts, b, methods, Kind::Net, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

fn call_of_method<'c, 'a>(facts: &'c Facts<'a>, m: &syn::ExprMethodCall) -> Option<&'c Call<'a>> {
    facts.call_of_method(m)
}

fn push_method_uses<'a>(
    facts: &Facts<'a>,
    b: BindingId,
    methods: &[&str],
    kind: Kind,
    out: &mut Vec<(&'a Expr, Ctx, Kind)>,
) {
    for u in facts.uses_of(b) {
        if let Flow::Method(m) = u.flow {
            if methods.iter().any(|n| m.method == n) {
                if let Some(call) = call_of_method(facts, m) {
                    out.push((call.expr, call.ctx, kind));
                }
            }
        }
    }
}

fn single_binding(cx: &FileCx<'_>, pat: &Pat) -> Option<BindingId> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => cx.facts.binding_at(cx.span_of(p.ident.span())),
        Pat::Type(t) => single_binding(cx, &t.pat),
        _ => None,
    }
}

fn tuple_element(cx: &FileCx<'_>, pat: &Pat, index: usize) -> Option<BindingId> {
    match pat {
        Pat::Tuple(t) => single_binding(cx, t.elems.iter().nth(index)?),
        Pat::Type(t) => tuple_element(cx, &t.pat, index),
        _ => None,
    }
}

/// How the blocking call is written, for the message.
fn written(call: Option<&Call<'_>>, expr: &Expr) -> String {
    match call.map(|c| &c.callee) {
        Some(Callee::Path { path, .. }) => crate::facts::walk::path_text(path),
        Some(Callee::Method { name, receiver }) => format!("{}.{}()", crate::facts::walk::expr_text(receiver), name),
        None => match expr {
            Expr::ForLoop(f) => format!("for … in {}", crate::facts::walk::expr_text(&f.expr)),
            _ => crate::facts::walk::expr_text(expr),
        },
    }
}

fn report(cx: &FileCx<'_>, expr: &Expr, ctx: Ctx, kind: Kind, call: Option<&Call<'_>>) {
    let Some(async_span) = ctx.async_span else { return };
    let rt = runtime(cx);
    let api = written(call, expr);
    // A `for` over a receiver: point at the iterable, not the whole loop.
    let primary = match expr {
        Expr::ForLoop(f) => cx.span(&f.expr),
        _ => cx.span(expr),
    };
    let (message, label) = match kind {
        Kind::Sleep => (
            format!("`{api}` blocks the executor thread in async code"),
            "the thread sleeps; no other task on it runs meanwhile",
        ),
        Kind::Fs => (
            format!("blocking file I/O `{api}` in async code"),
            "the thread waits on the disk; no other task on it runs meanwhile",
        ),
        Kind::Net if api.ends_with("::bind") => (
            format!("blocking name lookup in `{api}` in async code"),
            "resolving a host name waits on DNS; no other task on this thread runs meanwhile",
        ),
        Kind::Net => (
            format!("blocking network I/O `{api}` in async code"),
            "the thread waits on the network; no other task on it runs meanwhile",
        ),
        Kind::Join => (
            format!("`{api}` blocks the executor thread until the std thread ends"),
            "joining a thread blocks until it finishes",
        ),
        Kind::Recv => (
            format!("`{api}` on a `std::sync::mpsc` receiver blocks the executor thread"),
            "waits for a message without yielding to the executor",
        ),
    };
    let mut d = Diagnostic::new(&BLOCKING_IN_ASYNC, primary, message)
        .primary_label(label)
        .label(async_span, async_label(cx, async_span, rt));
    let can_await = ctx.closure == ClosureCtx::None;
    match kind {
        Kind::Sleep => {
            let duration = call.and_then(|c| c.args.first()).map(|a| cx.snippet(cx.span(*a)).to_string());
            let (async_sleep, applicability) = match rt {
                Runtime::Tokio => (Some("tokio::time::sleep"), Applicability::MachineApplicable),
                Runtime::AsyncStd => (Some("async_std::task::sleep"), Applicability::MachineApplicable),
                Runtime::Smol => (Some("smol::Timer::after"), Applicability::MaybeIncorrect),
                Runtime::Unknown => (None, Applicability::Unspecified),
            };
            match (async_sleep, duration) {
                (Some(sleep), Some(d_text)) if can_await => {
                    d = d.help(format!(
                        "use the runtime's timer, which yields while it waits: `{sleep}({d_text}).await`"
                    ));
                    d = d.suggest("sleep asynchronously", primary, format!("{sleep}({d_text}).await"), applicability);
                }
                (Some(sleep), _) => {
                    d = d.help(format!(
                        "use the runtime's timer, which yields while it waits (`{sleep}(…).await`, outside this closure), or move the blocking work into `spawn_blocking`"
                    ));
                }
                (None, _) => {
                    d = d.help("use the runtime's timer (`tokio::time::sleep(d).await`, `async_std::task::sleep(d).await`, `smol::Timer::after(d).await`), or move the blocking work into `spawn_blocking`");
                }
            }
        }
        Kind::Fs => {
            let name = call.and_then(|c| c.resolved()).and_then(|p| p.strip_prefix("std::fs::")).unwrap_or("");
            match rt {
                Runtime::Tokio => {
                    let tokio_name = if name == "exists" { "try_exists" } else { name };
                    d = d.help(format!(
                        "use `tokio::fs::{tokio_name}(…).await`, or move the file work into `tokio::task::spawn_blocking`"
                    ));
                    if let (true, Some(c), true) = (TOKIO_FS_SAME.contains(&name), call, can_await) {
                        let args = cx.snippet(cx.span(expr)).get(cx.snippet(c.callee_span).len()..).unwrap_or("");
                        if cx.snippet(cx.span(expr)).starts_with(cx.snippet(c.callee_span)) && !args.is_empty() {
                            d = d.suggest(
                                "read the file system without blocking the executor",
                                primary,
                                format!("tokio::fs::{name}{args}.await"),
                                Applicability::MaybeIncorrect,
                            );
                        }
                    }
                }
                Runtime::AsyncStd => {
                    d = d.help(format!("use `async_std::fs::{name}(…).await`, or move the file work into `async_std::task::spawn_blocking`"));
                }
                Runtime::Smol => {
                    d = d.help("use `async_fs` (`smol::fs`), or move the file work into `smol::unblock`");
                }
                Runtime::Unknown => {
                    d = d.help("use the runtime's async file API (`tokio::fs`, `async_std::fs`, `async_fs`), or move the file work into `spawn_blocking`");
                }
            }
        }
        Kind::Net => {
            d = d.help(match rt {
                Runtime::Tokio => "use `tokio::net` (`TcpStream::connect(…).await`, `TcpListener::accept().await`), or move the socket work into `tokio::task::spawn_blocking`",
                Runtime::AsyncStd => "use `async_std::net` (`TcpStream::connect(…).await`), or move the socket work into `async_std::task::spawn_blocking`",
                Runtime::Smol => "use `smol::net` (`async_net`), or move the socket work into `smol::unblock`",
                Runtime::Unknown => "use the runtime's async sockets (`tokio::net`, `async_std::net`, `async_net`), or move the socket work into `spawn_blocking`",
            });
        }
        Kind::Join => {
            let handle = match call.map(|c| &c.callee) {
                Some(Callee::Method { receiver: receiver @ Expr::Path(_), .. }) => {
                    crate::facts::walk::expr_text(receiver)
                }
                _ => "handle".to_string(),
            };
            d = d.help(match rt {
                Runtime::Tokio => format!("run the work with `tokio::task::spawn_blocking` and `.await` its handle, or join off the executor: `tokio::task::spawn_blocking(move || {handle}.join()).await`"),
                Runtime::AsyncStd => format!("run the work with `async_std::task::spawn_blocking` and `.await` its handle, or join off the executor: `async_std::task::spawn_blocking(move || {handle}.join()).await`"),
                Runtime::Smol => format!("run the work with `smol::unblock(…).await`, or join off the executor: `smol::unblock(move || {handle}.join()).await`"),
                Runtime::Unknown => "run the work with the runtime's `spawn_blocking` and `.await` its handle, or have the thread send its result on an async oneshot channel".to_string(),
            });
        }
        Kind::Recv => {
            d = d.help(match rt {
                Runtime::Tokio => "use `tokio::sync::mpsc` and `rx.recv().await` (its senders have `blocking_send` for threads), or receive inside `tokio::task::spawn_blocking`",
                Runtime::AsyncStd | Runtime::Smol => "use an async channel (`async_channel`, `flume`'s `recv_async`) and `.await` the receive, or receive inside `spawn_blocking`",
                Runtime::Unknown => "use an async channel (`tokio::sync::mpsc`, `async_channel`, `flume`'s `recv_async`) and `.await` the receive, or receive inside `spawn_blocking`",
            });
        }
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The label on the `async` keyword: an `async fn`, an `async` block or an async closure.
fn async_label(cx: &FileCx<'_>, async_span: Span, rt: Runtime) -> String {
    let after = cx.source.text.get(async_span.end as usize..).unwrap_or("").trim_start();
    let what = if after.starts_with("fn") {
        "this `async fn`"
    } else if after.starts_with('|') || after.starts_with("move |") || after.starts_with("move|") {
        "this async closure"
    } else {
        "this `async` block"
    };
    let executor = match rt {
        Runtime::Tokio => "a tokio worker thread",
        Runtime::AsyncStd => "an async-std executor thread",
        Runtime::Smol => "a smol executor thread",
        Runtime::Unknown => "an executor thread",
    };
    format!("{what} runs on {executor}, shared with other tasks")
}
