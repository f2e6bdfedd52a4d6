use crate::context::{ExportedFact, FileCx, PendingDiagnostic, WorkspaceCx};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::handles::{handle_fate, HandleFate};
use crate::facts::{Call, Callee, Flow, FnFacts, FnId, Spawn, SpawnId, Spawner};
use crate::model::spawns::{self, PendingSleep, SpawningFn};
use crate::source::Span;

mod outcome;
mod purpose;
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds `std::thread::sleep`, `tokio::time::sleep` (and `sleep_until`) and
    /// `async_std::task::sleep` in test code (`#[test]`, `#[tokio::test]`, `#[async_std::test]`,
    /// `#[cfg(test)]` modules and module files declared under a test-only `cfg`, files under
    /// `tests/`) whose test function spawns threads or tasks itself (or calls, before the
    /// sleep, a helper function that spawns them and returns while they run: the handle
    /// dropped, detached, returned or stored) and waits out the sleep to
    /// let that work happen: the first check after the sleep
    /// (an `assert!`-family macro, a helper named `assert_…`/`check_…`, a `connect` to a server
    /// the test started) reads what the other work writes (an atomic, a lock, `try_recv`, a
    /// count or getter, a global query such as `check_deadlock()`).
    ///
    /// A sleep is not reported when nothing after it bets on timing: the test waits for the
    /// event itself before or inside the check (`h.join()`, `task.await`, `rx.recv()`,
    /// `recv_timeout`), so the sleep only aims the interleaving; the check reads only the test's
    /// own values; there is no check before the next sleep or the end of the block (a stress
    /// test that lets threads run); or the check watches for something that must *not* happen
    /// (the same check held before the sleep, an empty `try_recv`, a comment or message that
    /// says "should not", "never", "still", "to see if", a flag checked still unset). There is
    /// no event to wait for instead of such a sleep, and maintainers of real crates rejected
    /// every finding of these kinds reviewed. Nor is a check that other threads are stuck (a
    /// deadlock detector, a parked or blocked thread): a thread blocked inside the call under
    /// test cannot signal. `#[ignore]`d tests, which run only when asked for by hand, are left
    /// alone.
    ///
    /// The two cases below are reported by the pedantic `sleep_for_unseen_work` instead.
    /// Only work the test starts itself counts: threads that the code under test runs (a
    /// pool's workers, a cache's processor, a server's loop) are out of sight, and reviewers
    /// found those sleeps as often harmless (the write was eager, the command queued) as bets.
    /// On a current-thread runtime (`#[tokio::test]` without `flavor = "multi_thread"`,
    /// `Builder::new_current_thread()`) a `tokio::time::sleep` in the test's task yields, and
    /// every ready task runs before the timer fires: unless the test also starts a thread or
    /// `spawn_blocking` work, the order is fixed by the scheduler, not the clock.
    ///
    /// ### Why is this bad
    /// The test waits on the clock instead of the event it needs. On a loaded CI machine the
    /// other thread is late and the test fails; on a fast one the sleep wastes time. Go's rule:
    /// no sleep for synchronisation in tests.
    ///
    /// Inside spawned work, a sleep usually simulates slow work and is left alone. It is
    /// reported when the work, after sleeping, asserts on state another thread writes (a lock,
    /// an atomic, `try_recv`) while the test or other spawned work acts meanwhile: the sleep
    /// bets that the other side acts first (`spawn(move || { sleep(d); assert_eq!(*m.lock(),
    /// 1) }); *m.lock() = 1;`), and the check fails when it loses the race.
    ///
    /// The helper may be a function of the same file, or a top-level function of another file
    /// of the package that the test names through a module of the crate:
    /// `common::start_server()` with `mod common;` in an integration test (`tests/common.rs`,
    /// `tests/common/mod.rs`, or `tests/it/util.rs` for `tests/it/main.rs`), or
    /// `crate::testing::start_worker()` (also through a `use crate::…` item) in a unit test.
    /// The finding then points at the spawn in the helper's file too. Methods (`server.start()`),
    /// helpers of other crates, and helpers that reach the spawn only through further calls are
    /// not followed.
    ///
    /// ### Known problems
    /// A sleep that lets wall-clock time pass for a time-based feature under test waits for no
    /// other thread and is not reported. The lint recognises it by what surrounds the sleep:
    /// - it outlasts a duration the test handed earlier to the code under test
    ///   (`.ttl(Duration::from_millis(20))`, `.idle_timeout(Some(1s))`, `.ttl_millis(20)`,
    ///   then `sleep(60ms)`), shares a named duration with such a call (`Some(TTL)` then
    ///   `sleep(TTL + 5ms)`), or names a time-based feature itself (`sleep(PAST_TTL)`, words
    ///   `ttl`, `expir…`, `lifetime`, `idle`, `keepalive`, `backoff`, `lease`…). Durations the
    ///   test waits with (`recv_timeout`, `timeout`, `wait_for`, other sleeps) do not count;
    /// - a clock reading taken before it is used after it (`let start = Instant::now();
    ///   sleep(d); assert!(start.elapsed() >= d)`): the test measures time;
    /// - it is the backoff of a polling loop: a loop with an exit (`while !done`, `loop { if
    ///   ready { break } … }`) whose body sleeps on every round that has not seen the event
    ///   yet. The test waits for the event; the sleep spaces the checks;
    /// - its length is a parameter of the helper it sits in (`fn run(delay: Duration)`): the
    ///   scenario varies the delay;
    /// - the test raises a stop flag right after it (`finished.store(true, …)`,
    ///   `token.cancel()`): the sleep sets how long a stress test runs;
    /// - the comment lines right above or below it say time must pass (`// the token is
    ///   expired`, a TTL, file timestamps that must differ).
    ///
    /// A sleep that is shorter than the configured duration, or that is followed by a clock
    /// reading taken only after it, is still reported. Sleeps in helpers that spawned work
    /// runs, and in futures wrapped before they are spawned (`tokio::spawn(KEY.scope(v, async
    /// { … }))`), count as spawned work. It stays silent when virtual time is on
    /// (`tokio::time::pause()` earlier in the test, or `#[tokio::test(start_paused = true)]`).
    /// A sleep that tests a timeout in a way none of these reveal is reported; suppress it
    /// with a reason.
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
    for bet in sleep_bets(cx) {
        if bet.unseen.is_none() && bet.elsewhere.is_empty() {
            cx.report(bet_diagnostic(cx, &SLEEP_IN_TEST, &bet));
        }
    }
    // Sleeps inside spawned work, looked at on their own terms.
    for call in &cx.facts.calls {
        let Some(spawn) = call.ctx.spawn_body else { continue };
        let Some(path) = waited_out_sleep(call) else { continue };
        check_sleep_in_spawned_work(cx, call, path, spawn);
    }
}

/// The sleep's path, when `call` is a sleep in test code that the code waits out
/// (`thread::sleep(d);`, `sleep(d).await`); a sleep future raced in `select!` or handed to
/// `timeout`/`select` is a deadline.
fn waited_out_sleep<'c>(call: &'c Call<'_>) -> Option<&'c str> {
    let path = call.resolved().filter(|p| SLEEPS.contains(p))?;
    let waited_out = matches!(call.flow, Flow::Discarded | Flow::Awaited(_) | Flow::Returned | Flow::Other);
    (call.ctx.is_test && waited_out && !call.ctx.in_select_future).then_some(path)
}

/// Why the work a sleep waits for is out of the lint's sight, for a finding of
/// `sleep_for_unseen_work` rather than this lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unseen {
    /// The test starts no thread or task itself; it shares state (an `Arc`, a lock, a channel,
    /// an atomic) with the code under test, whose threads may write it eagerly or later.
    CodeUnderTest,
    /// The test's own tasks run on a current-thread runtime: the sleep yields to them, and
    /// whether they finish before the timer fires depends on what they wait for.
    CurrentThread,
}

/// A sleep in a test's own flow followed by a check that bets on other work having acted.
pub struct SleepBet<'c, 'a> {
    pub sleep: &'c Call<'a>,
    pub path: &'c str,
    pub fn_id: FnId,
    /// `that spawns threads`, `that shares state with other threads`.
    pub reason: String,
    /// The spawn or the shared state, and its label.
    pub other: (Span, &'static str),
    /// The check after the sleep.
    pub check: Span,
    pub unseen: Option<Unseen>,
    /// Calls before the sleep of helpers of other files (the call, its modules and name),
    /// when the test starts no work itself nor through a helper of its file: the bet is this
    /// lint's if one of them spawns work and returns while it runs ([`spawns::PendingSleep`]).
    pub elsewhere: Vec<(Span, Vec<String>, String)>,
    /// The test runs on a current-thread runtime and sleeps on its timer.
    pub current_thread: bool,
}

/// Every sleep in a test's own flow that bets on other work, seen or not.
pub fn sleep_bets<'c, 'a>(cx: &'c FileCx<'a>) -> Vec<SleepBet<'c, 'a>> {
    let mut bets = Vec::new();
    for call in &cx.facts.calls {
        if call.ctx.deferred || call.ctx.spawn_body.is_some() {
            continue;
        }
        let Some(path) = waited_out_sleep(call) else { continue };
        let Some(fn_id) = call.ctx.fn_id else { continue };
        if let Some(bet) = sleep_bet(cx, call, path, fn_id) {
            bets.push(bet);
        }
    }
    bets
}

fn sleep_bet<'c, 'a>(cx: &'c FileCx<'a>, sleep: &'c Call<'a>, path: &'a str, fn_id: FnId) -> Option<SleepBet<'c, 'a>> {
    let func = cx.facts.func(fn_id);
    // An `#[ignore]`d test runs only when asked for by hand, never in a plain CI run.
    if func.test_attr.as_ref().is_some_and(|a| a.start_paused) || func.attrs.iter().any(|a| a.path().is_ident("ignore"))
    {
        return None;
    }
    let before = |span: Span| span.start < sleep.callee_span.start;
    let paused_before =
        cx.facts.calls_in(Some(fn_id)).any(|c| c.resolved() == Some("tokio::time::pause") && before(c.callee_span));
    if paused_before {
        return None;
    }
    // A sleep inside the work handed to a spawner the walk does not see through
    // (`tokio::spawn(KEY.scope(v, async { … }))`) simulates slow work, like one in a body.
    if cx
        .facts
        .spawns_in(Some(fn_id))
        .any(|s| contains(cx.span(s.call), sleep.callee_span) && s.callee_span != sleep.callee_span)
    {
        return None;
    }
    // A helper that spawned work itself runs (`tokio::spawn(async move { iter(…) })`, with
    // `fn iter` sleeping to simulate a stall) is slow work, like a sleep in a spawn's body.
    let name = &func.name;
    let run_by_spawned_work = func.test_attr.is_none()
        && cx.facts.calls.iter().any(|c| {
            c.ctx.spawn_body.is_some()
                && matches!(&c.callee, Callee::Path { path, .. } if path.get_ident().is_some_and(|i| i == name))
        });
    if run_by_spawned_work {
        return None;
    }
    // The work the sleep waits for: preferably work started before it.
    let spawn = cx
        .facts
        .spawns_in(Some(fn_id))
        .find(|s| before(s.callee_span))
        .or_else(|| cx.facts.spawns_in(Some(fn_id)).next());
    let helper = if spawn.is_none() { helper_spawning(cx, fn_id, sleep.callee_span) } else { None };
    let elsewhere =
        if spawn.is_none() && helper.is_none() { helpers_elsewhere(cx, fn_id, sleep.callee_span) } else { Vec::new() };
    let (mut reason, other, mut unseen) = match (spawn, helper) {
        (Some(s), _) => {
            let what = if s.spawner.is_thread() { "threads" } else { "tasks" };
            (format!("that spawns {what}"), (s.callee_span, "work started here"), None)
        }
        (None, Some((call, s))) => {
            let what = if s.spawner.is_thread() { "threads" } else { "tasks" };
            (format!("that spawns {what} through a helper"), (call, HELPER_LABEL), None)
        }
        // Threads the code under test runs (a pool's workers, a cache's processor) are out of
        // sight: reviewers of real crates found those sleeps as often harmless (the write was
        // eager, the command queued) as bets.
        (None, None) => {
            // A `static` atomic or lock inside the test counts the test's own calls.
            let sharing = cx.facts.calls_in(Some(fn_id)).find(|c| {
                let line = cx.source.line_text(cx.source.line_index(c.callee_span.start as usize)).trim_start();
                let in_static = line.starts_with("static ") || line.starts_with("pub static ");
                c.resolved().is_some_and(shares_state) && !in_static
            });
            match (sharing, elsewhere.first()) {
                (Some(sharing), _) => {
                    let reason = "that shares state with threads of the code under test".to_string();
                    (reason, (sharing.callee_span, "state shared here"), Some(Unseen::CodeUnderTest))
                }
                // Decided in the workspace phase, with the helper's file.
                (None, Some((call, _, _))) => (String::new(), (*call, HELPER_ELSEWHERE_LABEL), None),
                (None, None) => return None,
            }
        }
    };
    let current_thread = path.starts_with("tokio") && runs_on_current_thread(cx, func, fn_id);
    // On a current-thread runtime, a sleep in the test's own task yields, and every task that
    // is ready runs before the timer fires: in-memory work started by the test cannot lose.
    if unseen.is_none()
        && elsewhere.is_empty()
        && current_thread
        && !cx
            .facts
            .spawns_in(Some(fn_id))
            .chain(helper.map(|(_, s)| s))
            .any(|s| s.spawner.is_thread() || s.spawner == Spawner::TokioBlocking)
    {
        unseen = Some(Unseen::CurrentThread);
        reason = "that spawns tasks on a current-thread runtime".to_string();
    }
    if purpose::deliberate_delay(cx, sleep, fn_id) {
        return None;
    }
    // The sleep is a bet only if what the test checks next holds just when the other work
    // acted during it.
    let check = outcome::bet_checked_after(cx, sleep, func.body)?;
    if outcome::checks_blocked_threads(cx, check, &func.name) {
        return None;
    }
    Some(SleepBet { sleep, path, fn_id, reason, other, check, unseen, elsewhere, current_thread })
}

const HELPER_LABEL: &str = "this helper of the file starts work that runs on";
const HELPER_ELSEWHERE_LABEL: &str = "this helper of another file starts work that runs on";

/// Calls, before `before` in the test's own flow, of functions of other files of the package:
/// a path into a module of the crate (`common::start_server()`, `crate::util::spawn_worker()`,
/// or a name a `use` item brings in from one), its first segment `crate`, `self`, `super` or
/// a module the file declares. Calls into other crates are not candidates.
fn helpers_elsewhere(cx: &FileCx<'_>, fn_id: FnId, before: Span) -> Vec<(Span, Vec<String>, String)> {
    let declared: Vec<String> = cx
        .ast
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    cx.facts
        .calls_in(Some(fn_id))
        .filter(|c| c.callee_span.start < before.start && !c.ctx.deferred && c.ctx.spawn_body.is_none())
        .filter_map(|c| {
            let Callee::Path { path, .. } = &c.callee else { return None };
            let (modules, name) = spawns::call_target(cx, path)?;
            let first = modules.first()?;
            let in_crate = matches!(first.as_str(), "crate" | "self" | "super") || declared.contains(first);
            let defined_here = modules.len() == 1 && first == "self" && cx.facts.fns.iter().any(|f| f.name == name);
            (in_crate && !defined_here).then_some((c.callee_span, modules, name))
        })
        .collect()
}

/// A call, before `before` in the test, of a helper function of the file (its only function of
/// that name, not a test) that starts work and lets it run on past its return: the handle is
/// dropped, detached, returned or stored (`fn start_server() -> Addr { thread::spawn(…);
/// addr }`). The test started that work, one call away. Returns the call and the spawn.
fn helper_spawning<'c, 'a>(cx: &'c FileCx<'a>, fn_id: FnId, before: Span) -> Option<(Span, &'c Spawn<'a>)> {
    cx.facts.calls_in(Some(fn_id)).find_map(|c| {
        if c.callee_span.start >= before.start || c.ctx.deferred || c.ctx.spawn_body.is_some() {
            return None;
        }
        let Callee::Path { path, .. } = &c.callee else { return None };
        let name = path.get_ident()?.to_string();
        let mut named = cx.facts.fns.iter().enumerate().filter(|(_, f)| f.name == name);
        let (index, helper) = named.next()?;
        if named.next().is_some() || helper.test_attr.is_some() || helper.self_ty.is_some() {
            return None;
        }
        Some((c.callee_span, spawn_running_on(cx, FnId(index as u32))?))
    })
}

/// A spawn of the function, in its own flow, whose work runs on past its return: the handle is
/// dropped, detached, returned or stored.
fn spawn_running_on<'c, 'a>(cx: &'c FileCx<'a>, f: FnId) -> Option<&'c Spawn<'a>> {
    cx.facts.spawns_in(Some(f)).find(|s| {
        s.ctx.spawn_body.is_none()
            && (matches!(s.flow, Flow::Returned | Flow::Stored)
                || matches!(handle_fate(cx.file, cx.facts, s), HandleFate::Dropped { .. }))
    })
}

/// Exports what the crate model needs to follow a test's helper calls into other files: the
/// sleeps whose bet depends on such a helper, and this file's top-level functions that spawn
/// work and return while it runs.
pub fn collect(cx: &FileCx<'_>) {
    for bet in sleep_bets(cx) {
        if bet.elsewhere.is_empty() || bet.unseen == Some(Unseen::CurrentThread) {
            continue;
        }
        let bet = SleepBet { reason: String::new(), other: (bet.elsewhere[0].0, HELPER_ELSEWHERE_LABEL), ..bet };
        cx.export(ExportedFact::PendingSleep(Box::new(PendingSleep {
            written: written(bet.sleep),
            threads_only: bet.current_thread
                && !cx
                    .facts
                    .spawns_in(Some(bet.fn_id))
                    .any(|s| s.spawner.is_thread() || s.spawner == Spawner::TokioBlocking),
            helpers: bet.elsewhere.clone(),
            finding: PendingDiagnostic(Box::new(bet_diagnostic(cx, &SLEEP_IN_TEST, &bet))),
        })));
    }
    for item in &cx.ast.items {
        let syn::Item::Fn(f) = item else { continue };
        let name = f.sig.ident.to_string();
        let mut named = cx.facts.fns.iter().enumerate().filter(|(_, g)| g.name == name && g.self_ty.is_none());
        let (Some((index, func)), None) = (named.next(), named.next()) else { continue };
        if func.test_attr.is_some() {
            continue;
        }
        if let Some(spawn) = spawn_running_on(cx, FnId(index as u32)) {
            let on_thread = spawn.spawner.is_thread() || spawn.spawner == Spawner::TokioBlocking;
            cx.export(ExportedFact::SpawningFn(Box::new(SpawningFn { name, spawn: spawn.callee_span, on_thread })));
        }
    }
}

/// Sleeps that bet on work a helper of another file started: the helper's spawn gets a label.
pub fn check_across_files(ws: &WorkspaceCx<'_>) {
    for (pending, call, spawning) in spawns::resolved_sleeps(ws) {
        let what = if spawning.on_thread { "threads" } else { "tasks" };
        let mut d = (*pending.finding.0).clone();
        d.message = format!("`{}` in a test that spawns {what} through a helper", pending.written);
        for label in d.labels.iter_mut().filter(|l| l.message == HELPER_ELSEWHERE_LABEL) {
            label.span = call;
        }
        ws.report(d.label(spawning.spawn, "spawned here, and still running when the helper returns"));
    }
}

/// The diagnostic for a sleep bet, under `lint`.
pub fn bet_diagnostic(cx: &FileCx<'_>, lint: &'static crate::registry::Lint, bet: &SleepBet<'_, '_>) -> Diagnostic {
    let written = written(bet.sleep);
    let mut d = Diagnostic::new(lint, bet.sleep.callee_span, format!("`{written}` in a test {}", bet.reason))
        .primary_label("the test waits on the clock instead of an event")
        .label(bet.other.0, bet.other.1)
        .label(bet.check, "this check holds only if that work acted during the sleep");
    d = d.help(if bet.path.starts_with("tokio") {
        "wait for the event itself (join or await the handle, a channel, `Notify`, `Barrier`), or run the test with paused time: `#[tokio::test(start_paused = true)]`"
    } else {
        "wait for the event itself: join the handle, receive on a channel, or use a `Barrier` or `Condvar`"
    });
    if let Some(suggestion) = start_paused_suggestion(cx, bet.fn_id) {
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
    d
}

/// A sleep inside spawned work usually simulates slow work and is left alone. It waits for
/// an event when the work checks, after it, what the test's own flow was to do meanwhile:
/// `spawn(move || { sleep(d); assert_eq!(*m.lock(), 1) }); *m.lock() = 1;`. The assertion
/// then holds only if the other side won the race the sleep bets on.
fn check_sleep_in_spawned_work(cx: &FileCx<'_>, sleep: &Call<'_>, path: &str, spawn_id: SpawnId) {
    let spawn = &cx.facts.spawns[spawn_id.0 as usize];
    let Some(fn_id) = sleep.ctx.fn_id else { return };
    if cx.facts.func(fn_id).test_attr.as_ref().is_some_and(|a| a.start_paused) {
        return;
    }
    if purpose::deliberate_delay(cx, sleep, fn_id) {
        return;
    }
    let spawn_end = cx.span(spawn.call).end;
    // Something else acts after the work starts: the test's own flow (other than joining
    // it) or further spawned work.
    let others_act = cx
        .facts
        .calls_in(Some(fn_id))
        .any(|c| c.callee_span.start > spawn_end && c.ctx.spawn_body.is_none() && !c.ctx.deferred && !is_join(c));
    let checked = cx.facts.calls_in(Some(fn_id)).find(|c| {
        c.ctx.spawn_body == Some(spawn_id)
            && c.callee_span.start > sleep.callee_span.end
            && is_assertion(c)
            && c.args.iter().any(|a| reads_shared_state(a))
    });
    let Some(check) = checked else { return };
    if !others_act {
        return;
    }
    let work = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let written = written(sleep);
    let mut d = Diagnostic::new(
        &SLEEP_IN_TEST,
        sleep.callee_span,
        format!("`{written}` in a spawned {work} bets that other work acts first, then checks that it did"),
    )
    .primary_label("the spawned work waits on the clock for another thread's actions")
    .label(check.callee_span, "this check holds only if the other thread won the race")
    .help(if path.starts_with("tokio") {
        "make the order explicit: have the other side signal when it has acted (a `oneshot` channel, `Notify`, `Barrier`) and wait for that signal instead of sleeping"
    } else {
        "make the order explicit: have the other side signal when it has acted (a channel or a `Barrier`) and wait for that signal instead of sleeping"
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

fn written(sleep: &Call<'_>) -> String {
    match &sleep.callee {
        Callee::Path { path, .. } => crate::facts::walk::path_text(path),
        Callee::Method { name, .. } => name.clone(),
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn is_join(c: &Call<'_>) -> bool {
    matches!(c.method_name(), Some("join" | "unwrap" | "expect"))
}

/// `assert!`, `assert_eq!`… as rewritten into `__macro_assert…(…)`.
fn is_assertion(c: &Call<'_>) -> bool {
    match &c.callee {
        Callee::Path { path, .. } => path
            .get_ident()
            .and_then(|i| {
                i.to_string().strip_prefix("__macro_").map(|n| n.starts_with("assert") || n.starts_with("debug_assert"))
            })
            .unwrap_or(false),
        Callee::Method { .. } => false,
    }
}

/// The expression reads state another thread writes: a lock, an atomic, a channel, a cell.
fn reads_shared_state(e: &syn::Expr) -> bool {
    struct Reads(bool);
    impl<'a> syn::visit::Visit<'a> for Reads {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            let name = m.method.to_string();
            if matches!(
                name.as_str(),
                "lock" | "try_lock" | "read" | "write" | "try_read" | "try_write" | "load" | "try_recv" | "is_poisoned"
            ) {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut v = Reads(false);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0
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

/// `#[tokio::test]` without `flavor = "multi_thread"`, or a runtime built with
/// `new_current_thread()` in the test.
fn runs_on_current_thread(cx: &FileCx<'_>, func: &FnFacts<'_>, fn_id: FnId) -> bool {
    let by_attr = func
        .test_attr
        .as_ref()
        .is_some_and(|a| a.path.ends_with("tokio::test") && !cx.snippet(a.span).contains("multi_thread"));
    let by_builder = cx.facts.calls_in(Some(fn_id)).any(|c| {
        c.method_name() == Some("new_current_thread") || c.resolved().is_some_and(|p| p.ends_with("new_current_thread"))
    });
    let multi = cx.facts.calls_in(Some(fn_id)).any(|c| {
        c.method_name() == Some("new_multi_thread")
            || c.resolved().is_some_and(|p| p.ends_with("new_multi_thread") || p.ends_with("Runtime::new"))
    });
    (by_attr || by_builder) && !multi
}
