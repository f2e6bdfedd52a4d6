//! UI tests, Clippy-style: every `tests/ui/<lint>/<case>.rs` is analysed and its human output
//! compared with `<case>.stderr` beside it (absent when the case must stay silent).
//!
//! A fixture marks each line where a finding must start with `//~ <lint>` (or `//~^ <lint>`
//! for the line above, one `^` per line). The test fails when a finding has no annotation,
//! an annotation gets no finding, or the output differs from the snapshot.
//! `TASKCHECK_BLESS=1 cargo test --test ui` rewrites the snapshots.
//!
//! A fixture can also be a folder `tests/ui/<lint>/<case>/` holding a small package
//! (`Cargo.toml`, `.rs` files, CI files such as `.github/workflows/ci.yml`), for lints that read
//! manifests or compare files; its snapshot is `tests/ui/<lint>/<case>.stderr`, and lines of
//! TOML or YAML files are annotated with `#~ <lint>`. Every other file of the folder is read as
//! a CI file or a script CI runs, except `.cargo_vcs_info.json`, which makes the package a
//! published one (its CI out of sight).
//!
//! Header directives, in comments at the top of a single-file fixture:
//! - `//@ deps: tokio, smol` — the package's dependencies (default: none);
//! - `//@ edition: 2024` — the package's edition (default 2021);
//! - `//@ test-file` — analyse as a file under `tests/`;
//! - `//@ example-file` — analyse as a file under `examples/` or `benches/`;
//! - `//@ warn: unbounded_channel` — enable allow-by-default lints;
//! - `//@ spawners: spawn_logged = tokio::spawn, rt::go = std::thread::spawn` — the package's
//!   own spawn functions, as configuration's `[spawners]` gives them;
//! - `//@ test-attributes: rstest` — more attributes that mark a test.
//!
//! Suppression comments (`// taskcheck: allow(…)`) are applied as a run applies them, and
//! the fixes of machine-applicable suggestions are snapshotted too, in Clippy's convention:
//! `<case>.fixed` holds the fixed file (for a folder fixture, each fixed file after a
//! `//- <path>` line); it is absent when nothing is fixed.

use cargo_taskcheck::adopt::fix;
use cargo_taskcheck::emit::{human, Report};
use cargo_taskcheck::lints::facts::spawns::{spawner_named, Spawner};
use cargo_taskcheck::lints::{self, suppress, FileId, FileInput, Level, Levels, PackageInfo, SourceFile, SourceMap};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Fixture {
    /// The `.rs` file, or the package folder.
    path: PathBuf,
    /// The files of the fixture: one for a single-file fixture.
    files: Vec<(PathBuf, String)>,
}

impl Fixture {
    fn is_dir(&self) -> bool {
        self.path.is_dir()
    }

    fn annotations(&self) -> BTreeSet<(String, usize, String)> {
        let mut out = BTreeSet::new();
        for (path, text) in &self.files {
            for (line, lint) in annotations(text) {
                out.insert((shown(path), line, lint));
            }
        }
        out
    }
}

fn ui_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui")
}

/// A path as the harness shows it: relative to the repository root.
fn shown(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for lint_dir in sorted_entries(&ui_root()) {
        if !lint_dir.is_dir() {
            continue;
        }
        for case in sorted_entries(&lint_dir) {
            if case.is_dir() {
                let files = walkdir::WalkDir::new(&case)
                    .sort_by_file_name()
                    .into_iter()
                    .map(|e| e.unwrap())
                    .filter(|e| e.file_type().is_file())
                    .map(|e| (e.path().to_path_buf(), std::fs::read_to_string(e.path()).unwrap()))
                    .collect();
                out.push(Fixture { path: case, files });
            } else if case.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&case).unwrap();
                out.push(Fixture { path: case.clone(), files: vec![(case, text)] });
            }
        }
    }
    out
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn directive<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    text.lines()
        .take_while(|l| l.starts_with("//"))
        .find_map(|l| l.strip_prefix("//@ ").and_then(|rest| rest.strip_prefix(name)))
        .map(|rest| rest.trim_start_matches(':').trim())
}

fn list(value: Option<&str>) -> Vec<String> {
    value.map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
}

/// `(line, lint)` pairs a file expects, 1-based lines.
fn annotations(text: &str) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let Some((pos, marker)) = line.find("//~").map(|p| (p, 3)).or_else(|| line.find("#~").map(|p| (p, 2))) else {
            continue;
        };
        let rest = &line[pos + marker..];
        let carets = rest.chars().take_while(|c| *c == '^').count();
        for lint in rest[carets..].split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.insert((i + 1 - carets, lint.to_string()));
        }
    }
    out
}

/// Builds the fixture's package from its `Cargo.toml` (folder fixtures) or its directives.
fn package_info(f: &Fixture, manifest: Option<FileId>) -> PackageInfo {
    let (_, first) = &f.files[0];
    if !f.is_dir() {
        return PackageInfo {
            name: "fixture".into(),
            edition: directive(first, "edition").and_then(|e| e.parse().ok()).unwrap_or(2021),
            dependencies: list(directive(first, "deps")).into_iter().collect(),
            extra_spawners: spawners(first),
            ..PackageInfo::default()
        };
    }
    let text = f.files.iter().find(|(p, _)| p.ends_with("Cargo.toml")).map(|(_, t)| t.as_str()).unwrap_or("");
    let table: toml::Table = text.parse().unwrap_or_default();
    let package = table.get("package").and_then(|p| p.as_table());
    let mut dependencies = BTreeSet::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = table.get(key).and_then(|d| d.as_table()) {
            dependencies.extend(deps.keys().cloned());
        }
    }
    PackageInfo {
        name: package.and_then(|p| p.get("name")).and_then(|n| n.as_str()).unwrap_or("fixture").to_string(),
        root: f.path.clone(),
        edition: package
            .and_then(|p| p.get("edition"))
            .and_then(|e| e.as_str())
            .and_then(|e| e.parse().ok())
            .unwrap_or(2021),
        dependencies,
        manifest,
        ci_elsewhere: f.files.iter().any(|(p, _)| p.ends_with(PUBLISHED_MARKER)),
        ..PackageInfo::default()
    }
}

/// The file `cargo package` adds to a published package.
const PUBLISHED_MARKER: &str = ".cargo_vcs_info.json";

/// `//@ spawners: path = spawner, …`.
fn spawners(text: &str) -> Vec<(String, Spawner)> {
    list(directive(text, "spawners"))
        .iter()
        .map(|pair| {
            let (path, kind) = pair.split_once('=').unwrap_or_else(|| panic!("`{pair}`: expected `path = spawner`"));
            let spawner = spawner_named(kind.trim()).unwrap_or_else(|| panic!("unknown spawner `{kind}`"));
            (path.trim().to_string(), spawner)
        })
        .collect()
}

/// What one fixture produced: the human output, the findings' places, and the fixed files.
struct Outcome {
    rendered: String,
    found: BTreeSet<(String, usize, String)>,
    fixed: String,
}

fn run_fixture(f: &Fixture) -> Outcome {
    let mut sources = SourceMap::default();
    let ids: Vec<FileId> = f.files.iter().map(|(p, t)| sources.add(SourceFile::new(shown(p), t.as_str()))).collect();
    let is_rust = |p: &Path| p.extension().is_some_and(|e| e == "rs");
    let is_published_marker = |p: &Path| p.ends_with(PUBLISHED_MARKER);
    let manifest = f.files.iter().zip(&ids).find(|((p, _), _)| p.ends_with("Cargo.toml")).map(|(_, id)| *id);
    let ci_files: Vec<FileId> = f
        .files
        .iter()
        .zip(&ids)
        .filter(|((p, _), _)| !is_rust(p) && !p.ends_with("Cargo.toml") && !is_published_marker(p))
        .map(|(_, id)| *id)
        .collect();
    let package = package_info(f, manifest);
    let mut levels = Levels::default();
    // Any file of a folder fixture may turn on the allow-by-default lints it expects.
    for name in f.files.iter().flat_map(|(_, text)| list(directive(text, "warn"))) {
        let lint = lints::find_lint(&name).unwrap_or_else(|| panic!("{}: unknown lint {name}", f.path.display()));
        levels.set(lint, Level::Warn);
    }
    let mut diagnostics = Vec::new();
    let mut summaries = Vec::new();
    let mut tables = Vec::new();
    let test_attributes = list(directive(&f.files[0].1, "test-attributes"));
    for ((path, text), id) in f.files.iter().zip(&ids) {
        if !is_rust(path) {
            continue;
        }
        let in_tests_dir = f.is_dir() && path.strip_prefix(&f.path).is_ok_and(|r| r.starts_with("tests"));
        let in_examples_dir = f.is_dir()
            && path.strip_prefix(&f.path).is_ok_and(|r| r.starts_with("examples") || r.starts_with("benches"));
        let input = FileInput {
            id: *id,
            source: sources.get(*id),
            package: &package,
            is_test_file: in_tests_dir || directive(text, "test-file").is_some(),
            is_example_file: in_examples_dir || directive(text, "example-file").is_some(),
            extra_test_attrs: &test_attributes,
        };
        let analysis = lints::analyze_file(&input, &levels);
        diagnostics.extend(analysis.diagnostics);
        summaries.push(analysis.summary);
        tables.push(analysis.suppressions);
    }
    let packages = [package.clone()];
    let workspace = lints::WorkspaceInput {
        sources: &sources,
        packages: &packages,
        files: &summaries,
        root_manifest: manifest,
        ci_files: &ci_files,
    };
    diagnostics.extend(lints::check_workspace(&workspace, &levels));
    for table in tables.iter().filter(|t| !t.is_empty()) {
        let (mine, rest): (Vec<_>, Vec<_>) = diagnostics.into_iter().partition(|d| d.primary.span.file == table.file);
        diagnostics = rest;
        diagnostics.extend(suppress::apply(table, sources.get(table.file), mine, &levels).reported);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let found = diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.primary.span.file);
            let line = file.line_col(d.primary.span.start as usize).line;
            (file.path.to_string_lossy().replace('\\', "/"), line, d.lint.name.to_string())
        })
        .collect();
    let files_checked = f.files.iter().filter(|(p, _)| is_rust(p)).count();
    let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked };
    let rendered = if diagnostics.is_empty() { String::new() } else { human::render_plain(&report) };
    let plan = fix::plan(&sources, &diagnostics);
    let fixed = match &plan.files[..] {
        [only] if !f.is_dir() => only.text.clone(),
        files => files.iter().map(|x| format!("//- {}\n{}", sources.get(x.file).path.display(), x.text)).collect(),
    };
    for x in &plan.files {
        let path = sources.get(x.file).path.display().to_string();
        assert!(x.refused == 0, "{path}: a machine-applicable fix would not parse");
    }
    Outcome { rendered, found, fixed }
}

/// Compares `actual` with the snapshot at `path` (absent when `actual` is empty), or rewrites it.
fn check_snapshot(path: &Path, actual: &str, bless: bool, failures: &mut Vec<String>) {
    let current = std::fs::read_to_string(path).ok();
    if bless {
        if actual.is_empty() {
            let _ = std::fs::remove_file(path);
        } else if current.as_deref() != Some(actual) {
            std::fs::write(path, actual).unwrap();
        }
    } else if current.as_deref().unwrap_or("") != actual {
        failures.push(format!(
            "{}: differs (run `TASKCHECK_BLESS=1 cargo test --test ui` to update)\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            current.unwrap_or_default(),
            actual
        ));
    }
}

#[test]
fn ui() {
    let bless = std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0");
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures under tests/ui");
    for f in &all {
        let Outcome { rendered, found, fixed } = run_fixture(f);
        let expected = f.annotations();
        for (file, line, lint) in expected.difference(&found) {
            failures.push(format!("{file}:{line}: expected `{lint}`, found nothing"));
        }
        for (file, line, lint) in found.difference(&expected) {
            failures.push(format!("{file}:{line}: unexpected `{lint}` (annotate with `//~ {lint}` if intended)"));
        }
        check_snapshot(&f.path.with_extension("stderr"), &rendered, bless, &mut failures);
        check_snapshot(&f.path.with_extension("fixed"), &fixed, bless, &mut failures);
    }
    // Every lint has at least one positive and one silent fixture.
    for lint in lints::all_lints() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui").join(lint.name);
        let cases: Vec<&Fixture> = all.iter().filter(|f| f.path.starts_with(&dir)).collect();
        let positive = cases.iter().any(|f| f.annotations().iter().any(|(_, _, l)| l == lint.name));
        let negative = cases.iter().any(|f| !f.annotations().iter().any(|(_, _, l)| l == lint.name));
        if !positive || !negative {
            failures.push(format!("{}: needs positive and negative fixtures in tests/ui/{}/", lint.name, lint.name));
        }
    }
    assert!(failures.is_empty(), "{} UI failure(s):\n{}", failures.len(), failures.join("\n"));
}
