//! The checked-in lint documentation must match what the lints' doc comments generate, and the
//! README's demo output what a run on the demo crate prints.
//! `TASKCHECK_BLESS=1 cargo test --test docs` rewrites `docs/lints/`, the README's lint table
//! and its demo output.

mod common;

use cargo_taskcheck::docs;
use cargo_taskcheck::lints::all_lints;
use std::path::Path;

#[test]
fn lint_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lints");
    let bless = std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0");
    let mut pages: Vec<(String, String)> =
        all_lints().map(|l| (format!("{}.md", l.name), docs::lint_page(l))).collect();
    pages.push(("README.md".to_string(), docs::index_page()));
    let mut stale = Vec::new();
    for (name, content) in &pages {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
                std::fs::write(&path, content).unwrap();
            }
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
            stale.push(name.clone());
        }
    }
    // Pages of lints that no longer exist.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|(p, _)| *p == name) {
            if bless {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(format!("{name} (no such lint)"));
            }
        }
    }
    assert!(stale.is_empty(), "stale docs in docs/lints: {stale:?}; run `TASKCHECK_BLESS=1 cargo test --test docs`");
}

#[test]
fn every_lint_has_clippy_style_docs() {
    for lint in all_lints() {
        let docs = lint.docs_markdown();
        for section in ["### What it does", "### Why is this bad", "### Example", "Use instead:"] {
            assert!(docs.contains(section), "{}: docs lack `{section}`", lint.name);
        }
    }
}

/// Two tests rewrite parts of README.md when blessing: each reads, edits and writes the whole
/// file, so they take turns or one would undo the other's edit.
static README_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn readme_lint_table_is_up_to_date() {
    let _turn = README_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let expected = docs::readme_with_table(&readme).expect("README.md has the lint table markers");
    if std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0") {
        std::fs::write(&path, expected).unwrap();
    } else {
        assert_eq!(readme, expected, "README's lint table is stale; run `TASKCHECK_BLESS=1 cargo test --test docs`");
    }
}

fn bless() -> bool {
    std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0")
}

/// One diagnostic of the human output: its lint, the path of its primary location, its text.
struct Shown {
    lint: String,
    path: String,
    text: String,
}

/// The demo's human output, split into diagnostics (blank-line separated blocks) and the
/// summary line.
fn demo_run() -> (Vec<Shown>, String) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    // As the README says, `cd demo && cargo taskcheck`; without the cache, which changes
    // nothing in the output and would write into demo/target.
    let output = common::taskcheck()
        .args(["taskcheck", "--no-cache", "--color", "never"])
        .current_dir(&demo)
        .output()
        .expect("run cargo-taskcheck");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let mut blocks: Vec<&str> = stdout.trim_end().split("\n\n").collect();
    let summary = blocks.pop().expect("a summary line").to_string();
    assert!(summary.starts_with("taskcheck: "), "{summary}");
    let shown = blocks
        .into_iter()
        .map(|text| {
            let lint = text.split_once('[').and_then(|(_, r)| r.split_once(']')).expect("warning[lint]").0;
            let location = text.lines().nth(1).and_then(|l| l.trim_start().strip_prefix("--> ")).expect("--> path");
            let path = location.rsplitn(3, ':').last().expect("path:line:col");
            Shown { lint: lint.to_string(), path: path.to_string(), text: text.to_string() }
        })
        .collect();
    (shown, summary)
}

/// The README shows some of the demo's findings, named in its start marker
/// (`shown: LINT PATH, …`), byte for byte as a run prints them, then the run's summary line.
#[test]
fn readme_demo_output_is_a_real_run() {
    let _turn = README_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find("<!-- demo:start").expect("README.md has a <!-- demo:start … --> marker");
    let start_end = start + readme[start..].find("-->").expect("the marker is closed") + 3;
    let end = readme.find("<!-- demo:end -->").expect("README.md has <!-- demo:end -->");
    let marker = &readme[start..start_end];
    let selection = marker.split_once("shown: ").expect("the marker names the findings shown: `shown: LINT PATH, …`").1;
    let selection = selection.trim_end_matches("-->").trim().trim_end_matches(')');

    let (diagnostics, summary) = demo_run();
    let mut picked = Vec::new();
    for wanted in selection.split(',').map(str::trim) {
        let (lint, file) = wanted.split_once(' ').expect("LINT PATH");
        let found = diagnostics.iter().find(|d| d.lint == lint && d.path == file).unwrap_or_else(|| {
            let all: Vec<String> = diagnostics.iter().map(|d| format!("{} {}", d.lint, d.path)).collect();
            panic!("the demo run has no `{wanted}` finding; it has: {}", all.join(", "))
        });
        picked.push(found.text.as_str());
    }
    assert!(!picked.is_empty(), "the README shows no finding");
    let block = format!("```text\n{}\n\n{summary}\n```\n", picked.join("\n\n"));
    let expected = format!("{}\n{block}{}", &readme[..start_end], &readme[end..]);
    if bless() {
        std::fs::write(&path, expected).unwrap();
    } else {
        assert!(
            readme == expected,
            "the README's demo output differs from a run on demo/; run `TASKCHECK_BLESS=1 cargo test --test docs`\n\
             --- expected\n{block}"
        );
    }
}
