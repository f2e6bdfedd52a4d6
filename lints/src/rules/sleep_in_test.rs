use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::{Call, Callee, Flow, FnId};
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds `std::thread::sleep`, `tokio::time::sleep` (and `sleep_until`) and
    /// `async_std::task::sleep` in test code (`#[test]`, `#[tokio::test]`, `#[async_std::test]`,
    /// `#[cfg(test)]` modules, files under `tests/`) whose test function spawns threads or
    /// tasks, or shares state with them (`Arc`, locks, channels, atomics, `Notify`, `Barrier`).
    ///
    /// ### Why is this bad
    /// The test waits on the clock instead of the event it needs. On a loaded CI machine the
    /// other thread is late and the test fails; on a fast one the sleep wastes time. Go's rule:
    /// no sleep for synchronisation in tests.
    ///
    /// It stays silent when virtual time is on (`tokio::time::pause()` earlier in the test, or
    /// `#[tokio::test(start_paused = true)]`), and for sleeps inside the spawned work itself,
    /// which simulate slow work rather than wait for it.
    ///
    /// ### Known problems
    /// A sleep that tests a timeout on purpose is reported too; suppress it with a reason.
    ///
    /// ### Example
    /// ```rust,ignore
    /// #[test]
    /// fn worker_processes_job() {
    ///     let done = Arc::new(AtomicBool::new(false));
    ///     let flag = done.clone();
    ///     std::thread::spawn(move || { work(); flag.store(true, SeqCst) });
    ///     std::thread::sleep(Duration::from_millis(100));
    ///     assert!(done.load(SeqCst));
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// #[test]
    /// fn worker_processes_job() {
    ///     let worker = std::thread::spawn(work);
    ///     worker.join().unwrap();
    /// }
    /// ```
    pub static SLEEP_IN_TEST = {
        name: "sleep_in_test",
        rule: Some(Rule::SleepInTests),
        category: Suspicious,
        cost: Leak,
        summary: "a test sleeps to wait for another thread or task",
        why: "a test that waits on the clock instead of an event is slow and flaky",
    };
}

const SLEEPS: &[&str] =
    &["std::thread::sleep", "tokio::time::sleep", "tokio::time::sleep_until", "async_std::task::sleep"];

/// Calls that create state shared between threads or tasks: `Arc`s, locks, channels,
/// atomics, notifiers. Timer channels (`crossbeam_channel::after`) are not: a test of a timer
/// sleeps on purpose.
fn shares_state(path: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "Arc::new",
        "Arc::clone",
        "mpsc::channel",
        "mpsc::sync_channel",
        "mpsc::unbounded_channel",
        "oneshot::channel",
        "broadcast::channel",
        "watch::channel",
        "Mutex::new",
        "RwLock::new",
        "Notify::new",
        "Barrier::new",
        "Condvar::new",
        "std::thread::scope",
    ];
    const CHANNEL_CRATES: &[&str] = &["crossbeam_channel::", "flume::", "async_channel::", "kanal::"];
    let channel_ctor = CHANNEL_CRATES.iter().any(|c| path.starts_with(c))
        && (path.ends_with("::bounded") || path.ends_with("::unbounded"));
    channel_ctor
        || ENDINGS.iter().any(|m| path.ends_with(m))
        || (path.starts_with("std::sync::atomic::Atomic") && path.ends_with("::new"))
}

pub fn check(cx: &FileCx<'_>) {
    for call in &cx.facts.calls {
        let Some(path) = call.resolved() else { continue };
        // Sleeps inside spawned work, or inside closures and futures run elsewhere or later,
        // simulate slow work; only the test's own flow waiting on the clock is the problem.
        if !SLEEPS.contains(&path) || !call.ctx.is_test || call.ctx.spawn_body.is_some() || call.ctx.deferred {
            continue;
        }
        // Only a sleep the test itself waits out: `thread::sleep(d);` or `sleep(d).await`.
        // A sleep future raced in `select!` or handed to `timeout`/`select` is a deadline.
        let waited_out = matches!(call.flow, Flow::Discarded | Flow::Awaited(_) | Flow::Returned | Flow::Other);
        if call.ctx.in_select_future || !waited_out {
            continue;
        }
        let Some(fn_id) = call.ctx.fn_id else { continue };
        check_sleep(cx, call, path, fn_id);
    }
}

fn check_sleep(cx: &FileCx<'_>, sleep: &Call<'_>, path: &str, fn_id: FnId) {
    let func = cx.facts.func(fn_id);
    if func.test_attr.as_ref().is_some_and(|a| a.start_paused) {
        return;
    }
    let paused_before = cx
        .facts
        .calls_in(Some(fn_id))
        .any(|c| c.resolved() == Some("tokio::time::pause") && c.callee_span.start < sleep.callee_span.start);
    if paused_before {
        return;
    }
    let spawn = cx.facts.spawns_in(Some(fn_id)).next();
    let sharing = cx.facts.calls_in(Some(fn_id)).find(|c| c.resolved().is_some_and(shares_state));
    let (reason, other) = match (spawn, sharing) {
        (Some(s), _) => {
            let what = if s.spawner.is_thread() { "threads" } else { "tasks" };
            (format!("that spawns {what}"), Some((s.callee_span, "work started here")))
        }
        (None, Some(c)) => {
            ("that shares state with other threads".to_string(), Some((c.callee_span, "state shared here")))
        }
        (None, None) => return,
    };
    let written = match &sleep.callee {
        Callee::Path { path, .. } => crate::facts::walk::path_text(path),
        Callee::Method { name, .. } => name.clone(),
    };
    let mut d = Diagnostic::new(&SLEEP_IN_TEST, sleep.callee_span, format!("`{written}` in a test {reason}"))
        .primary_label("the test waits on the clock instead of an event");
    if let Some((span, label)) = other {
        d = d.label(span, label);
    }
    d = d.help(if path.starts_with("tokio") {
        "wait for the event itself (join or await the handle, a channel, `Notify`, `Barrier`), or run the test with paused time: `#[tokio::test(start_paused = true)]`"
    } else {
        "wait for the event itself: join the handle, receive on a channel, or use a `Barrier` or `Condvar`"
    });
    if let Some(suggestion) = start_paused_suggestion(cx, fn_id) {
        d = d.suggest(
            "virtual time makes the sleep instant and deterministic (needs tokio's `test-util` feature)",
            suggestion.0,
            suggestion.1,
            Applicability::MaybeIncorrect,
        );
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// `#[tokio::test]` → `#[tokio::test(start_paused = true)]`, for current-thread tests only
/// (paused time panics on the multi-thread runtime).
fn start_paused_suggestion(cx: &FileCx<'_>, fn_id: FnId) -> Option<(crate::source::Span, String)> {
    let func = cx.facts.func(fn_id);
    let attr = func.test_attr.as_ref()?;
    if attr.path != "tokio::test" {
        return None;
    }
    let text = cx.snippet(attr.span);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("multi_thread") {
        return None;
    }
    let replacement = if compact == "#[tokio::test]" {
        "#[tokio::test(start_paused = true)]".to_string()
    } else if let Some(inner) = text.trim_end().strip_suffix(")]") {
        format!("{inner}, start_paused = true)]")
    } else {
        return None;
    };
    Some((attr.span, replacement))
}
