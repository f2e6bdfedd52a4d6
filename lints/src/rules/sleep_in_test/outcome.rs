//! What the test checks after a sleep: the sleep is a bet on timing only when a check after it
//! holds just if other work acted during it.
//!
//! The statements that follow the sleep in its block are read in order, up to the first
//! check (an `assert!`-family macro, a helper named `assert_…`/`check_…`/`verify_…`, or a
//! `connect` to a server the test started):
//! - a wait on the event itself before or inside that check (`h.join()`, `task.await`,
//!   `rx.recv()`, `recv_timeout`, `notified().await`…) means the check does not depend on
//!   the sleep: the sleep only aims the interleaving;
//! - a check that reads nothing another thread writes (a local, a file the test reads itself)
//!   is not a bet on another thread either;
//! - a check that something did *not* happen (the same check as before the sleep, an empty
//!   `try_recv`, a comment or message that says "should not", "never", "still") has no event
//!   to wait for: a bounded sleep is the normal way to watch for nothing;
//! - another sleep first, or no check at all (a stress test that only lets threads run), is
//!   no bet made by this sleep.

use crate::context::FileCx;
use crate::facts::Call;
use crate::source::Span;
use syn::visit::{self, Visit};

/// The check after `sleep` that holds only if other work acted during the sleep.
pub fn bet_checked_after(cx: &FileCx<'_>, sleep: &Call<'_>, body: &syn::Block) -> Option<Span> {
    let sleep_span = sleep.callee_span;
    let (block, index) = statement_holding(cx, body, sleep_span)?;
    // Locals read from shared state after the sleep (`let n = hits.load(SeqCst);`).
    let mut shared_locals: Vec<String> = Vec::new();
    for stmt in &block.stmts[index + 1..] {
        let mut scan = StmtScan::default();
        scan.visit_stmt(stmt);
        if scan.sleeps || scan.waits {
            return None;
        }
        if let Some(check) = scan.first_check {
            let span = cx.span(check.expr);
            let reads = check.reads_shared || check.args.iter().any(|a| crate::facts::mentions_any(a, &shared_locals));
            let bet = reads && !is_absence_check(cx, &check, span, sleep_span, body);
            return bet.then_some(span);
        }
        if let syn::Stmt::Local(local) = stmt {
            if local.init.as_ref().is_some_and(|i| reads_shared_state(&i.expr)) {
                shared_locals.extend(crate::facts::pattern_names(&local.pat));
            }
        }
    }
    None
}

/// The innermost block with a statement holding the sleep, and that statement's index.
fn statement_holding<'b>(cx: &FileCx<'_>, body: &'b syn::Block, sleep: Span) -> Option<(&'b syn::Block, usize)> {
    struct Finder<'c, 'f, 'b> {
        cx: &'c FileCx<'f>,
        sleep: Span,
        found: Option<(&'b syn::Block, usize)>,
    }
    impl<'b> Visit<'b> for Finder<'_, '_, 'b> {
        fn visit_block(&mut self, b: &'b syn::Block) {
            for (i, stmt) in b.stmts.iter().enumerate() {
                let s = self.cx.span(stmt);
                if s.start <= self.sleep.start && self.sleep.end <= s.end {
                    self.found = Some((b, i));
                    visit::visit_stmt(self, stmt);
                    return;
                }
            }
        }
        // A closure the test runs in place (`thread::scope(|s| { … })`, `rt.block_on`) has
        // its own sequence: what follows the sleep is what follows it in that closure.
        fn visit_item(&mut self, _: &'b syn::Item) {}
    }
    let mut f = Finder { cx, sleep, found: None };
    f.visit_block(body);
    f.found
}

struct Check<'a> {
    expr: &'a syn::Expr,
    args: Vec<&'a syn::Expr>,
    reads_shared: bool,
}

#[derive(Default)]
struct StmtScan<'a> {
    sleeps: bool,
    waits: bool,
    first_check: Option<Check<'a>>,
}

/// Blocking or awaited calls that wait for another thread's or task's event.
const WAITS: &[&str] = &[
    "join",
    "recv",
    "recv_async",
    "recv_timeout",
    "recv_deadline",
    "wait",
    "wait_timeout",
    "wait_while",
    "wait_timeout_while",
    "notified",
    "changed",
    "join_next",
    "block_on",
    "next",
    "acquire",
    "wait_for",
    "wait_until",
];

impl<'a> Visit<'a> for StmtScan<'a> {
    fn visit_expr(&mut self, e: &'a syn::Expr) {
        match e {
            syn::Expr::Await(a) => {
                // `sleep(d).await` is another sleep, `h.await` or `rx.recv().await` a wait.
                if is_sleep_call(&a.base) {
                    self.sleeps = true;
                } else if !matches!(&*a.base, syn::Expr::MethodCall(_) | syn::Expr::Call(_)) {
                    self.waits = true;
                }
            }
            syn::Expr::Call(_) if is_sleep_call(e) => {
                self.sleeps = true;
                return;
            }
            syn::Expr::Call(c) => {
                if let Some(name) = callee_name(&c.func) {
                    if self.first_check.is_none() && name.contains("connect") {
                        self.first_check = Some(Check { expr: e, args: Vec::new(), reads_shared: true });
                    } else if self.first_check.is_none() && is_check_name(&name) {
                        let helper = !name.starts_with("__macro_");
                        let args: Vec<&syn::Expr> = c.args.iter().collect();
                        let reads_shared = helper || args.iter().any(|a| reads_shared_state(a));
                        self.first_check = Some(Check { expr: e, args, reads_shared });
                    }
                }
            }
            syn::Expr::MethodCall(m) if WAITS.contains(&m.method.to_string().as_str()) => self.waits = true,
            // Connecting to a server the test started is a check that it is up.
            syn::Expr::MethodCall(m) if self.first_check.is_none() && m.method.to_string().contains("connect") => {
                self.first_check = Some(Check { expr: e, args: Vec::new(), reads_shared: true });
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) => return,
            _ => {}
        }
        visit::visit_expr(self, e);
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

fn callee_name(func: &syn::Expr) -> Option<String> {
    match func {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_sleep_call(e: &syn::Expr) -> bool {
    let syn::Expr::Call(c) = crate::facts::peel_parens(e) else { return false };
    matches!(callee_name(&c.func).as_deref(), Some("sleep" | "sleep_until" | "sleep_ms"))
}

/// `assert!`-family macros (as the walk rewrites them) and helpers named like checks.
fn is_check_name(name: &str) -> bool {
    let name = name.strip_prefix("__macro_").unwrap_or(name);
    name.starts_with("assert")
        || name.starts_with("debug_assert")
        || name.starts_with("check_")
        || name.starts_with("verify")
}

/// The check reads state another thread or task writes: an atomic, a lock, a channel, a
/// count or getter of shared code (`pool.active_count()`), or the world through a helper call
/// with nothing but constants (`check_deadlock()`).
fn reads_shared_state(e: &syn::Expr) -> bool {
    struct Reads(bool);
    impl<'a> Visit<'a> for Reads {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            let name = m.method.to_string();
            self.0 |= matches!(
                name.as_str(),
                "lock" | "try_lock" | "read" | "write" | "try_read" | "try_write" | "load" | "try_recv" | "get" | "len"
            ) || name.starts_with("get_")
                || name.starts_with("is_")
                || name.starts_with("has_")
                || name.contains("count");
            visit::visit_expr_method_call(self, m);
        }
        // A free function asked without arguments (`check_deadlock()`, `active_workers()`)
        // reads global state; `Some(x)`, `Duration::from_millis(5)` and macros do not.
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            let global_query = c.args.is_empty()
                && matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.iter().all(|s| {
                    let n = s.ident.to_string();
                    n.chars().next().is_some_and(|ch| ch.is_ascii_lowercase()) && !n.starts_with("__macro_")
                }));
            self.0 |= global_query;
            visit::visit_expr_call(self, c);
        }
    }
    let mut r = Reads(false);
    r.visit_expr(e);
    r.0
}

/// A check that nothing happened during the sleep.
fn is_absence_check(cx: &FileCx<'_>, check: &Check<'_>, span: Span, sleep: Span, body: &syn::Block) -> bool {
    let text = compact(cx.snippet(span));
    // `assert!(rx.try_recv().is_err())`, `assert_eq!(rx.try_recv(), Err(TryRecvError::Empty))`.
    let nothing_received = text.contains("try_recv()")
        && (text.contains(".is_err()") || text.contains("Empty") || text.contains(".is_none()"));
    // The same check already held before the sleep: the sleep watches for a change that must
    // not come (`assert_eq!(starts.load(SeqCst), 1)` before and after).
    let key = check_key(cx, check);
    let unchanged = !key.is_empty() && earlier_checks(cx, body, sleep).contains(&key);
    // `assert!(!stopped.load(SeqCst))`: a flag still unset.
    let flag_unset = text.starts_with("assert!(!") && (text.contains(".load(") || !text.contains('('));
    nothing_received || unchanged || flag_unset || says_nothing_happens(cx, span, sleep)
}

/// A check that other threads are stuck (a deadlock detector, a parked or blocked thread):
/// a thread blocked inside the call under test cannot signal, so there is no event to wait
/// for, only the detector to ask.
pub fn checks_blocked_threads(cx: &FileCx<'_>, check: Span, test_name: &str) -> bool {
    let text = format!("{} {}", cx.snippet(check), test_name).to_ascii_lowercase();
    ["deadlock", "blocked", "parked", "is_waiting"].iter().any(|w| text.contains(w))
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The check's compared values without its message: `assert_eq!(a, 1, "…")` → `a|1`.
fn check_key(cx: &FileCx<'_>, check: &Check<'_>) -> String {
    let values: Vec<String> = check
        .args
        .iter()
        .take_while(|a| !matches!(a, syn::Expr::Lit(l) if matches!(l.lit, syn::Lit::Str(_))))
        .map(|a| compact(cx.snippet(cx.span(*a))))
        .collect();
    values.join("|")
}

fn earlier_checks(cx: &FileCx<'_>, body: &syn::Block, before: Span) -> Vec<String> {
    struct Earlier<'c, 'f> {
        cx: &'c FileCx<'f>,
        before: Span,
        keys: Vec<String>,
    }
    impl<'a> Visit<'a> for Earlier<'_, '_> {
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            let span = self.cx.span(c);
            if span.end <= self.before.start && callee_name(&c.func).is_some_and(|n| is_check_name(&n)) {
                let check = Check { expr: &c.func, args: c.args.iter().collect(), reads_shared: false };
                self.keys.push(check_key(self.cx, &check));
            }
            visit::visit_expr_call(self, c);
        }
    }
    let mut e = Earlier { cx, before, keys: Vec::new() };
    e.visit_block(body);
    e.keys
}

/// Words of absence in the check itself (its message) or in the comment lines right above
/// the sleep: "restart should NOT happen", "must never", "still one".
fn says_nothing_happens(cx: &FileCx<'_>, check: Span, sleep: Span) -> bool {
    let source = cx.source;
    let mut text = source.snippet(check).to_ascii_lowercase();
    let mut line = source.line_index(sleep.start as usize);
    while line > 0 {
        line -= 1;
        let l = source.line_text(line).trim_start();
        if !l.starts_with("//") {
            break;
        }
        text.push(' ');
        text.push_str(&l.to_ascii_lowercase());
    }
    const PHRASES: &[&str] = &[
        "should not", "shouldn't", "must not", "mustn't", "should never", "must never", "not happen", "n't happen",
        "no longer", "not be called", "not restart", "not fire", "not run", "see if", "see whether",
    ];
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    PHRASES.iter().any(|p| text.contains(p))
        || words.iter().any(|w| matches!(*w, "still" | "unchanged" | "nothing" | "never"))
}
