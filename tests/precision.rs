//! The blind-review scripts (`scripts/precision-sample`, `scripts/precision-table`, see
//! docs/precision.md) on a corpus of two small crates, with the built binary. They are
//! Python 3 scripts; without `python3` the test says so and checks nothing.

mod common;

use common::{manifest, Project};
use std::path::{Path, PathBuf};
use std::process::Command;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts").join(name)
}

fn python() -> bool {
    let found = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("python3 not found: the review scripts are not tested");
    }
    found
}

/// `n` undocumented `unsafe impl Send`s, one a line from line 3 on.
fn unsafe_impls(n: usize) -> String {
    let mut text = String::from("pub struct P(*mut u8);\n\n");
    for i in 0..n {
        text.push_str(&format!("pub struct W{i}(P);\nunsafe impl Send for W{i} {{}}\n"));
    }
    text
}

/// Crate `one` has 4 findings of `undocumented_unsafe_send_sync`, crate `two` 2.
fn corpus() -> Project {
    let p = Project::new();
    p.file("one/Cargo.toml", &manifest("one", ""))
        .file("one/src/lib.rs", &unsafe_impls(4))
        .file("two/Cargo.toml", &manifest("two", ""))
        .file("two/src/lib.rs", &unsafe_impls(2));
    p
}

fn sample(corpus: &Path, out: &Path, seed: &str) -> String {
    let run = Command::new("python3")
        .arg(script("precision-sample"))
        .args(["--taskcheck", env!("CARGO_BIN_EXE_cargo-taskcheck"), "--corpus-name", "T", "--per-crate", "3"])
        .args(["--per-lint", "4", "--seed", seed, "--lint", "undocumented_unsafe_send_sync", "--out"])
        .arg(out)
        .arg(corpus)
        .output()
        .expect("run precision-sample");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    std::fs::read_to_string(out.join("undocumented_unsafe_send_sync.md")).expect("a sheet")
}

fn table(args: &[&str], sheets: &Path) -> std::process::Output {
    Command::new("python3").arg(script("precision-table")).args(args).arg(sheets).output().expect("run precision-table")
}

#[test]
fn sample_sheets_then_table_and_data_file() {
    if !python() {
        return;
    }
    let corpus = corpus();
    let out = tempfile::tempdir().unwrap();
    let sheet = sample(corpus.path(), &out.path().join("a"), "5");
    assert_eq!(sheet, sample(corpus.path(), &out.path().join("b"), "5"), "a fixed seed draws the same sample");
    let ids: Vec<&str> = sheet.lines().filter(|l| l.starts_with("## undocumented_unsafe_send_sync-")).collect();
    assert_eq!(ids.len(), 4, "at most 4 per lint:\n{sheet}");
    let from_one = ids.iter().filter(|l| l.contains("crate `one`")).count();
    assert!(from_one <= 3 && ids.len() - from_one <= 2, "at most 3 per crate: {ids:?}");
    assert!(sheet.contains("findings of `undocumented_unsafe_send_sync` in the corpus: 6 in 2 crates; sampled 4"));
    assert_eq!(sheet.matches("\n**warning[undocumented_unsafe_send_sync]**: ").count(), 4, "the messages:\n{sheet}");
    assert!(sheet.contains(" > unsafe impl Send for W"), "the source, primary line marked:\n{sheet}");
    assert_eq!(sheet.matches("\nverdict:\nwhy:\n").count(), 4);
    let index = std::fs::read_to_string(out.path().join("a/README.md")).unwrap();
    assert!(index.contains("| [`undocumented_unsafe_send_sync`](undocumented_unsafe_send_sync.md) | 6 | 2 | 4 |"));

    // Unjudged sheets are refused.
    let refused = table(&[], &out.path().join("a"));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("without a verdict"));

    // Three judged true, one false (in a copy: a test of the arithmetic, not a review).
    let mut filled = String::new();
    for (i, part) in sheet.split("\nverdict:\nwhy:\n").enumerate() {
        if i > 0 {
            let verdict = if i == 2 { "FP" } else { "TP" };
            filled.push_str(&format!("\nverdict: {verdict}\nwhy: test verdict {i}\n"));
        }
        filled.push_str(part);
    }
    std::fs::write(out.path().join("a/undocumented_unsafe_send_sync.md"), filled).unwrap();
    let data = out.path().join("precision.toml");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("lints/precision.toml"), &data).unwrap();
    let run = table(&["--date", "2025-02-01", "--update", data.to_str().unwrap()], &out.path().join("a"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("| `undocumented_unsafe_send_sync` | 2025-02-01 | T | 4 | 3 | 1 | 75 % |"), "{stdout}");
    let written = std::fs::read_to_string(&data).unwrap();
    assert!(written.starts_with("# Each lint's blind-reviewed precision"), "the header is kept:\n{written}");
    let parsed = cargo_taskcheck::precision::parse(&written).unwrap();
    let m = &parsed["undocumented_unsafe_send_sync"];
    assert_eq!((m.true_positives, m.judged, m.corpus.as_str(), m.date.as_str()), (3, 4, "T", "2025-02-01"));
}
