//! A byte-level test that proves a file cannot produce a finding, so it need not be parsed.
//!
//! Most files of a crate use no concurrency API at all; parsing them is most of the cost of a
//! run. Each lint lists words that every file it can fire in must contain (a spawn is written
//! with `spawn`, an unsafe impl with `unsafe`); a file containing none of the words of any
//! enabled lint is skipped. A lint with no entry here is never skipped for.
//!
//! A skipped file is not parsed, so a syntax error in it is not reported either.

use crate::registry::Lint;
use crate::Levels;
use aho_corasick::AhoCorasick;

/// Words whose absence proves `lint` cannot fire, or `None` when no such list is known.
fn needles(lint: &str) -> Option<&'static [&'static str]> {
    Some(match lint {
        "detached_spawn" | "unbounded_spawn_in_loop" => &["spawn"],
        "task_dropped_on_spawn"
        | "joinset_dropped"
        | "handles_never_joined"
        | "join_result_ignored"
        | "early_exit_leaks_tasks"
        | "test_leaks_spawn" => &["spawn"],
        "barrier_count_mismatch" => &["Barrier"],
        "sleep_in_test" => &["sleep"],
        "undocumented_unsafe_send_sync" => &["unsafe"],
        "uncancellable_loop" => &["spawn"],
        "blocking_in_async" => &["async"],
        "cancel_guard_dropped" => &["drop_guard"],
        "catch_unwind_around_spawn" => &["catch_unwind"],
        // What `collect` exports: `catch_unwind`, `join()` results, `is_panic`/`into_panic`.
        "catch_unwind_under_abort" => &["catch_unwind", "join", "_panic"],
        "raw_pointer_across_spawn" | "unnamed_thread" => &["spawn"],
        "static_mut" => &["static"],
        "missing_race_check" => &["unsafe", "static", "UnsafeCell"],
        "unbounded_channel" => &["channel", "unbounded"],
        "send_sync_impl_unbounded" => &["unsafe"],
        // Every finding starts from a lock-method call (`facts::locks::lock_method`).
        "lock_across_await" | "double_lock" | "lock_order_inversion" => &[
            ".lock()",
            ".read()",
            ".write()",
            "try_lock",
            "try_read",
            "try_write",
            "upgradable_read",
            "read_recursive",
            "lock_arc",
            "read_arc",
            "write_arc",
            "lock_owned",
            "read_owned",
            "write_owned",
            "blocking_lock",
            "blocking_read",
            "blocking_write",
        ],
        // `pub mod` and `pub use`: the files that make a module or a type public must be read.
        "undocumented_shared_type" => &[
            "Mutex", "RwLock", "Condvar", "Atomic", "Sender", "Receiver", "Notify", "Semaphore", "Barrier", "pub mod",
            "pub use",
        ],
        // Reports about `// taskcheck: allow(…)` comments.
        "unused_suppression" | "unknown_lint" => &["taskcheck"],
        _ => return None,
    })
}

/// The union of the needles of every enabled lint.
#[derive(Debug)]
pub struct Prefilter {
    matcher: Option<AhoCorasick>,
}

impl Prefilter {
    /// A prefilter for the lints `levels` enables among `lints`.
    pub fn new<'l>(lints: impl IntoIterator<Item = &'l Lint>, levels: &Levels) -> Prefilter {
        let mut words: Vec<&'static str> = Vec::new();
        for lint in lints.into_iter().filter(|l| levels.is_enabled(l)) {
            match needles(lint.name) {
                Some(list) => words.extend_from_slice(list),
                // A lint without needles can fire anywhere: every file must be parsed.
                None => return Prefilter { matcher: None },
            }
        }
        words.sort_unstable();
        words.dedup();
        Prefilter { matcher: AhoCorasick::new(&words).ok() }
    }

    /// A prefilter that lets every file through.
    pub fn disabled() -> Prefilter {
        Prefilter { matcher: None }
    }

    /// Whether the file may produce a finding and must be analysed.
    pub fn may_match(&self, text: &str) -> bool {
        match &self.matcher {
            Some(m) => m.is_match(text),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_files_without_any_needle() {
        let p = Prefilter::new(crate::all_lints(), &Levels::default());
        assert!(p.may_match("fn f() { std::thread::spawn(|| {}); }"));
        assert!(p.may_match("unsafe impl Send for X {}"));
        if crate::all_lints().all(|l| needles(l.name).is_some()) {
            assert!(!p.may_match("fn add(a: u32, b: u32) -> u32 { a + b }"));
        }
    }
}
