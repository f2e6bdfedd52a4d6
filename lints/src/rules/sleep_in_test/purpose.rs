//! What a sleep in a test is for, when it is not waiting for another thread's event.
//!
//! Each test here reads the code around one sleep and answers with the reason the sleep lets
//! wall-clock time pass on purpose, so that the lint can stay silent:
//! - it is a backoff between checks of a condition in a polling loop;
//! - it outlasts a duration the test handed to the code under test (a TTL, a timeout, a
//!   maximum lifetime), or names one (`sleep(PAST_TTL)`);
//! - the test measures the clock across it (`Instant::now()` before, used after);
//! - its length is a parameter of the helper it sits in (the scenario varies the delay);
//! - it bounds how long other threads run: a stop flag is raised right after it.

use crate::context::FileCx;
use crate::facts::{peel_parens, Call, Callee, Flow, FnId, LoopKind};
use syn::visit::Visit;

/// Whether the sleep lets time pass on purpose rather than wait for another thread's event.
pub fn deliberate_delay(cx: &FileCx<'_>, sleep: &Call<'_>, fn_id: FnId) -> bool {
    in_polling_loop(cx, sleep)
        || outlasts_configured_duration(cx, sleep, fn_id)
        || measures_clock_across(cx, sleep, fn_id)
        || duration_is_parameter(cx, sleep, fn_id)
        || raises_stop_flag_after(cx, sleep, fn_id)
        || comments_name_elapsing_time(cx, sleep)
}

/// The comment lines right above or below the sleep say that time must pass (a token or
/// entry expiring, a TTL, file timestamps that must differ): `// Token is expired, so should
/// fetch again`.
fn comments_name_elapsing_time(cx: &FileCx<'_>, sleep: &Call<'_>) -> bool {
    let source = cx.source;
    let line = source.line_index(sleep.callee_span.start as usize);
    let comment_at = |l: usize| {
        if l >= source.line_count() {
            return None;
        }
        let text = source.line_text(l).trim_start();
        text.starts_with("//").then(|| text.to_ascii_lowercase())
    };
    let mut text = String::new();
    let mut l = line;
    while l > 0 {
        l -= 1;
        let Some(c) = comment_at(l) else { break };
        text.push_str(&c);
    }
    let mut l = line + 1;
    while let Some(c) = comment_at(l) {
        text.push_str(&c);
        l += 1;
    }
    ["expire", "expiry", "expiration", "ttl", "timestamp", "mtime", "modification time"]
        .iter()
        .any(|w| text.contains(w))
}

/// The sleep is the backoff of a loop that re-checks a condition and leaves when it holds:
/// `while !done.load(…) { sleep(…) }`, `loop { if ready() { break } sleep(…) }`. The test
/// waits for the event; the sleep only spaces the checks.
fn in_polling_loop(cx: &FileCx<'_>, sleep: &Call<'_>) -> bool {
    let Some((_, l)) = cx.facts.enclosing_loops(sleep.ctx).next() else {
        return false;
    };
    if l.ctx.fn_id != sleep.ctx.fn_id || l.ctx.spawn_body != sleep.ctx.spawn_body {
        return false;
    }
    let Some(body) = l.body else { return false };
    let polls = match l.kind {
        LoopKind::While => !l.source.is_some_and(|c| matches!(peel_parens(c), syn::Expr::Lit(_))),
        LoopKind::WhileLet => true,
        LoopKind::Loop | LoopKind::For => has_exit(body),
        LoopKind::IterClosure => false,
    };
    polls && is_backoff(cx, body, cx.span(sleep.expr))
}

/// The sleep runs on every round that has not yet seen what it waits for: it is a statement
/// of the loop body itself, or sits in the branch of an `if`/`match` whose other branch
/// leaves the loop (`match poll() { Ready(v) => break v, Pending => sleep(d) }`). A sleep in
/// a branch that does not decide the loop's end is something else.
fn is_backoff(cx: &FileCx<'_>, body: &syn::Block, sleep: crate::source::Span) -> bool {
    fn contains<T: syn::spanned::Spanned + std::any::Any>(
        cx: &FileCx<'_>,
        node: &T,
        sleep: crate::source::Span,
    ) -> bool {
        let s = cx.span(node);
        s.start <= sleep.start && sleep.end <= s.end
    }
    let within = |node| contains(cx, node, sleep);
    let block_within = |node| contains(cx, node, sleep);
    let expr_within = |node| contains::<syn::Expr>(cx, node, sleep);
    let Some(stmt) = body.stmts.iter().find(|st| within(*st)) else { return false };
    let expr = match stmt {
        syn::Stmt::Expr(e, _) => peel_parens(e),
        _ => return false,
    };
    let mut direct = expr;
    loop {
        match direct {
            syn::Expr::Await(a) => direct = peel_parens(&a.base),
            syn::Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "unwrap" | "expect") => {
                direct = peel_parens(&m.receiver)
            }
            _ => break,
        }
    }
    if cx.span(direct) == sleep {
        return true;
    }
    match expr {
        syn::Expr::If(i) => {
            let other_exits = if block_within(&i.then_branch) {
                i.else_branch.as_ref().is_some_and(|(_, e)| expr_has_exit(e))
            } else {
                has_exit(&i.then_branch)
            };
            other_exits
        }
        syn::Expr::Match(m) => m.arms.iter().any(|a| !expr_within(&a.body) && expr_has_exit(&a.body)),
        _ => false,
    }
}

/// A `break` or `return` in the loop body, outside closures and async blocks (which it would
/// not leave).
fn has_exit(body: &syn::Block) -> bool {
    let mut v = Exit(false);
    v.visit_block(body);
    v.0
}

fn expr_has_exit(e: &syn::Expr) -> bool {
    let mut v = Exit(false);
    v.visit_expr(e);
    v.0
}

struct Exit(bool);
impl<'a> Visit<'a> for Exit {
    fn visit_expr_break(&mut self, _: &'a syn::ExprBreak) {
        self.0 = true;
    }
    fn visit_expr_return(&mut self, _: &'a syn::ExprReturn) {
        self.0 = true;
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// Calls through which a test waits (with a deadline) rather than configures the code under
/// test: a duration handed to them is the test's own patience.
fn is_wait_api(name: &str) -> bool {
    name.starts_with("sleep")
        || matches!(
            name,
            "timeout"
                | "timeout_at"
                | "recv_timeout"
                | "recv_deadline"
                | "send_timeout"
                | "wait_timeout"
                | "wait_timeout_while"
                | "wait_for"
                | "wait_until"
                | "park_timeout"
                | "join_timeout"
                | "try_lock_for"
                | "try_lock_until"
                | "poll_timeout"
        )
}

fn call_name(call: &Call<'_>) -> String {
    match &call.callee {
        Callee::Method { name, .. } => name.clone(),
        Callee::Path { path, .. } => path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
    }
}

/// Words of an identifier that name a time-based feature (`PAST_TTL`, `idle_timeout_ms`).
fn names_time_feature(ident: &str) -> bool {
    const WORDS: &[&str] =
        &["ttl", "lifetime", "lifespan", "idle", "keepalive", "backoff", "debounce", "throttle", "lease", "stale"];
    let lower = ident.to_ascii_lowercase();
    lower
        .split('_')
        .any(|w| WORDS.contains(&w) || w.starts_with("expir") || w == "keep" && lower.contains("keep_alive"))
}

/// The sleep outlasts a duration the test handed, earlier in its own flow, to the code under
/// test (`.ttl(Duration::from_millis(20))` then `sleep(60ms)`), shares a named duration with
/// such a call (`build(Some(TTL))` then `sleep(TTL + 5ms)`), or names a time-based feature
/// itself (`sleep(PAST_TTL)`).
fn outlasts_configured_duration(cx: &FileCx<'_>, sleep: &Call<'_>, fn_id: FnId) -> bool {
    let Some(arg) = sleep.args.first() else { return false };
    let slept = duration_nanos(arg);
    let slept_names = local_names(arg);
    if slept_names.iter().any(|n| names_time_feature(n)) {
        return true;
    }
    cx.facts.calls_in(Some(fn_id)).any(|c| {
        // A call around the sleep (`scope(|s| { …; sleep(d) })`) does not configure it.
        let call_span = cx.span(c.expr);
        let around = call_span.start <= sleep.callee_span.start && sleep.callee_span.end <= call_span.end;
        let earlier = c.callee_span.start < sleep.callee_span.start && !around;
        let own_flow = c.ctx.spawn_body.is_none() && !c.ctx.deferred;
        let name = call_name(c);
        // A duration's own constructor (`Duration::from_millis(10)`) configures nothing.
        let constructor = duration_nanos(c.expr).is_some()
            || matches!(&c.callee, Callee::Path { path, .. } if path.segments.iter().any(|s| s.ident == "Duration"));
        if !earlier || !own_flow || constructor || is_wait_api(&name) {
            return false;
        }
        c.args.iter().any(|a| {
            let configured = duration_nanos(a).or_else(|| unit_method_nanos(&name, a));
            let outlasts = matches!((slept, configured), (Some(s), Some(d)) if s > d && d > 0);
            outlasts || local_names(a).iter().any(|n| slept_names.contains(n))
        })
    })
}

/// `Duration::from_millis(20)`, `Duration::new(1, 0)`, `ms(500)`: the length in nanoseconds.
fn duration_nanos(e: &syn::Expr) -> Option<u128> {
    let syn::Expr::Call(c) = peel_parens(e) else { return None };
    let syn::Expr::Path(p) = &*c.func else { return None };
    let name = p.path.segments.last()?.ident.to_string();
    let num = |i: usize| c.args.iter().nth(i).and_then(number);
    let unit = match name.as_str() {
        "from_secs" | "secs" | "seconds" | "from_secs_f64" | "from_secs_f32" => 1_000_000_000.0,
        "from_millis" | "ms" | "millis" => 1_000_000.0,
        "from_micros" | "micros" => 1_000.0,
        "from_nanos" => 1.0,
        "new" if p.path.segments.iter().any(|s| s.ident == "Duration") => {
            return Some((num(0)? * 1e9 + num(1).unwrap_or(0.0)) as u128);
        }
        _ => return None,
    };
    Some((num(0)? * unit) as u128)
}

/// `.ttl_millis(20)`, `.timeout_secs(1)`: a bare number whose unit the method names.
fn unit_method_nanos(method: &str, arg: &syn::Expr) -> Option<u128> {
    let unit = if method.ends_with("_ms") || method.ends_with("_millis") {
        1e6
    } else if method.ends_with("_secs") || method.ends_with("_seconds") {
        1e9
    } else {
        return None;
    };
    Some((number(arg)? * unit) as u128)
}

fn number(e: &syn::Expr) -> Option<f64> {
    match peel_parens(e) {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_parse::<u64>().ok().map(|v| v as f64),
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Float(f), .. }) => f.base10_parse::<f64>().ok(),
        _ => None,
    }
}

/// Single-segment names (locals, constants) an expression mentions as values, leaving out
/// called functions (`ms(500)`) and type-like names (`Duration`) that every duration shares.
fn local_names(e: &syn::Expr) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'a> Visit<'a> for Names {
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            for a in &c.args {
                self.visit_expr(a);
            }
        }
        fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
            if let Some(id) = p.path.get_ident() {
                let s = id.to_string();
                let type_like = s.chars().next().is_some_and(char::is_uppercase) && s.chars().any(char::is_lowercase);
                if !type_like {
                    self.0.push(s);
                }
            }
        }
    }
    let mut v = Names(Vec::new());
    v.visit_expr(e);
    v.0
}

/// A clock reading taken before the sleep is used after it (`let start = Instant::now();
/// sleep(d); assert!(start.elapsed() >= d)`): the test measures time, the sleep is the
/// duration it measures.
fn measures_clock_across(cx: &FileCx<'_>, sleep: &Call<'_>, fn_id: FnId) -> bool {
    let reads_clock = |c: &Call<'_>| {
        c.resolved().is_some_and(|p| p.ends_with("Instant::now") || p.ends_with("SystemTime::now"))
            || matches!(&c.callee, Callee::Path { path, .. } if crate::facts::walk::path_text(path).ends_with("Instant::now"))
    };
    cx.facts.bindings_in(Some(fn_id)).any(|(id, b)| {
        let Some(init) = b.init else { return false };
        if b.span.start >= sleep.callee_span.start {
            return false;
        }
        if b.ctx.spawn_body != sleep.ctx.spawn_body {
            return false;
        }
        // The clock is read by the initialiser itself, not by a closure or spawned work in it.
        let init_span = cx.span(init);
        let clock = cx.facts.calls_in(Some(fn_id)).any(|c| {
            c.callee_span.start >= init_span.start
                && c.callee_span.end <= init_span.end
                && c.ctx.spawn_body == b.ctx.spawn_body
                && c.ctx.closure == b.ctx.closure
                && c.ctx.deferred == b.ctx.deferred
                && reads_clock(c)
        });
        clock && cx.facts.uses_of(id).any(|u| u.span.start > sleep.callee_span.end)
    })
}

/// `fn run_queue_test(…, delay: Duration) { …; thread::sleep(delay); … }`: the caller picks the
/// delay, which is what the scenario varies, not a guess at how long another thread needs.
fn duration_is_parameter(cx: &FileCx<'_>, sleep: &Call<'_>, fn_id: FnId) -> bool {
    let Some(syn::Expr::Path(p)) = sleep.args.first().map(|a| peel_parens(a)) else {
        return false;
    };
    let Some(name) = p.path.get_ident() else { return false };
    cx.facts.func(fn_id).sig.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(t) => matches!(&*t.pat, syn::Pat::Ident(i) if i.ident == *name),
        syn::FnArg::Receiver(_) => false,
    })
}

/// The first thing the test does after the sleep is to raise a stop flag or cancel a token
/// (`finished.store(true, …)`, `token.cancel()`): the sleep sets how long the other threads
/// run (a stress test's length), it does not wait for them to do something.
fn raises_stop_flag_after(cx: &FileCx<'_>, sleep: &Call<'_>, fn_id: FnId) -> bool {
    let sleep_end = match sleep.flow {
        Flow::Awaited(a) => cx.span(a).end,
        _ => cx.span(sleep.expr).end,
    };
    let next = cx
        .facts
        .calls_in(Some(fn_id))
        .filter(|c| c.callee_span.start > sleep_end && c.ctx.spawn_body == sleep.ctx.spawn_body && !c.ctx.deferred)
        .min_by_key(|c| c.callee_span.start);
    let Some(Call { callee: Callee::Method { name, receiver }, .. }) = next else {
        return false;
    };
    const STOP_WORDS: &[&str] = &[
        "stop", "stopped", "finish", "finished", "done", "quit", "exit", "shutdown", "running", "run", "cancel",
        "cancelled", "terminate", "end", "alive", "keep",
    ];
    let flag = cx.snippet(cx.span(*receiver)).to_ascii_lowercase();
    let named_stop = flag.split(|ch: char| !ch.is_ascii_alphanumeric()).any(|w| STOP_WORDS.contains(&w));
    match name.as_str() {
        "store" | "swap" | "fetch_or" | "fetch_and" => named_stop,
        "cancel" => true,
        _ => false,
    }
}
