//! UI tests, Clippy-style: every `tests/ui/<lint>/<case>.rs` is analysed and its human output
//! compared with `<case>.stderr` beside it (absent when the case must stay silent).
//!
//! A fixture marks each line where a finding must start with `//~ <lint>` (or `//~^ <lint>`
//! for the line above, one `^` per line). The test fails when a finding has no annotation,
//! an annotation gets no finding, or the output differs from the snapshot.
//! `TASKCHECK_BLESS=1 cargo test --test ui` rewrites the snapshots.
//!
//! Header directives, in comments at the top of a fixture:
//! - `//@ deps: tokio, smol` — the package's dependencies (default: none);
//! - `//@ edition: 2024` — the package's edition (default 2021);
//! - `//@ test-file` — analyse as a file under `tests/`;
//! - `//@ warn: unbounded_channel` — enable allow-by-default lints.

use cargo_taskcheck::emit::{human, Report};
use cargo_taskcheck::lints::{self, FileInput, Level, Levels, PackageInfo, SourceFile, SourceMap};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Fixture {
    path: PathBuf,
    text: String,
}

fn fixtures() -> Vec<Fixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.push(Fixture { path: entry.path().to_path_buf(), text });
        }
    }
    out
}

fn directive<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    text.lines()
        .take_while(|l| l.starts_with("//"))
        .find_map(|l| l.strip_prefix("//@ ").and_then(|rest| rest.strip_prefix(name)))
        .map(|rest| rest.trim_start_matches(':').trim())
}

fn list(value: Option<&str>) -> Vec<String> {
    value
        .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

/// `(line, lint)` pairs the fixture expects, 1-based lines.
fn annotations(text: &str) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("//~") else { continue };
        let rest = &line[pos + 3..];
        let carets = rest.chars().take_while(|c| *c == '^').count();
        for lint in rest[carets..].split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.insert((i + 1 - carets, lint.to_string()));
        }
    }
    out
}

fn run_fixture(f: &Fixture) -> (String, BTreeSet<(usize, String)>) {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = f.path.strip_prefix(manifest_dir).unwrap().to_path_buf();
    let mut sources = SourceMap::default();
    let id = sources.add(SourceFile::new(shown, f.text.as_str()));
    let package = PackageInfo {
        name: "fixture".into(),
        edition: directive(&f.text, "edition").and_then(|e| e.parse().ok()).unwrap_or(2021),
        dependencies: list(directive(&f.text, "deps")).into_iter().collect(),
        ..PackageInfo::default()
    };
    let mut levels = Levels::default();
    for name in list(directive(&f.text, "warn")) {
        let lint = lints::find_lint(&name).unwrap_or_else(|| panic!("{}: unknown lint {name}", f.path.display()));
        levels.set(lint, Level::Warn);
    }
    let input = FileInput {
        id,
        source: sources.get(id),
        package: &package,
        is_test_file: directive(&f.text, "test-file").is_some(),
        extra_test_attrs: &[],
    };
    let analysis = lints::analyze_file(&input, &levels);
    let mut diagnostics = analysis.diagnostics;
    // The workspace phase runs too, with this file as the whole package.
    let summaries = [analysis.summary];
    let packages = [package.clone()];
    let workspace = lints::WorkspaceInput {
        sources: &sources,
        packages: &packages,
        files: &summaries,
        root_manifest: None,
        ci_files: &[],
    };
    diagnostics.extend(lints::check_workspace(&workspace, &levels));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let found = diagnostics
        .iter()
        .map(|d| (sources.get(id).line_col(d.primary.span.start as usize).line, d.lint.name.to_string()))
        .collect();
    let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 1 };
    let rendered = if diagnostics.is_empty() { String::new() } else { human::render_plain(&report) };
    (rendered, found)
}

#[test]
fn ui() {
    let bless = std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0");
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures under tests/ui");
    for f in &all {
        let (rendered, found) = run_fixture(f);
        let expected = annotations(&f.text);
        let name = f.path.display();
        for missing in expected.difference(&found) {
            failures.push(format!("{name}:{}: expected `{}`, found nothing", missing.0, missing.1));
        }
        for extra in found.difference(&expected) {
            failures.push(format!("{name}:{}: unexpected `{}` (annotate with `//~ {}` if intended)", extra.0, extra.1, extra.1));
        }
        let snapshot = f.path.with_extension("stderr");
        let current = std::fs::read_to_string(&snapshot).ok();
        if bless {
            if rendered.is_empty() {
                let _ = std::fs::remove_file(&snapshot);
            } else if current.as_deref() != Some(&rendered) {
                std::fs::write(&snapshot, &rendered).unwrap();
            }
        } else if current.as_deref().unwrap_or("") != rendered {
            failures.push(format!(
                "{name}: output differs from {} (run `TASKCHECK_BLESS=1 cargo test --test ui` to update)\n--- expected\n{}\n--- actual\n{}",
                snapshot.display(),
                current.unwrap_or_default(),
                rendered
            ));
        }
    }
    // Every lint has at least one positive and one silent fixture.
    for lint in lints::all_lints() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui").join(lint.name);
        let cases: Vec<&Fixture> = all.iter().filter(|f| f.path.starts_with(&dir)).collect();
        let positive = cases.iter().any(|f| annotations(&f.text).iter().any(|(_, l)| l == lint.name));
        let negative = cases.iter().any(|f| !annotations(&f.text).iter().any(|(_, l)| l == lint.name));
        if !positive || !negative {
            failures.push(format!("{}: needs positive and negative fixtures in tests/ui/{}/", lint.name, lint.name));
        }
    }
    assert!(failures.is_empty(), "{} UI failure(s):\n{}", failures.len(), failures.join("\n"));
}
