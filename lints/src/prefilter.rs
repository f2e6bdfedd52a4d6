//! A byte-level test that proves a file cannot produce a finding, so it need not be parsed.
//!
//! Most files of a crate use no concurrency API at all; parsing them is most of the cost of a
//! run. Each lint states what every file it can fire in must contain ([`condition`]): a
//! spawn is written with `spawn`, an unsafe `Send` impl with `unsafe impl` and `Send`, a
//! blocking call in async code with the word `async` and one of `sleep`, `fs`, `net`,
//! `mpsc`, `spawn`. One pass of Aho-Corasick over the text finds the words; the conditions
//! are then decided on what was found. A file no enabled lint can fire in is skipped.
//!
//! Some facts matter only together with another file's: the module declarations and
//! `pub use` items `undocumented_shared_type` reads to decide whether a type is public are
//! needed only when a file of the same package has a type that lint could report. Such a
//! file [`Needs::supports`] the lint; the driver analyses it when the lint may fire in
//! another file of its package ([`Needs::needed`]).
//!
//! A workspace lint that the run cannot fire at all (no `panic = "abort"` profile for
//! `catch_unwind_under_abort`, a CI job that already runs a race checker for
//! `missing_race_check`) asks for no file ([`Prefilter::for_run`]).
//!
//! Every condition must be sound: when it is false, the lint neither reports nor exports a
//! fact for the file, whatever the rest of the file says. Mind `facts::paths::canonical`: a
//! path the lints match may be written otherwise (`tokio::time::delay_for` is `sleep`,
//! `futures_util::` is `futures::`, `crossbeam::channel::` is `crossbeam_channel::`). The fuzz target and
//! `tests/prefilter.rs` check that findings are the same with and without the prefilter. A
//! skipped file is not parsed, so a syntax error in it is not reported either.
//!
//! A lint with no condition here is never skipped for: every file is parsed.

use crate::facts::ci::ci_runs_race_check;
use crate::facts::manifest::abort_profiles;
use crate::registry::Lint;
use crate::source::{FileId, SourceMap};
use crate::{Levels, PackageInfo};
use aho_corasick::AhoCorasick;

/// Something a file's text may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needle {
    /// Anywhere, even inside a longer word (`spawn` in `spawn_blocking`).
    Sub(&'static str),
    /// As a whole word: no letter, digit or `_` on either side (`fs` in `std::fs`, not in
    /// `offset`).
    Word(&'static str),
    /// At the start of a word (`Atomic` in `AtomicUsize`).
    Prefix(&'static str),
    /// Two words with only whitespace and comments between (`unsafe impl`, `static mut`).
    Seq(&'static str, &'static str),
    /// A module declaration without a body: `mod NAME;`.
    ModDecl,
    /// The file is test code as a whole (under `tests/`): not in the text, given by the caller.
    TestFile,
}

/// What a file must contain: needles combined with and/or.
#[derive(Clone, Debug)]
pub enum Cond {
    Has(Needle),
    Any(Vec<Cond>),
    All(Vec<Cond>),
}

fn sub(w: &'static str) -> Cond {
    Cond::Has(Needle::Sub(w))
}
fn word(w: &'static str) -> Cond {
    Cond::Has(Needle::Word(w))
}
fn prefix(w: &'static str) -> Cond {
    Cond::Has(Needle::Prefix(w))
}
fn seq(a: &'static str, b: &'static str) -> Cond {
    Cond::Has(Needle::Seq(a, b))
}
fn any(conds: impl IntoIterator<Item = Cond>) -> Cond {
    Cond::Any(conds.into_iter().collect())
}
fn all(conds: impl IntoIterator<Item = Cond>) -> Cond {
    Cond::All(conds.into_iter().collect())
}
fn any_sub(words: &[&'static str]) -> Cond {
    any(words.iter().map(|w| sub(w)))
}
fn any_word(words: &[&'static str]) -> Cond {
    any(words.iter().map(|w| word(w)))
}

/// `unsafe impl … Send` / `Sync`: what `FileFacts::impls` records as `unsafe_auto_trait`.
fn unsafe_send_sync_impl() -> Cond {
    all([seq("unsafe", "impl"), any_sub(&["Send", "Sync"])])
}

/// A call of a lock method (`facts::locks::lock_method`).
fn lock_method_call() -> Cond {
    any_sub(&[
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
    ])
}

/// What every file `lint` can fire in (or export a fact from) contains, or `None` when no
/// such condition is known (every file is then analysed).
pub fn condition(lint: &str) -> Option<Cond> {
    Some(match lint {
        // Every finding starts from a spawn call, and every spawner's name has `spawn` in it
        // (`spawn`, `spawn_blocking`, `spawn_local`, `Builder::spawn`, a scope's `s.spawn`).
        "detached_spawn"
        | "unbounded_spawn_in_loop"
        | "unbounded_library_accept_loop"
        | "task_dropped_on_spawn"
        | "joinset_dropped"
        | "early_exit_leaks_tasks"
        | "test_leaks_spawn"
        | "uncancellable_loop"
        | "raw_pointer_across_spawn"
        | "unnamed_thread" => sub("spawn"),
        // A spawn's handle, or a handle known by its written type (`h: JoinHandle<T>`, a
        // `static` of them).
        "join_result_ignored" | "handles_never_joined" => any_sub(&["spawn", "JoinHandle"]),
        // `Barrier::new(n)` of std or tokio, by its path or an import of `Barrier`.
        "barrier_count_mismatch" => word("Barrier"),
        // `thread::sleep`, `time::sleep`, `sleep_until` in test code (a `#[test]`-like
        // attribute or `cfg(test)`, or a file under `tests/`), in a function that spawns or
        // creates shared state (`sleep_in_test::shares_state`).
        // (`tokio::time::delay_for` is the old name of `sleep`.)
        // `sleep_in_test` also follows the test's calls of helpers of other files of the crate
        // (`common::start_server()`): a path through `crate`, `self`, `super` or a module the
        // file declares.
        "sleep_in_test" | "sleep_for_unseen_work" => {
            let mut work = vec![
                "spawn", "Arc", "mpsc", "oneshot", "broadcast", "watch", "Mutex", "RwLock", "Notify", "Barrier",
                "Condvar", "scope", "crossbeam", "flume", "async_channel", "kanal", "Atomic",
            ];
            if lint == "sleep_in_test" {
                work.extend(["mod", "crate", "self", "super"]);
            }
            all([any_sub(&["sleep", "delay_for"]), any([sub("test"), Cond::Has(Needle::TestFile)]), any_sub(&work)])
        }
        "undocumented_unsafe_send_sync" | "unmarked_safety_comment" => unsafe_send_sync_impl(),
        // Only a generic impl can leave a type parameter unbounded (rustfmt writes `impl<`).
        // Files that support it elsewhere are read only for a package where it may fire, so
        // a package whose unsafe impls are all for concrete types costs nothing more.
        "send_sync_impl_unbounded" => all([unsafe_send_sync_impl(), any_sub(&["unsafe impl<", "unsafe impl <"])]),
        "static_mut" => seq("static", "mut"),
        // Async code (`async fn`, block or closure) calling `std::thread::sleep`, `std::fs`,
        // `std::net`, joining a std thread (spawned in sight) or receiving on `std::sync::mpsc`:
        // each path, imported or written out, names its module or function as a word.
        "blocking_in_async" => all([word("async"), any([any_word(&["sleep", "fs", "net", "mpsc"]), sub("spawn")])]),
        "cancel_guard_dropped" => sub("drop_guard"),
        // A spawn inside the guarded closure or future.
        "catch_unwind_around_spawn" => all([sub("catch_unwind"), sub("spawn")]),
        // What `collect` exports: `catch_unwind`, `JoinError::is_panic`/`into_panic`, and the
        // `Err` of a std thread's `join()` (in a file that spawns threads).
        "catch_unwind_under_abort" => any([sub("catch_unwind"), sub("_panic"), all([word("join"), sub("spawn")])]),
        // `unsafe impl Send/Sync`, `static mut`, an `UnsafeCell` field in a file with atomics.
        "missing_race_check" => any([
            unsafe_send_sync_impl(),
            seq("static", "mut"),
            all([sub("UnsafeCell"), any_sub(&["Atomic", "atomic"])]),
        ]),
        // The constructors it knows: tokio's `unbounded_channel`, std's and futures'
        // `mpsc::channel`/`unbounded`, and `unbounded` of crossbeam (`crossbeam_channel` or
        // `crossbeam::channel`), flume, async-channel and async-std (only by their crate's
        // path: no glob import of those is resolved).
        "unbounded_channel" => any([
            any_word(&["unbounded_channel", "mpsc"]),
            all([
                word("unbounded"),
                any_word(&["crossbeam_channel", "crossbeam", "flume", "async_channel", "async_std"]),
            ]),
        ]),
        // A `wait…` method call on a receiver whose type or constructor names `Condvar`
        // (`facts::condvars`).
        "condvar_wait_without_loop" => all([sub("wait"), sub("Condvar")]),
        // A `wait…` method call while a guard from a lock-method call is held.
        "condvar_wait_holding_lock" => all([sub("wait"), lock_method_call()]),
        // Every finding starts from a lock-method call (`facts::locks::lock_method`).
        "lock_across_await" | "double_lock" | "lock_order_inversion" => lock_method_call(),
        // A second `read()`-mode acquisition (`facts::locks::lock_method`; `read_recursive` is
        // never one), directly or in a callee of the same file.
        "recursive_read_lock" => any_sub(&[".read()", "read_arc", "read_owned", "blocking_read"]),
        // A `pub` struct, enum or union with a field of a type `facts::items::sync_kind` knows:
        // its name is a word of the file (an import or a path), `Atomic…` a word's start, and
        // the module it resolves to is named too (`use std::sync::Mutex`, `parking_lot::Mutex`).
        "undocumented_shared_type" => all([
            any([seq("pub", "struct"), seq("pub", "enum"), seq("pub", "union")]),
            any_word(&[
                "sync",
                "atomic",
                "portable_atomic",
                "parking_lot",
                "async_lock",
                "async_std",
                "spin",
                "crossbeam",
                "crossbeam_utils",
                "crossbeam_channel",
                "flume",
                "async_channel",
                "futures",
                "futures_util",
                "futures_channel",
            ]),
            any([
                any_word(&[
                    "Sender",
                    "SyncSender",
                    "Receiver",
                    "UnboundedSender",
                    "UnboundedReceiver",
                    "WeakSender",
                    "WeakUnboundedSender",
                    "Mutex",
                    "RwLock",
                    "ReentrantMutex",
                    "FairMutex",
                    "SpinMutex",
                    "TicketMutex",
                    "Condvar",
                    "Notify",
                    "Semaphore",
                    "Barrier",
                ]),
                prefix("Atomic"),
            ]),
        ]),
        // Reports about `// taskcheck: allow(…)` comments.
        "unused_suppression" | "unknown_lint" => sub("taskcheck"),
        _ => return None,
    })
}

/// A file larger than this is never read only to support another file's finding: such files
/// are generated (bindings, tables; the `windows` crate's modules reach 4 MiB), one of them
/// costs more to parse than a whole hand-written crate, and what they define is looked up as
/// unknown (which keeps the lints that read it silent).
pub const MAX_SUPPORT_BYTES: usize = 128 * 1024;

/// What a file contributes to `lint` only when the lint fires in another file of the same
/// package: `undocumented_shared_type` reads module declarations and `pub use` items to tell
/// whether a type is public (`facts::modules`); `send_sync_impl_unbounded` reads the types,
/// aliases, traits and impls of the package (`facts::crate_items`), and the module declarations
/// too; `sleep_in_test` the
/// functions that spawn work a test may call, `detached_spawn` the functions spawned work
/// may run (`model::spawns`).
pub fn support_condition(lint: &str) -> Option<Cond> {
    match lint {
        "undocumented_shared_type" => Some(any([Cond::Has(Needle::ModDecl), seq("pub", "use")])),
        // Items, and what tells whether a file is compiled (`facts::module_tree`) and whether
        // a trait is nameable outside the crate (`facts::modules`).
        "send_sync_impl_unbounded" => Some(any([
            any_word(&["struct", "enum", "union", "type", "trait", "impl", "include"]),
            Cond::Has(Needle::ModDecl),
            seq("pub", "use"),
        ])),
        // The helpers a test calls: functions that spawn (`model::spawns::SpawningFn`).
        "sleep_in_test" => Some(sub("spawn")),
        // The functions spawned work runs: those that loop forever (`model::spawns::EndlessFn`).
        "detached_spawn" => Some(any_word(&["loop", "while"])),
        _ => None,
    }
}

/// What a run knows before any file is parsed: manifests and CI files.
pub struct RunContext<'a> {
    pub sources: &'a SourceMap,
    pub packages: &'a [PackageInfo],
    pub root_manifest: Option<FileId>,
    pub ci_files: &'a [FileId],
}

/// Whether a workspace lint can report anything in this run at all. Each condition is one its
/// `check` returns early on, so it must stay in step with the rule.
fn can_fire(lint: &str, run: &RunContext<'_>) -> bool {
    match lint {
        // Reports only on a `panic = "abort"` profile of the root manifest.
        "catch_unwind_under_abort" => {
            run.root_manifest.is_some_and(|m| !abort_profiles(&run.sources.get(m).text).is_empty())
        }
        // Reports on a manifest, for packages whose CI is in sight, when no CI file runs a
        // race checker.
        "missing_race_check" => {
            let manifest = run.root_manifest.is_some() || run.packages.iter().any(|p| p.manifest.is_some());
            manifest && run.packages.iter().any(|p| !p.ci_elsewhere) && !ci_runs_race_check(run.sources, run.ci_files)
        }
        _ => true,
    }
}

/// The lints a file may fire or support, as bit sets over the prefilter's lints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Needs {
    /// Lints that may report in this file or export a fact from it.
    pub fires: u128,
    /// Lints for which this file holds facts that matter when the lint fires in another file
    /// of its package.
    pub supports: u128,
}

impl Needs {
    /// Whether the file must be analysed, given the lints that may fire somewhere in its
    /// package (the union of [`Needs::fires`] over the package's files).
    pub fn needed(&self, fires_in_package: u128) -> bool {
        self.fires != 0 || self.supports & fires_in_package != 0
    }
}

/// The conditions of every enabled lint, and one automaton over all their words.
#[derive(Debug)]
pub struct Prefilter {
    /// `None`: an enabled lint has no condition, every file is analysed.
    inner: Option<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// One entry per enabled lint (bit `i` of [`Needs`]): when it fires and what it needs.
    lints: Vec<(Cond, Option<Cond>)>,
    /// The name of each lint of [`Inner::lints`], in the same order.
    names: Vec<&'static str>,
    needles: Vec<Needle>,
    /// The automaton's patterns, each with the needles it anchors.
    matcher: AhoCorasick,
    anchored: Vec<Vec<usize>>,
    /// [`Prefilter::with_extra_words`], and the words themselves.
    extra: Option<AhoCorasick>,
    extra_words: Vec<String>,
}

/// Lints that need every file.
const EVERYTHING: Needs = Needs { fires: u128::MAX, supports: 0 };

impl Prefilter {
    /// A prefilter for the lints `levels` enables among `lints`.
    pub fn new<'l>(lints: impl IntoIterator<Item = &'l Lint>, levels: &Levels) -> Prefilter {
        Prefilter::build(lints, levels, None)
    }

    /// [`Prefilter::new`], leaving out the workspace lints this run cannot fire.
    pub fn for_run<'l>(lints: impl IntoIterator<Item = &'l Lint>, levels: &Levels, run: &RunContext<'_>) -> Prefilter {
        Prefilter::build(lints, levels, Some(run))
    }

    fn build<'l>(
        lints: impl IntoIterator<Item = &'l Lint>,
        levels: &Levels,
        run: Option<&RunContext<'_>>,
    ) -> Prefilter {
        let mut conds = Vec::new();
        let mut names = Vec::new();
        for lint in lints.into_iter().filter(|l| levels.is_enabled(l)) {
            if run.is_some_and(|run| !can_fire(lint.name, run)) {
                continue;
            }
            match condition(lint.name) {
                Some(c) => {
                    conds.push((c, support_condition(lint.name)));
                    names.push(lint.name);
                }
                // A lint without a condition can fire anywhere: every file must be parsed.
                None => return Prefilter::disabled(),
            }
        }
        if conds.len() > 128 {
            return Prefilter::disabled();
        }
        let mut needles = Vec::new();
        for (fires, supports) in &conds {
            collect_needles(fires, &mut needles);
            if let Some(s) = supports {
                collect_needles(s, &mut needles);
            }
        }
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut anchored: Vec<Vec<usize>> = Vec::new();
        for (i, n) in needles.iter().enumerate() {
            let Some(anchor) = n.anchor() else { continue };
            match patterns.iter().position(|p| *p == anchor) {
                Some(p) => anchored[p].push(i),
                None => {
                    patterns.push(anchor);
                    anchored.push(vec![i]);
                }
            }
        }
        match AhoCorasick::new(&patterns) {
            Ok(matcher) => Prefilter {
                inner: Some(Inner {
                    lints: conds,
                    names,
                    needles,
                    matcher,
                    anchored,
                    extra: None,
                    extra_words: Vec::new(),
                }),
            },
            Err(_) => Prefilter::disabled(),
        }
    }

    /// A prefilter that lets every file through.
    pub fn disabled() -> Prefilter {
        Prefilter { inner: None }
    }

    /// What the file may need analysing for.
    pub fn scan(&self, text: &str) -> Needs {
        self.scan_file(text, false)
    }

    /// [`Prefilter::scan`] for a file that may be test code as a whole (under `tests/`).
    pub fn scan_file(&self, text: &str, is_test_file: bool) -> Needs {
        let Some(inner) = &self.inner else { return EVERYTHING };
        if inner.extra.as_ref().is_some_and(|m| m.is_match(text)) {
            return EVERYTHING;
        }
        let mut found = inner.found(text.as_bytes());
        if let Some(i) = inner.needles.iter().position(|n| *n == Needle::TestFile) {
            found[i] = is_test_file;
        }
        let mut needs = Needs::default();
        for (i, (fires, supports)) in inner.lints.iter().enumerate() {
            if fires.holds(&inner.needles, &found) {
                needs.fires |= 1 << i;
            }
            if text.len() <= MAX_SUPPORT_BYTES && supports.as_ref().is_some_and(|s| s.holds(&inner.needles, &found)) {
                needs.supports |= 1 << i;
            }
        }
        needs
    }

    /// Words that make any file containing one analysed, whatever the conditions say: names
    /// the configuration gives meaning to (extra test attributes, the project's own spawn
    /// functions), which the conditions cannot know.
    pub fn with_extra_words<S: AsRef<str>>(mut self, words: &[S]) -> Prefilter {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).filter(|w| !w.is_empty()).collect();
        if let Some(inner) = &mut self.inner {
            if !words.is_empty() {
                match AhoCorasick::new(&words) {
                    Ok(m) => {
                        inner.extra = Some(m);
                        inner.extra_words = words.iter().map(|w| w.to_string()).collect();
                    }
                    Err(_) => self.inner = None,
                }
            }
        }
        self
    }

    /// What decides the [`Needs`] of a text: two prefilters with the same fingerprint scan
    /// every text alike, so a scan stored by an earlier run may be reused.
    pub fn fingerprint(&self) -> String {
        match &self.inner {
            None => "everything".to_string(),
            Some(inner) => format!("{:?} {:?} {:?}", inner.lints, inner.needles, inner.extra_words),
        }
    }

    /// The lints of a bit set of [`Needs`] (none when the prefilter is off: it has no bits).
    pub fn lints_of(&self, bits: u128) -> Vec<&'static str> {
        let Some(inner) = &self.inner else { return Vec::new() };
        inner.names.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, n)| *n).collect()
    }

    /// The bit set of [`Needs`] standing for `lints` (those the prefilter does not know have no bit).
    pub fn bits_of<'n>(&self, lints: impl IntoIterator<Item = &'n str>) -> u128 {
        let Some(inner) = &self.inner else { return 0 };
        lints.into_iter().filter_map(|l| inner.names.iter().position(|n| *n == l)).fold(0, |bits, i| bits | 1 << i)
    }

    /// Whether the file may produce a finding or a fact of its own and must be analysed (a
    /// file that only [`Needs::supports`] a lint is not).
    pub fn may_match(&self, text: &str) -> bool {
        self.scan(text).fires != 0
    }
}

impl Inner {
    /// Which needles the text contains.
    fn found(&self, b: &[u8]) -> Vec<bool> {
        let mut found = vec![false; self.needles.len()];
        let mut left = self.needles.iter().filter(|n| n.anchor().is_some()).count();
        for m in self.matcher.find_overlapping_iter(b) {
            for &n in &self.anchored[m.pattern().as_usize()] {
                if !found[n] && self.needles[n].matches_at(b, m.start(), m.end()) {
                    found[n] = true;
                    left -= 1;
                }
            }
            if left == 0 {
                break;
            }
        }
        found
    }
}

fn collect_needles(cond: &Cond, out: &mut Vec<Needle>) {
    match cond {
        Cond::Has(n) => {
            if !out.contains(n) {
                out.push(*n);
            }
        }
        Cond::Any(cs) | Cond::All(cs) => cs.iter().for_each(|c| collect_needles(c, out)),
    }
}

impl Cond {
    fn holds(&self, needles: &[Needle], found: &[bool]) -> bool {
        match self {
            Cond::Has(n) => needles.iter().position(|x| x == n).is_some_and(|i| found[i]),
            Cond::Any(cs) => cs.iter().any(|c| c.holds(needles, found)),
            Cond::All(cs) => cs.iter().all(|c| c.holds(needles, found)),
        }
    }
}

impl Needle {
    /// The string the automaton looks for.
    fn anchor(&self) -> Option<&'static str> {
        match *self {
            Needle::Sub(w) | Needle::Word(w) | Needle::Prefix(w) | Needle::Seq(w, _) => Some(w),
            Needle::ModDecl => Some("mod"),
            Needle::TestFile => None,
        }
    }

    /// Whether the needle is found where its anchor matched `b[start..end]`.
    fn matches_at(&self, b: &[u8], start: usize, end: usize) -> bool {
        let left = start == 0 || !is_ident_byte(b[start - 1]);
        let right = end == b.len() || !is_ident_byte(b[end]);
        match *self {
            Needle::Sub(_) => true,
            Needle::Word(_) => left && right,
            Needle::Prefix(_) => left,
            Needle::Seq(_, second) => {
                left && right && {
                    let at = skip_trivia(b, end);
                    b[at..].starts_with(second.as_bytes())
                        && b.get(at + second.len()).is_none_or(|c| !is_ident_byte(*c))
                }
            }
            Needle::TestFile => false,
            Needle::ModDecl => {
                if !(left && right) {
                    return false;
                }
                let mut at = skip_trivia(b, end);
                if b[at..].starts_with(b"r#") {
                    at += 2;
                }
                let name = b[at..].iter().take_while(|c| is_ident_byte(**c)).count();
                name > 0 && b.get(skip_trivia(b, at + name)) == Some(&b';')
            }
        }
    }
}

/// Letters, digits and `_`. Other bytes (non-ASCII ones included) count as a word boundary,
/// which can only let more files through.
fn is_ident_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

/// Past whitespace and comments from `i`.
fn skip_trivia(b: &[u8], mut i: usize) -> usize {
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"//") {
            i += b[i..].iter().position(|&c| c == b'\n').unwrap_or(b.len() - i);
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0usize;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fires(text: &str) -> bool {
        Prefilter::new(crate::all_lints(), &Levels::default()).may_match(text)
    }

    #[test]
    fn skips_files_without_any_needle() {
        assert!(fires("fn f() { std::thread::spawn(|| {}); }"));
        assert!(fires("unsafe impl Send for X {}"));
        if crate::all_lints().all(|l| condition(l.name).is_some()) {
            assert!(!fires("fn add(a: u32, b: u32) -> u32 { a + b }"));
        }
    }

    #[test]
    fn words_sequences_and_module_declarations() {
        let b = |s: &str| s.as_bytes().to_vec();
        let at = |n: Needle, text: &str| {
            let t = b(text);
            let a = n.anchor().unwrap();
            (0..t.len()).any(|i| t[i..].starts_with(a.as_bytes()) && n.matches_at(&t, i, i + a.len()))
        };
        assert!(at(Needle::Word("fs"), "use std::fs;"));
        assert!(!at(Needle::Word("fs"), "let offset = 1;"));
        assert!(at(Needle::Prefix("Atomic"), "x: AtomicUsize"));
        assert!(!at(Needle::Prefix("Atomic"), "x: MyAtomic"));
        assert!(at(Needle::Seq("unsafe", "impl"), "unsafe /* why */\n// because\nimpl<T> Send for X<T> {}"));
        assert!(!at(Needle::Seq("unsafe", "impl"), "unsafe fn implies() {}"));
        assert!(at(Needle::Seq("static", "mut"), "static  mut N: u8 = 0;"));
        assert!(!at(Needle::Seq("static", "mut"), "static mutex: u8 = 0;"));
        assert!(at(Needle::ModDecl, "pub mod a /* x */ ;"));
        assert!(at(Needle::ModDecl, "mod r#type;"));
        assert!(!at(Needle::ModDecl, "mod tests { }"));
        assert!(!at(Needle::ModDecl, "model;"));
        for text in ["unsafe", "unsafe /*", "mod", "mod x", "mod /* x", "static //"] {
            for n in [Needle::Seq("unsafe", "impl"), Needle::ModDecl, Needle::Seq("static", "mut")] {
                at(n, text);
            }
        }
    }

    #[test]
    fn items_support_send_sync_impl_unbounded() {
        let mut levels = Levels::default();
        levels.set(crate::find_lint("send_sync_impl_unbounded").expect("lint exists"), crate::Level::Warn);
        let p = Prefilter::new(crate::all_lints(), &levels);
        let types = p.scan("pub struct Slot<T> { value: std::cell::UnsafeCell<T> }\nimpl<T> Slot<T> {}\n");
        assert_ne!(types.supports, 0);
        let unsafe_impl = p.scan("unsafe impl<T> Send for slot::Slot<T> {}\n");
        assert_ne!(unsafe_impl.fires, 0);
        assert!(types.needed(unsafe_impl.fires));
        assert!(!types.needed(0));
    }

    #[test]
    fn support_is_needed_only_when_the_package_fires() {
        // `undocumented_shared_type` is pedantic: the module facts are needed once it is on.
        let mut levels = Levels::default();
        levels.set(crate::find_lint("undocumented_shared_type").expect("lint exists"), crate::Level::Warn);
        let p = Prefilter::new(crate::all_lints(), &levels);
        let module_file = p.scan("pub mod shared;\npub use shared::Pool;\n");
        assert_eq!(module_file.fires, 0);
        assert_ne!(module_file.supports, 0);
        assert!(!module_file.needed(0));
        let candidate = p.scan("use std::sync::Mutex;\n/// A pool.\npub struct Pool { m: Mutex<u8> }\n");
        assert_ne!(candidate.fires, 0);
        assert!(module_file.needed(candidate.fires));
        // The driver names the lints a file supports, and asks for them by name.
        assert_eq!(p.lints_of(module_file.supports), ["undocumented_shared_type"]);
        assert_eq!(p.bits_of(["undocumented_shared_type", "no_such_lint"]), module_file.supports);
    }
}
