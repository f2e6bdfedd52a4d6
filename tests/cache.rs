//! The per-file cache under `<target>/taskcheck/`: a rerun reuses what did not change and
//! nothing else. Each test compares a cached run with a run without the cache, so a stale
//! entry shows up as a difference, and checks from the run's own counts that the cache was
//! (or was not) used.

mod common;

use cargo_taskcheck::analysis::{analyse_with, AnalyseOptions, CacheUse};
use cargo_taskcheck::cli::InputArgs;
use cargo_taskcheck::config::Settings;
use cargo_taskcheck::discover;
use cargo_taskcheck::lints::{Level, SourceMap};
use common::{manifest, Project, DETACHED};
use std::path::Path;

/// Locks `a` then `b` (the type lives in lib.rs).
const A_THEN_B: &str = "use crate::Pair;\npub fn one(p: &Pair) {\n    let a = p.a.lock().unwrap();\n    let b = p.b.lock().unwrap();\n    drop((a, b));\n}\n";
/// Locks `b` then `a`: with [`A_THEN_B`] in another file, a lock order inversion.
const B_THEN_A: &str = "use crate::Pair;\npub fn two(p: &Pair) {\n    let b = p.b.lock().unwrap();\n    let a = p.a.lock().unwrap();\n    drop((a, b));\n}\n";
/// [`B_THEN_A`] turned around, same length.
const B_THEN_A_FIXED: &str = "use crate::Pair;\npub fn two(p: &Pair) {\n    let a = p.a.lock().unwrap();\n    let b = p.b.lock().unwrap();\n    drop((a, b));\n}\n";
const PAIR: &str =
    "use std::sync::Mutex;\nmod one;\nmod two;\npub struct Pair {\n    pub a: Mutex<u32>,\n    pub b: Mutex<u32>,\n}\n";

/// The files of a run are stamped with times at least a second older than the run, so that
/// the cache may trust their metadata (files written within a second of a run are re-read).
fn age(root: &Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    for entry in walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let file = std::fs::File::options().append(true).open(entry.path()).expect("open");
            file.set_modified(old).expect("set the modification time");
        }
    }
}

/// The findings of one run of the package in `dir` (as `lint line: message`) and what the
/// cache did, through the same code the binary runs.
fn analyse(dir: &Path, cache: bool, levels: &[(Level, &str)]) -> (Vec<String>, CacheUse) {
    let input = InputArgs {
        paths: Vec::new(),
        manifest_path: Some(dir.join("Cargo.toml")),
        package: Vec::new(),
        workspace: false,
        exclude: Vec::new(),
        no_cargo_metadata: false,
    };
    let mut sources = SourceMap::default();
    // The module memory is the binary's (see `module_memory_follows_a_changed_declaration`).
    let mut plan = discover::discover(&input, dir, &mut sources, false).expect("discovery");
    // The package's own `target/`, whatever target directory the caller's environment names
    // (`cargo metadata` reports a global `CARGO_TARGET_DIR`, which every test would share).
    plan.target_directory = Some(dir.join("target"));
    let ordered: Vec<(Level, String)> = levels.iter().map(|(l, n)| (*l, n.to_string())).collect();
    let settings = Settings::load(&mut plan, &sources, dir, &ordered).expect("settings");
    let options = AnalyseOptions { cache, ..AnalyseOptions::default() };
    let analysis = analyse_with(&plan, &mut sources, &settings, &options).expect("analysis");
    let findings = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.primary.span.file);
            let line = file.line_col(d.primary.span.start as usize).line;
            format!("{} {}:{line}: {} [{}]", d.lint.name, file.path().display(), d.message, d.notes.join("; "))
        })
        .collect();
    (findings, analysis.cache)
}

/// A cached run, checked against a run without the cache.
fn cached(dir: &Path) -> (Vec<String>, CacheUse) {
    let (findings, usage) = analyse(dir, true, &[]);
    let (fresh, _) = analyse(dir, false, &[]);
    assert_eq!(findings, fresh, "the cached run differs from a run without the cache");
    (findings, usage)
}

#[test]
fn a_rerun_analyses_nothing_and_reads_only_files_with_findings() {
    let dir = Project::with_files(
        "cached",
        &[
            ("src/lib.rs", "mod quiet;\nmod spawns;\n"),
            ("src/quiet.rs", "pub fn g() {}\n"),
            ("src/spawns.rs", DETACHED),
        ],
    );
    age(dir.path());
    let (first, cold) = cached(dir.path());
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(cold.analysed >= 1 && cold.reused == 0, "{cold:?}");
    assert!(dir.path().join("target/taskcheck/cache.bin").is_file());
    let (second, warm) = cached(dir.path());
    assert_eq!(first, second);
    assert_eq!(warm.analysed, 0, "{warm:?}");
    assert_eq!(warm.reused, cold.analysed, "{warm:?}");
    // Only the file the finding points into is read, to show it.
    assert_eq!(warm.read, 1, "{warm:?}");
}

#[test]
fn a_changed_file_is_analysed_again_and_only_it() {
    let dir = Project::with_files(
        "cached",
        &[("src/lib.rs", "mod a;\nmod b;\n"), ("src/a.rs", DETACHED), ("src/b.rs", DETACHED)],
    );
    age(dir.path());
    let (first, _) = cached(dir.path());
    assert_eq!(first.len(), 2, "{first:?}");
    dir.file("src/b.rs", "pub fn joined() { std::thread::spawn(|| {}).join().unwrap(); }\n");
    let (second, warm) = cached(dir.path());
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(second[0].contains("src/a.rs"), "{second:?}");
    assert_eq!(warm.analysed, 1, "{warm:?}");
}

/// Rewritten within the second before the run that cached it, with the same length: the
/// metadata cannot be trusted, the text is read and hashed again.
#[test]
fn a_file_changed_right_after_it_was_cached_is_not_missed() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    let (first, _) = cached(dir.path());
    assert_eq!(first.len(), 1);
    let quiet = format!("pub fn g() {{}}{}\n", " ".repeat(DETACHED.len() - "pub fn g() {}\n".len()));
    assert_eq!(quiet.len(), DETACHED.len());
    dir.file("src/lib.rs", &quiet);
    let (second, _) = cached(dir.path());
    assert!(second.is_empty(), "{second:?}");
}

/// `lock_order_inversion` compares files: it must follow a change in one of them while the
/// other comes from the cache.
#[test]
fn crate_wide_lints_follow_a_change_in_one_file() {
    let dir =
        Project::with_files("cached", &[("src/lib.rs", PAIR), ("src/one.rs", A_THEN_B), ("src/two.rs", B_THEN_A)]);
    age(dir.path());
    let inversions = |findings: &[String]| findings.iter().filter(|f| f.starts_with("lock_order_inversion")).count();
    let (first, _) = cached(dir.path());
    assert_eq!(inversions(&first), 1, "{first:?}");

    dir.file("src/two.rs", B_THEN_A_FIXED);
    age(dir.path());
    let (fixed, usage) = cached(dir.path());
    assert_eq!(inversions(&fixed), 0, "{fixed:?}");
    assert_eq!(usage.analysed, 1, "only two.rs changed: {usage:?}");

    dir.file("src/two.rs", B_THEN_A);
    age(dir.path());
    let (again, usage) = cached(dir.path());
    assert_eq!(inversions(&again), 1, "{again:?}");
    assert_eq!(usage.analysed, 1, "{usage:?}");
}

/// A re-lock found through a call into another file (the crate model): a cached rerun
/// follows a change in the callee's file alone, both ways.
#[test]
fn a_relock_through_another_file_follows_the_callee() {
    const DB: &str = "use std::sync::Mutex;\nmod stats;\npub struct Db {\n    state: Mutex<u32>,\n}\nimpl Db {\n    pub fn flush(&self) {\n        let mut state = self.state.lock().unwrap();\n        *state += self.pending();\n    }\n}\n";
    const LOCKS: &str =
        "impl crate::Db {\n    pub(crate) fn pending(&self) -> u32 {\n        *self.state.lock().unwrap()\n    }\n}\n";
    const QUIET: &str = "impl crate::Db {\n    pub(crate) fn pending(&self) -> u32 {\n        1\n    }\n}\n";
    let dir = Project::with_files("cached", &[("src/lib.rs", DB), ("src/stats.rs", LOCKS)]);
    age(dir.path());
    let relocks = |findings: &[String]| findings.iter().filter(|f| f.starts_with("double_lock")).count();
    let (first, _) = cached(dir.path());
    assert_eq!(relocks(&first), 1, "{first:?}");

    dir.file("src/stats.rs", QUIET);
    age(dir.path());
    let (quiet, usage) = cached(dir.path());
    assert_eq!(relocks(&quiet), 0, "{quiet:?}");
    // stats.rs no longer locks: the prefilter spares it; lib.rs comes from the cache.
    assert_eq!((usage.analysed, usage.reused), (0, 1), "only stats.rs changed: {usage:?}");

    dir.file("src/stats.rs", LOCKS);
    age(dir.path());
    let (again, usage) = cached(dir.path());
    assert_eq!(relocks(&again), 1, "{again:?}");
    assert_eq!(usage.analysed, 1, "{usage:?}");
}

/// `send_sync_impl_unbounded` decides an impl for a type of another file in the workspace
/// phase, from that file's cached summary: changing only the file of the type changes the
/// finding on a rerun, both ways, and only that file is analysed again.
#[test]
fn an_unsafe_impl_follows_the_file_of_its_type() {
    const IMPL: &str =
        "mod slot;\nuse slot::Slot;\n// SAFETY: the slot is only read under a lock.\nunsafe impl<T> Send for Slot<T> {}\n";
    const STORES: &str = "pub struct Slot<T> {\n    value: std::cell::UnsafeCell<Option<T>>,\n}\n";
    const MARKER: &str = "pub struct Slot<T> {\n    kind: std::marker::PhantomData<T>,\n}\n";
    let levels = [(Level::Warn, "send_sync_impl_unbounded")];
    let run = |dir: &Path| {
        let (findings, usage) = analyse(dir, true, &levels);
        let (fresh, _) = analyse(dir, false, &levels);
        assert_eq!(findings, fresh, "the cached run differs from a run without the cache");
        let unbounded = findings.iter().filter(|f| f.starts_with("send_sync_impl_unbounded")).count();
        (unbounded, usage)
    };
    let dir = Project::with_files("unbounded", &[("src/lib.rs", IMPL), ("src/slot.rs", STORES)]);
    age(dir.path());
    assert_eq!(run(dir.path()).0, 1);

    dir.file("src/slot.rs", MARKER);
    age(dir.path());
    let (marker, usage) = run(dir.path());
    assert_eq!(marker, 0, "a marker parameter with no API is not reached");
    assert_eq!(usage.analysed, 1, "only slot.rs changed: {usage:?}");

    dir.file("src/slot.rs", STORES);
    age(dir.path());
    let (stores, usage) = run(dir.path());
    assert_eq!(stores, 1);
    assert_eq!(usage.analysed, 1, "{usage:?}");
}

/// A file that only supports a lint (here the types `send_sync_impl_unbounded` looks up) is
/// read only when a file of its package leaves a decision to it: an impl its own file decides
/// leaves the type's file unread, and one that names a type of that file has it analysed (and,
/// on a rerun, its cached analysis reused).
#[test]
fn a_supporting_file_is_analysed_only_when_a_decision_waits_for_it() {
    const DECIDED: &str = "mod slot;\npub struct Local<T>(std::cell::UnsafeCell<T>);\n// SAFETY: the cell is only read under a lock.\nunsafe impl<T: Send> Send for Local<T> {}\n";
    const PENDING: &str =
        "mod slot;\nuse slot::Slot;\n// SAFETY: the slot is only read under a lock.\nunsafe impl<T> Send for Slot<T> {}\n";
    const SLOT: &str = "pub struct Slot<T> {\n    value: std::cell::UnsafeCell<Option<T>>,\n}\n";
    let levels = [(Level::Warn, "send_sync_impl_unbounded")];
    let dir = Project::with_files("support", &[("src/lib.rs", DECIDED), ("src/slot.rs", SLOT)]);
    age(dir.path());
    let (findings, usage) = analyse(dir.path(), true, &levels);
    assert!(findings.iter().all(|f| !f.starts_with("send_sync_impl_unbounded")), "{findings:?}");
    assert_eq!(usage.analysed, 1, "slot.rs decides nothing here: {usage:?}");

    dir.file("src/lib.rs", PENDING);
    age(dir.path());
    let (findings, usage) = analyse(dir.path(), true, &levels);
    let (fresh, _) = analyse(dir.path(), false, &levels);
    assert_eq!(findings, fresh, "the cached run differs from a run without the cache");
    assert_eq!(findings.iter().filter(|f| f.starts_with("send_sync_impl_unbounded")).count(), 1, "{findings:?}");
    assert_eq!(usage.analysed, 2, "lib.rs changed, and now slot.rs decides its impl: {usage:?}");

    let (again, usage) = analyse(dir.path(), true, &levels);
    assert_eq!(again, findings);
    assert_eq!((usage.analysed, usage.reused), (0, 2), "{usage:?}");
}

/// A test that sleeps after calling a helper of `tests/common/mod.rs` bets on the helper's
/// work: the finding follows the helper's file on a rerun, both ways (a helper that joins its
/// thread starts nothing that runs on), and only that file is analysed again.
#[test]
fn a_sleep_follows_the_helper_of_another_file() {
    const TEST: &str = "mod common;\nuse std::sync::atomic::{AtomicBool, Ordering};\nuse std::sync::Arc;\n#[test]\nfn flag_is_set() {\n    let flag = Arc::new(AtomicBool::new(false));\n    common::start(flag.clone());\n    std::thread::sleep(std::time::Duration::from_millis(20));\n    assert!(flag.load(Ordering::SeqCst));\n}\n";
    const DETACHES: &str = "pub fn start(flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {\n    std::thread::spawn(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));\n}\n";
    const JOINS: &str = "pub fn start(flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {\n    std::thread::spawn(move || flag.store(true, std::sync::atomic::Ordering::SeqCst)).join().unwrap();\n}\n";
    let run = |dir: &Path| {
        let (findings, usage) = analyse(dir, true, &[]);
        let (fresh, _) = analyse(dir, false, &[]);
        assert_eq!(findings, fresh, "the cached run differs from a run without the cache");
        let sleeps = findings.iter().filter(|f| f.starts_with("sleep_in_test")).count();
        (sleeps, usage)
    };
    let dir = Project::with_files(
        "helpers",
        &[("src/lib.rs", "pub fn f() {}\n"), ("tests/flag.rs", TEST), ("tests/common/mod.rs", DETACHES)],
    );
    age(dir.path());
    assert_eq!(run(dir.path()).0, 1);

    dir.file("tests/common/mod.rs", JOINS);
    age(dir.path());
    let (joined, usage) = run(dir.path());
    assert_eq!(joined, 0, "the helper joins its thread");
    assert_eq!(usage.analysed, 1, "only the helper changed: {usage:?}");

    dir.file("tests/common/mod.rs", DETACHES);
    age(dir.path());
    let (detached, usage) = run(dir.path());
    assert_eq!(detached, 1);
    assert_eq!(usage.analysed, 1, "{usage:?}");
}

/// A module file is test code when the file declaring it says so (`#[cfg(test)] mod
/// tests;`): changing only that declaration changes the findings of the unchanged module on
/// a cached rerun, both ways.
#[test]
fn a_module_follows_the_cfg_of_its_declaration() {
    const ACCEPT_LOOP: &str = "pub fn serve(listener: std::net::TcpListener) {\n    loop {\n        \
                               let (socket, _) = listener.accept().unwrap();\n        \
                               std::thread::spawn(move || drop(socket));\n    }\n}\n";
    let dir = Project::with_files("cached", &[("src/lib.rs", "mod tests;\n"), ("src/tests.rs", ACCEPT_LOOP)]);
    let unbounded = |findings: &[String]| findings.iter().filter(|f| f.starts_with("unbounded_spawn_in_loop")).count();
    age(dir.path());
    let (production, _) = cached(dir.path());
    assert_eq!(unbounded(&production), 1, "{production:?}");

    dir.file("src/lib.rs", "#[cfg(test)]\nmod tests;\n");
    age(dir.path());
    let (test, usage) = cached(dir.path());
    assert_eq!(unbounded(&test), 0, "{test:?}");
    assert_eq!(usage.reused, 0, "tests.rs is test code now, its stored analysis is not: {usage:?}");

    dir.file("src/lib.rs", "mod tests;\n");
    age(dir.path());
    let (again, _) = cached(dir.path());
    assert_eq!(again, production);
}

/// `missing_race_check` reads facts of every file and the CI files: unsafe code added to one
/// file, or a Miri job added to CI, changes it on a cached rerun.
#[test]
fn missing_race_check_follows_code_and_ci_changes() {
    let dir = Project::with_files(
        "cached",
        &[
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
            ),
            ("src/lib.rs", "mod shared;\npub fn f() {}\n"),
            ("src/shared.rs", "pub fn g() {}\n"),
        ],
    );
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    age(dir.path());
    let races = |findings: &[String]| findings.iter().filter(|f| f.starts_with("missing_race_check")).count();
    let (first, _) = cached(dir.path());
    assert_eq!(races(&first), 0, "{first:?}");

    dir.file(
        "src/shared.rs",
        "pub struct P(*mut u8);\n// SAFETY: P is only used from one thread at a time.\nunsafe impl Send for P {}\n",
    );
    age(dir.path());
    let (unsafe_code, usage) = cached(dir.path());
    assert_eq!(races(&unsafe_code), 1, "{unsafe_code:?}");
    assert_eq!(usage.analysed, 1, "{usage:?}");

    dir.file(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  miri:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo +nightly miri test\n",
    );
    age(dir.path());
    let (with_miri, usage) = cached(dir.path());
    assert_eq!(races(&with_miri), 0, "{with_miri:?}");
    assert_eq!(usage.analysed, 0, "no Rust file changed: {usage:?}");
}

/// Levels decide what the analysis reports: a change of configuration or of the command
/// line is not answered from entries made under other levels.
#[test]
fn levels_from_configuration_and_command_line_are_part_of_the_key() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    age(dir.path());
    assert_eq!(cached(dir.path()).0.len(), 1);
    let (allowed, _) = analyse(dir.path(), true, &[(Level::Allow, "detached_spawn")]);
    assert!(allowed.is_empty(), "{allowed:?}");
    assert_eq!(cached(dir.path()).0.len(), 1);

    dir.file("taskcheck.toml", "[lints]\ndetached_spawn = \"deny\"\n");
    let (denied, usage) = cached(dir.path());
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert_eq!(usage.reused, 0, "other levels, other entries: {usage:?}");
    dir.file("taskcheck.toml", "[lints]\ndetached_spawn = \"allow\"\n");
    let (allowed, _) = cached(dir.path());
    assert!(allowed.is_empty(), "{allowed:?}");
}

#[test]
fn suppressions_in_cached_files_still_apply() {
    let suppressed = format!("// taskcheck: allow(detached_spawn) -- the receiver closes\n{DETACHED}");
    let dir = Project::with_files("cached", &[("src/lib.rs", &suppressed)]);
    age(dir.path());
    assert!(cached(dir.path()).0.is_empty());
    let (again, usage) = cached(dir.path());
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(usage.reused, 1, "{usage:?}");
}

#[test]
fn no_cache_writes_nothing() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    dir.run(&["--no-cache"]).expect_code(1);
    assert!(!dir.path().join("target/taskcheck").exists());
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    let expected = dir.run(&[]).expect_code(1).stdout.clone();
    let store = dir.path().join("target/taskcheck/cache.bin");
    let mut bytes = std::fs::read(&store).expect("the cache was written");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&store, &bytes).expect("damage it");
    let run = dir.run(&[]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (1, expected.as_str(), ""));
    assert!(std::fs::read(&store).expect("rewritten").len() > bytes.len());
}

/// A cache that cannot be written is a warning; the run and its exit code are unchanged.
#[test]
fn an_unwritable_cache_is_a_warning() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    dir.file("target/taskcheck", "a file where the cache folder would go\n");
    let run = dir.run(&[]);
    run.expect_code(1).stdout_has("warning[detached_spawn]");
    assert!(run.stderr.starts_with("warning: could not write the cache"), "{}", run.stderr);
}

/// The cache folder is tagged, so that taskcheck (and backup tools) skip it even outside a
/// package's `target/`.
#[test]
fn the_cache_folder_is_tagged_as_a_cache() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    dir.run(&[]);
    let tag = std::fs::read_to_string(dir.path().join("target/taskcheck/CACHEDIR.TAG")).expect("a tag");
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"), "{tag}");
}

/// A crate-wide finding whose note points into a file with no finding of its own (whose text
/// the run does not keep, and a cached run does not even read): the position comes from the
/// fact, worked out while the text was at hand.
#[test]
fn crate_wide_notes_point_into_files_that_were_not_read() {
    let dir = Project::with_files(
        "cached",
        &[
            ("src/lib.rs", "mod b;\npub fn a() {\n    let _ = std::panic::catch_unwind(|| {});\n}\n"),
            ("src/b.rs", "\npub fn b() { let _ = std::panic::catch_unwind(|| {}); }\n"),
        ],
    );
    dir.file("Cargo.toml", &manifest("cached", "\n[profile.release]\npanic = \"abort\"\n"));
    age(dir.path());
    for _ in 0..2 {
        let (findings, _) = cached(dir.path());
        let abort: Vec<&String> = findings.iter().filter(|f| f.starts_with("catch_unwind_under_abort")).collect();
        assert_eq!(abort.len(), 1, "{findings:?}");
        assert!(abort[0].contains("at src/lib.rs:3:13"), "{}", abort[0]);
    }
}

/// Files named on the command line that belong to several workspaces (`cargo taskcheck
/// vendor/`): the cache goes to the target directory of the workspace the command runs in, as
/// cargo's would, never into a named crate's own `target/`; files of one workspace are cached
/// in that workspace's; `CARGO_TARGET_DIR` overrides both.
#[test]
fn a_run_over_several_crates_caches_where_the_command_runs() {
    let vendored = |p: &Project| {
        for name in ["first", "second"] {
            p.file(&format!("vendor/{name}/Cargo.toml"), &manifest(name, ""))
                .file(&format!("vendor/{name}/src/lib.rs"), DETACHED);
        }
    };
    let crate_targets =
        |p: &Project| ["first", "second"].map(|n| p.path().join("vendor").join(n).join("target").exists());
    let run = |p: &Project, args: &[&str], target_dir: Option<&Path>| {
        let mut command = common::taskcheck();
        command.args(args).current_dir(p.path()).env_remove("CARGO_TARGET_DIR");
        if let Some(dir) = target_dir {
            command.env("CARGO_TARGET_DIR", dir);
        }
        let output = command.output().expect("run cargo-taskcheck");
        assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("UTF-8")
    };

    // In a project: its target directory.
    let project = Project::package("app", "pub fn f() {}\n");
    vendored(&project);
    let first = run(&project, &["vendor/"], None);
    assert!(project.path().join("target/taskcheck/cache.bin").is_file(), "in the project's target/");
    assert_eq!(crate_targets(&project), [false, false], "nothing in the vendored crates");
    assert_eq!(run(&project, &["vendor/"], None), first, "the cached rerun finds the same");

    // Outside any package: nowhere.
    let loose = Project::new();
    vendored(&loose);
    run(&loose, &["vendor/"], None);
    assert_eq!(crate_targets(&loose), [false, false]);
    assert!(!loose.path().join("target").exists());

    // Files of one workspace: that workspace's.
    run(&loose, &["vendor/first/src"], None);
    assert_eq!(crate_targets(&loose), [true, false]);

    // `CARGO_TARGET_DIR` wins.
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    run(&loose, &["vendor/"], Some(elsewhere.path()));
    assert!(elsewhere.path().join("taskcheck/cache.bin").is_file());
    assert_eq!(crate_targets(&loose), [true, false]);
}

/// The cache lives in cargo's target directory: `CARGO_TARGET_DIR` moves it, with a package
/// found through `cargo metadata` and with files named on the command line (a relative value is
/// taken from the current directory, as cargo takes it).
#[test]
fn the_cache_follows_cargo_target_dir() {
    let dir = Project::with_files("cached", &[("src/lib.rs", DETACHED)]);
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    let expected = dir.run(&["--no-cache"]).expect_code(1).stdout.clone();
    for (args, value, cache) in [
        (&[][..], elsewhere.path().as_os_str(), elsewhere.path().join("taskcheck")),
        (&["src"][..], std::ffi::OsStr::new("relative-target"), dir.path().join("relative-target/taskcheck")),
    ] {
        for _ in 0..2 {
            let run = dir.run_with(".", args, &[("CARGO_TARGET_DIR", value)]);
            assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (1, expected.as_str(), ""), "{args:?}");
            assert!(cache.join("cache.bin").is_file(), "{args:?}: no cache in {}", cache.display());
        }
        assert!(!dir.path().join("target").exists(), "{args:?}: the package's own target/ was used");
    }
}

/// The binary keeps what each module file declares (`<target>/taskcheck/modules.bin`) so that
/// a rerun need not read the crate roots and `mod.rs` files again; a declaration that changes
/// is read again, both ways, and `--no-cache` neither reads nor writes that memory.
#[test]
fn module_memory_follows_a_changed_declaration() {
    const ACCEPT_LOOP: &str = "pub fn serve(listener: std::net::TcpListener) {\n    loop {\n        \
                               let (socket, _) = listener.accept().unwrap();\n        \
                               std::thread::spawn(move || drop(socket));\n    }\n}\n";
    let dir = Project::with_files("remembered", &[("src/lib.rs", "mod tests;\n"), ("src/tests.rs", ACCEPT_LOOP)]);
    let target = dir.path().join("target");
    let run = || {
        let out = dir.run_with(".", &["--format", "short"], &[("CARGO_TARGET_DIR", target.as_os_str())]);
        out.stdout.lines().filter(|l| l.contains("[unbounded_spawn_in_loop]")).count()
    };
    let memory = target.join("taskcheck/modules.bin");
    age(dir.path());
    assert_eq!(run(), 1);
    assert!(memory.is_file(), "the first run keeps what lib.rs declares");
    assert_eq!(run(), 1, "from the memory");

    dir.file("src/lib.rs", "#[cfg(test)]\nmod tests;\n");
    age(dir.path());
    assert_eq!(run(), 0, "tests.rs is test code now");
    assert_eq!(run(), 0, "from the memory");

    dir.file("src/lib.rs", "mod tests;\n");
    age(dir.path());
    assert_eq!(run(), 1, "and production code again");

    std::fs::remove_file(&memory).expect("remove the memory");
    let out = dir.run_with(".", &["--no-cache", "--format", "short"], &[("CARGO_TARGET_DIR", target.as_os_str())]);
    assert_eq!(out.stdout.lines().filter(|l| l.contains("[unbounded_spawn_in_loop]")).count(), 1);
    assert!(!memory.exists(), "--no-cache writes no memory");
}
