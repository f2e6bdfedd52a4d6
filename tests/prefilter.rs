//! The prefilter skips files no enabled lint can fire in; it must change no finding. Each test
//! runs the binary twice on the same files, with and without the hidden `--no-prefilter`
//! flag, every lint enabled, and compares the outputs.
//!
//! The one expected difference: a file the prefilter skips is not parsed, so its syntax error
//! is reported only with `--no-prefilter`. `parse_error` diagnostics (and the summary line,
//! which counts them) are left out of the comparison.

mod common;

use std::path::{Path, PathBuf};

/// `-W` for every lint that is allowed by default, so that every lint runs.
fn every_lint() -> Vec<String> {
    cargo_taskcheck::lints::all_lints()
        .filter(|l| l.default_level == cargo_taskcheck::lints::Level::Allow)
        .flat_map(|l| ["-W".to_string(), l.name.to_string()])
        .collect()
}

fn run(paths: &[PathBuf], prefilter: bool) -> String {
    let mut cmd = common::taskcheck();
    let cwd = paths.first().and_then(|p| p.parent()).expect("a path with a parent folder");
    // Without the cache: each run analyses what its own prefilter lets through.
    cmd.args(["--color", "never", "--no-cache"]).args(every_lint()).args(paths).current_dir(cwd);
    if !prefilter {
        cmd.arg("--no-prefilter");
    }
    let output = cmd.output().expect("run cargo-taskcheck");
    assert!(output.status.code().is_some_and(|c| c <= 2), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The diagnostics of a human-format output, without `parse_error`s and the summary line.
fn findings(output: &str) -> Vec<&str> {
    output
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty() && !block.starts_with("error[parse_error]"))
        .filter(|block| !block.lines().all(|l| l.contains(" in ") && l.contains(" file")))
        .collect()
}

fn assert_same(paths: &[PathBuf]) -> usize {
    let with = run(paths, true);
    let without = run(paths, false);
    let (a, b) = (findings(&with), findings(&without));
    if a != b {
        let first = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        panic!(
            "the prefilter changed the findings ({} with it, {} without); first difference:\n--- with\n{}\n--- without\n{}",
            a.len(),
            b.len(),
            a.get(first).unwrap_or(&"(none)"),
            b.get(first).unwrap_or(&"(none)")
        );
    }
    a.len()
}

/// The fixtures, copied out of the repository (whose `taskcheck.toml` excludes them).
#[test]
fn ui_fixtures_have_the_same_findings_without_the_prefilter() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let copy = tempfile::tempdir().expect("temporary folder");
    for entry in walkdir::WalkDir::new(&ui).into_iter().filter_map(Result::ok) {
        let to = copy.path().join("ui").join(entry.path().strip_prefix(&ui).expect("under tests/ui"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("create folder");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &to).expect("copy fixture");
        }
    }
    let n = assert_same(&[copy.path().join("ui")]);
    assert!(n > 100, "the fixtures should have many findings, got {n}");
}

/// Packages of the shared corpus (`../shared/bin/corpus`) with threads, locks, channels,
/// atomics, unsafe impls and module trees. Skipped, with a notice, without the corpus.
#[test]
fn corpus_sample_has_the_same_findings_without_the_prefilter() {
    let Some(corpus) = corpus() else {
        eprintln!("note: no corpus (set TASKCHECK_CORPUS or run ../shared/bin/corpus); sample comparison skipped");
        return;
    };
    let sample = [
        "crossbeam-utils",
        "crossbeam-channel",
        "crossbeam-epoch",
        "parking_lot",
        "lock_api",
        "rayon-core",
        "futures-channel",
        "event-listener",
        "async-channel",
        "thread_local",
        "sharded-slab",
        "once_cell",
        "want",
        "notify",
    ];
    let paths: Vec<PathBuf> = sample.iter().map(|p| corpus.join(p)).filter(|p| p.is_dir()).collect();
    if paths.len() < sample.len() / 2 {
        eprintln!("note: the corpus at {} lacks the sample packages; comparison skipped", corpus.display());
        return;
    }
    assert_same(&paths);
}

fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TASKCHECK_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|p| p.is_dir());
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("taskcheck-corpus/vendor")).filter(|p| p.is_dir())
}
