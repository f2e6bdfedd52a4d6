use crate::context::FileCx;
use crate::registry::Rule;

use super::sleep_in_test::{bet_diagnostic, sleep_bets};

crate::declare_lint! {
    /// ### What it does
    /// Finds the sleeps in tests that `sleep_in_test` leaves out because the work they wait for
    /// is out of its sight, when the check after the sleep reads what that work writes:
    /// - the test starts no thread or task itself, but shares state (an `Arc`, a lock, a
    ///   channel, an atomic) with the code under test, whose own threads (a pool's workers, a
    ///   cache's processor, a signal handler) are to act during the sleep;
    /// - the test's tasks run on a current-thread runtime (`#[tokio::test]` without
    ///   `flavor = "multi_thread"`), where the sleep yields to them.
    ///
    /// Everything else is as for `sleep_in_test`: the sleep is waited out in the test's own
    /// flow, and the first check after it reads shared state (see that lint's page for what
    /// counts as a check, and the sleeps left alone on purpose).
    ///
    /// ### Why is this bad
    /// The test waits on the clock for another thread's or task's work. When that work is
    /// slower than the sleep (a loaded CI machine, a task waiting on I/O or a timer), the check
    /// fails; when it is faster, the test wastes the rest of the sleep. Go's rule: no sleep for
    /// synchronisation in tests.
    ///
    /// ### Why is it pedantic
    /// Whether such a sleep can lose depends on code the lint does not read. Reviewers of real
    /// crates judged as many of these findings harmless as true: the code under test often
    /// writes eagerly, queues the command before it returns, or, on a current-thread runtime,
    /// finishes in-memory work at the first yield, before any timer fires. Turn it on to audit
    /// a test suite: `-W sleep_for_unseen_work` or `[lints] sleep_for_unseen_work = "warn"`.
    ///
    /// ### Known problems
    /// The same as `sleep_in_test`'s; besides, the lint cannot tell a pool that has already done
    /// the work from one that will do it later.
    ///
    /// ### Example
    /// ```rust,ignore
    /// #[test]
    /// fn pool_runs_job() {
    ///     let hits = Arc::new(AtomicUsize::new(0));
    ///     let pool = Pool::new(2);
    ///     let h = hits.clone();
    ///     pool.execute(move || { h.fetch_add(1, SeqCst); });
    ///     std::thread::sleep(Duration::from_millis(50));
    ///     assert_eq!(hits.load(SeqCst), 1);
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// #[test]
    /// fn pool_runs_job() {
    ///     let (tx, rx) = std::sync::mpsc::channel();
    ///     let pool = Pool::new(2);
    ///     pool.execute(move || tx.send(()).unwrap());
    ///     rx.recv_timeout(Duration::from_secs(10)).unwrap();
    /// }
    /// ```
    pub static SLEEP_FOR_UNSEEN_WORK = {
        name: "sleep_for_unseen_work",
        rule: Some(Rule::SleepInTests),
        category: Pedantic,
        cost: Leak,
        summary: "a test sleeps for work of the code under test, or of tasks on a current-thread runtime",
        why: "a test that waits on the clock instead of an event is slow and flaky",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for bet in sleep_bets(cx) {
        if bet.unseen.is_some() {
            cx.report(bet_diagnostic(cx, &SLEEP_FOR_UNSEEN_WORK, &bet));
        }
    }
}
