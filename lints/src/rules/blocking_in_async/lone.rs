//! Async code that runs alone on its thread: the future handed to a `block_on` (or the body
//! of a `#[tokio::main]`-style function), and the private `async fn`s only that code awaits,
//! when no other task or future can be polled on the same thread meanwhile.
//!
//! Blocking there stalls nothing but the blocked future itself, which would wait for the same
//! result anyway: the executor thread is the caller's own thread, not a worker shared with
//! other tasks. The usual case is an example's or a tool's `main` doing file I/O before it
//! starts serving.
//!
//! What shares the thread, and so keeps the findings:
//! - a runtime that runs spawned tasks on the thread that blocks on the root future (tokio's
//!   current-thread flavour, a `LocalSet`, `spawn_local`, a `LocalPool`/`LocalExecutor`, the
//!   single-threaded runtimes of actix, ntex, monoio, glommio, compio) when the file spawns a
//!   task; a multi-thread tokio runtime and the plain `block_on`s run spawned tasks on other
//!   threads, so their root future shares its thread with no task;
//! - futures raced inside the root (`join!`, `select!`, `join_all`, `FuturesUnordered`,
//!   `buffer_unordered`, `race`, …): one blocked branch stalls the others. The file is
//!   searched for them as a whole, so a race anywhere in it keeps every finding.

use crate::context::FileCx;
use crate::facts::{Call, Callee, ClosureCtx, Flow};
use crate::source::Span;
use std::collections::{HashMap, HashSet};
use syn::Expr;

/// `block_on` functions that drive one future on the calling thread and nothing else.
const BLOCK_ON_FNS: &[&str] = &[
    "futures::executor::block_on",
    "futures_executor::block_on",
    "futures_lite::future::block_on",
    "smol::block_on",
    "smol::future::block_on",
    "async_io::block_on",
    "async_std::task::block_on",
    "async_global_executor::block_on",
    "pollster::block_on",
    "tokio_test::block_on",
];

/// Main attributes of runtimes that block on the function's body on the calling thread while
/// spawned tasks run on other threads (tokio's default multi-thread flavour, async-std, smol).
const OWN_THREAD_MAINS: &[&str] = &["tokio", "async_std", "smol_potat", "pollster"];

/// Main attributes of runtimes that run every spawned task on the thread of `main`.
const SHARED_THREAD_MAINS: &[&str] = &["actix_rt", "actix_web", "ntex", "monoio", "glommio", "compio", "tokio_uring"];

/// Words that show a runtime which polls other tasks on the thread that blocks on a future.
const LOCAL_TASK_WORDS: &[&str] =
    &["current_thread", "LocalSet", "spawn_local", "LocalPool", "LocalExecutor", "LocalSpawner", "run_until"];

/// Words that show futures raced inside one task.
const RACE_WORDS: &[&str] = &[
    "join!",
    "select!",
    "select_biased!",
    "join_all",
    "select_all",
    "select_ok",
    "FuturesUnordered",
    "FuturesOrdered",
    "buffer_unordered",
    "buffered(",
    "for_each_concurrent",
    "StreamExt::merge",
];

/// Combinator functions (`futures::future::join(a, b)`, `futures_lite::future::race`) that
/// poll several futures in one task.
const RACE_FNS: &[&str] = &[
    "join", "join3", "join4", "join5", "try_join", "try_join3", "try_join4", "try_join5", "select", "race", "zip",
    "try_zip", "or",
];

/// The `async` keyword spans (of `async fn`s and `async` blocks) whose code runs alone on its
/// thread. Empty unless the file blocks on a future or has a runtime main attribute.
pub(super) fn lone_async_spans(cx: &FileCx<'_>) -> HashSet<Span> {
    let text: &str = &cx.source.text;
    if !text.contains("block_on") && !text.contains("main") {
        return HashSet::new();
    }
    if races_futures(cx) {
        return HashSet::new();
    }
    let mut lone = HashSet::new();
    let mut shared_thread = LOCAL_TASK_WORDS.iter().any(|w| text.contains(w));
    // Functions whose body a main attribute blocks on.
    for f in &cx.facts.fns {
        let (Some(span), Some(thread)) = (f.ctx.async_span, main_attribute(f.attrs)) else { continue };
        if f.ctx.is_test {
            continue;
        }
        shared_thread |= thread == MainThread::Shared;
        lone.insert(span);
    }
    // `block_on(async { … })`, and the calls of local `async fn`s handed to a `block_on`.
    let mut driven: HashSet<*const Expr> = HashSet::new();
    for call in &cx.facts.calls {
        let Some(future) = driven_future(call) else { continue };
        match peel(future) {
            Expr::Async(a) => {
                lone.insert(cx.span_of(a.async_token.span));
            }
            e @ Expr::Call(_) => {
                driven.insert(e as *const Expr);
            }
            _ => {}
        }
    }
    if lone.is_empty() && driven.is_empty() {
        return lone;
    }
    // Another task can be polled on the root's thread only where the runtime runs spawned tasks
    // there; then any task spawned in the file may be one of them.
    if shared_thread && spawns_tasks(cx) {
        return HashSet::new();
    }
    follow_private_fns(cx, &mut lone, &driven);
    lone
}

/// How a main attribute's runtime treats the thread of `main`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MainThread {
    /// Blocks on the function's body there; spawned tasks run on other threads.
    Own,
    /// Runs spawned tasks there too (tokio's current-thread flavour, actix, monoio, …).
    Shared,
}

/// The main attribute of a known runtime on a function (`#[tokio::main]`,
/// `#[tokio::main(flavor = "current_thread")]`, `#[actix_web::main]`), if any.
fn main_attribute(attrs: &[syn::Attribute]) -> Option<MainThread> {
    attrs.iter().find_map(|a| {
        let segments: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
        let [runtime, main] = segments.as_slice() else { return None };
        if main != "main" {
            return None;
        }
        let args = match &a.meta {
            syn::Meta::List(l) => l.tokens.to_string(),
            _ => String::new(),
        };
        if SHARED_THREAD_MAINS.contains(&runtime.as_str()) || (runtime == "tokio" && args.contains("current_thread")) {
            Some(MainThread::Shared)
        } else if OWN_THREAD_MAINS.contains(&runtime.as_str()) {
            Some(MainThread::Own)
        } else {
            None
        }
    })
}

/// The future a `block_on` call drives: the argument of a known `block_on` function, or the
/// last argument of a `block_on` method (a tokio `Runtime`, `Handle` or `LocalSet`).
fn driven_future<'a>(call: &Call<'a>) -> Option<&'a Expr> {
    match &call.callee {
        Callee::Path { .. } if call.resolved().is_some_and(|r| BLOCK_ON_FNS.contains(&r)) => call.args.first().copied(),
        Callee::Method { name, .. } if name == "block_on" => call.args.last().copied(),
        _ => None,
    }
}

fn peel(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => peel(&p.expr),
        Expr::Group(g) => peel(&g.expr),
        other => other,
    }
}

/// Whether the file polls several futures in one task anywhere.
fn races_futures(cx: &FileCx<'_>) -> bool {
    let text: &str = &cx.source.text;
    if RACE_WORDS.iter().any(|w| text.contains(w)) {
        return true;
    }
    cx.facts.calls.iter().any(|c| match &c.callee {
        Callee::Path { path, resolved } => {
            let last = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let from_futures = resolved.as_deref().is_some_and(|r| r.contains("future"))
                || path.segments.iter().any(|s| s.ident.to_string().contains("future"));
            from_futures && RACE_FNS.contains(&last.as_str())
        }
        Callee::Method { name, .. } => name == "race",
    })
}

/// Whether the file spawns a task (threads and blocking-pool work are not tasks on the
/// executor), or may: a `spawn` method the walk could not type.
fn spawns_tasks(cx: &FileCx<'_>) -> bool {
    use crate::facts::Spawner;
    cx.facts.spawns.iter().any(|s| !s.spawner.is_thread() && s.spawner != Spawner::TokioBlocking)
        || cx
            .facts
            .calls
            .iter()
            .any(|c| c.method_name().is_some_and(|m| m.starts_with("spawn") && m != "spawn_blocking"))
}

/// Adds the private top-level `async fn`s whose every use is a call awaited in lone code or
/// handed straight to a `block_on`, until nothing changes.
fn follow_private_fns(cx: &FileCx<'_>, lone: &mut HashSet<Span>, driven: &HashSet<*const Expr>) {
    let binary = cx.ast.items.iter().any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "main"));
    // Name → the `async` keyword of the function.
    let mut candidates: HashMap<String, Span> = HashMap::new();
    for item in &cx.ast.items {
        let syn::Item::Fn(f) = item else { continue };
        let Some(asyncness) = f.sig.asyncness else { continue };
        if binary || matches!(f.vis, syn::Visibility::Inherited) {
            candidates.insert(f.sig.ident.to_string(), cx.span_of(asyncness.span));
        }
    }
    // Two functions of one name (under different `cfg`s, in inline modules) are not told apart.
    candidates.retain(|name, _| {
        cx.facts.fns.iter().filter(|f| &f.name == name).count() == 1
            && cx.facts.fn_items.get(name).is_none_or(|b| b.len() <= 1)
    });
    if candidates.is_empty() {
        return;
    }
    let mut calls: HashMap<&str, Vec<&Call<'_>>> = HashMap::new();
    for call in &cx.facts.calls {
        if let Callee::Path { path, .. } = &call.callee {
            if let Some(name) = local_fn_name(path) {
                if let Some((key, _)) = candidates.get_key_value(name.as_str()) {
                    calls.entry(key.as_str()).or_default().push(call);
                }
            }
        }
    }
    // A function also named somewhere else than in a call (`map(load)`, `spawn(load)`) may run
    // anywhere.
    calls.retain(|name, sites| word_count(&cx.source.text, name) == sites.len() + 1);
    loop {
        let mut grew = false;
        for (name, sites) in &calls {
            let span = candidates[*name];
            if lone.contains(&span) {
                continue;
            }
            let all_lone = sites.iter().all(|c| driven.contains(&(c.expr as *const Expr)) || awaited_in(c, lone));
            if all_lone {
                lone.insert(span);
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
}

/// A call awaited where it stands, in lone code.
fn awaited_in(call: &Call<'_>, lone: &HashSet<Span>) -> bool {
    let ctx = &call.ctx;
    matches!(call.flow, Flow::Awaited(_))
        && ctx.async_span.is_some_and(|s| lone.contains(&s))
        && ctx.spawn_body.is_none()
        && !ctx.deferred
        && ctx.closure != ClosureCtx::Opaque
}

/// `name` or `self::name`.
fn local_fn_name(path: &syn::Path) -> Option<String> {
    let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
    match segments.as_slice() {
        [only] => Some(only.ident.to_string()),
        [first, only] if first.ident == "self" => Some(only.ident.to_string()),
        _ => None,
    }
}

/// How many times `word` stands in `text` with no identifier character on either side.
fn word_count(text: &str, word: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word)
        .filter(|(i, _)| {
            !text[..*i].chars().next_back().is_some_and(is_ident)
                && !text[i + word.len()..].chars().next().is_some_and(is_ident)
        })
        .count()
}
