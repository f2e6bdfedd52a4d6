use crate::context::{ExportedFact, FileCx, UnsafeConcurrencyKind, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::items::{sync_kind, SyncKind};
use crate::registry::Rule;
use crate::source::{FileId, Span};

crate::declare_lint! {
    /// ### What it does
    /// Once per workspace: reports, on the root `Cargo.toml`, code with unsafe concurrency
    /// that no CI configuration checks for data races. Unsafe concurrency is, outside test
    /// code:
    ///
    /// - an `unsafe impl Send` or `unsafe impl Sync`;
    /// - a `static mut` item;
    /// - an `UnsafeCell` field in a file that also uses atomics (a hand-made lock, queue or
    ///   cell).
    ///
    /// The CI files read are those of the repository holding the workspace (under the folder
    /// with `.git`): `.github/workflows/*`, `.gitlab-ci.yml`, `.circleci/config.yml`,
    /// `.travis.yml`, `azure-pipelines.yml`, `bitbucket-pipelines.yml`, `.cirrus.yml`,
    /// `.woodpecker.yml`, `.woodpecker/*`, `.buildkite/*`, `Jenkinsfile` and the scripts in
    /// `.ci/`, then the scripts they run, two levels deep: a path such as `./ci/tsan.sh` or
    /// `scripts/miri.sh` named in an uncommented line, and, when a line runs `make` or `just`,
    /// the targets it names in the `Makefile` or `justfile` (with their prerequisites). A
    /// workspace nested inside another Cargo workspace of the same repository, which does not
    /// count it as a member (a demo, a fuzz crate, a vendored tool with its own `[workspace]`),
    /// is a project of its own: the repository's CI builds and tests the enclosing workspace,
    /// so only the CI files in the nested workspace's own folder are read for it, as they would
    /// be once it is copied out.
    ///
    /// A race check is any uncommented mention of Miri (`cargo miri test`,
    /// `cargo +nightly miri`, a `miri` component, a `miri.sh` script, `MIRIFLAGS`, `make miri`,
    /// `cargo xtask miri`), loom (`--cfg loom`, `RUSTFLAGS` with loom, `LOOM_…` settings, a
    /// `loom.sh` script) or ThreadSanitizer (`-Zsanitizer=thread`, `tsan`) in those files or
    /// in the recipes of those targets.
    ///
    /// The lint says nothing where it cannot see CI: code of a published package (its folder
    /// holds `.cargo_vcs_info.json`, written by `cargo package`, or `.cargo-checksum.json`,
    /// written by `cargo vendor`), whose repository's CI is not shipped with it, and code
    /// outside any repository with no CI file around it (a folder copied out of its
    /// repository). A repository with no CI configuration at all is reported: nothing there
    /// runs a race checker.
    ///
    /// ### Why is this bad
    /// Go's rule: run the race detector in CI. `unsafe impl Sync`, `static mut` and
    /// `UnsafeCell` with atomics are exactly the places where Rust's compile-time checks are
    /// switched off, and the bugs they allow (a missing `Acquire`, a torn read, an aliasing
    /// `&mut`) pass ordinary tests almost always. Miri finds undefined behaviour and many data
    /// races in the test suite, loom explores thread interleavings exhaustively, and
    /// ThreadSanitizer catches races in real runs: without one of them in CI the unsafe code is
    /// checked by review alone.
    ///
    /// ### Known problems
    /// A race check run in a way the reading above does not follow is not seen: a script
    /// reached through a variable or a `cd`, more than two levels down, a Rust `xtask` whose
    /// subcommand is not named after the tool, a CI system not listed above, or a check the
    /// repository's CI runs in a nested workspace (`cd fuzz && cargo miri test`). Suppress the
    /// finding with a reason (or allow the lint in the nested workspace's configuration), or
    /// name the script or target after the tool. A script the CI runs counts as a whole, even
    /// where only one of its branches runs the race checker.
    ///
    /// ### Example
    /// A workspace with `unsafe impl Sync for Slot<T> {}` whose only workflow runs
    /// `cargo test`.
    ///
    /// Use instead: add a Miri job to a workflow (and, for lock-free code, a loom test run).
    /// ```yaml
    /// miri:
    ///   runs-on: ubuntu-latest
    ///   steps:
    ///     - uses: actions/checkout@v4
    ///     - uses: dtolnay/rust-toolchain@nightly
    ///       with:
    ///         components: miri
    ///     - run: cargo miri test
    /// ```
    pub static MISSING_RACE_CHECK = {
        name: "missing_race_check",
        rule: Some(Rule::RaceChecks),
        category: Suspicious,
        cost: Leak,
        summary: "unsafe concurrency in the workspace, and no CI job runs Miri, loom or ThreadSanitizer",
        why: "unsafe concurrency is only checked for races by a race checker run in CI",
    };
}

/// File phase: exports every piece of unsafe concurrency outside test code.
pub fn collect(cx: &FileCx<'_>) {
    let facts = cx.facts;
    for imp in facts.impls.iter().filter(|i| !i.is_test) {
        let Some(which) = imp.unsafe_auto_trait else {
            continue;
        };
        let item = imp.item;
        let header = cx.span_of(item.impl_token.span).to(cx.span(&*item.self_ty));
        let span = item.unsafety.map(|u| cx.span_of(u.span).to(header)).unwrap_or(header);
        let ty = cx.snippet(cx.span(&*item.self_ty)).to_string();
        cx.export(ExportedFact::UnsafeConcurrency {
            kind: UnsafeConcurrencyKind::UnsafeImpl,
            span,
            what: format!("unsafe impl {which} for {ty}"),
        });
    }
    for s in facts.statics.iter().filter(|s| s.is_mut() && !s.is_test) {
        let syn::StaticMutability::Mut(m) = &s.item.mutability else {
            continue;
        };
        let span = cx.span_of(m.span).to(cx.span_of(s.item.ident.span()));
        cx.export(ExportedFact::UnsafeConcurrency {
            kind: UnsafeConcurrencyKind::StaticMut,
            span,
            what: format!("static mut {}", s.item.ident),
        });
    }
    let is_atomic = |t: &crate::facts::items::TypeRef| match t.resolved.as_deref() {
        Some(r) => sync_kind(r) == Some(SyncKind::Atomic),
        // A crate's own shim (`crate::loom::sync::atomic::AtomicUsize`).
        None => t.name.starts_with("Atomic"),
    };
    let uses_atomics = facts.types.iter().any(|d| d.fields.iter().any(|f| f.types.iter().any(is_atomic)))
        || facts.calls.iter().any(|c| c.resolved().is_some_and(|r| r.starts_with("std::sync::atomic::")));
    if !uses_atomics {
        return;
    }
    let cell = facts
        .types
        .iter()
        .filter(|d| !d.is_test)
        .flat_map(|d| d.fields.iter().flat_map(move |f| f.types.iter().map(move |t| (d, t))))
        .find(|(_, t)| t.name == "UnsafeCell" && !t.behind_reference);
    if let Some((def, t)) = cell {
        cx.export(ExportedFact::UnsafeConcurrency {
            kind: UnsafeConcurrencyKind::UnsafeCellWithAtomics,
            span: t.span,
            what: format!("{}::{}", def.ident, cx.snippet(t.span)),
        });
    }
}

/// Whether [`check`] can report in this run: a manifest to point at, a package whose CI is in
/// sight, and no CI file already running a race checker.
pub(crate) fn can_fire(run: &crate::prefilter::RunContext<'_>) -> bool {
    let manifest = run.root_manifest.is_some() || run.packages.iter().any(|p| p.manifest.is_some());
    manifest && run.packages.iter().any(|p| !p.ci_elsewhere) && !ci_runs_race_check(run.sources, run.ci_files)
}

/// Workspace phase: one finding when there is unsafe concurrency in packages whose CI is in
/// sight, and no CI file (nor a script or task it runs) runs a race checker.
pub fn check(cx: &WorkspaceCx<'_>) {
    let mut pieces: Vec<(UnsafeConcurrencyKind, FileId, Span, &str)> = cx
        .files
        .iter()
        .filter(|f| cx.packages.get(f.package).is_some_and(|p| !p.ci_elsewhere))
        .flat_map(|f| f.facts.iter().map(move |x| (f.file, x)))
        .filter_map(|(file, f)| match f {
            ExportedFact::UnsafeConcurrency { kind, span, what } => Some((*kind, file, *span, what.as_str())),
            _ => None,
        })
        .collect();
    if pieces.is_empty() {
        return;
    }
    if ci_runs_race_check(cx.sources, cx.ci_files) {
        return;
    }
    let Some(manifest) = cx.root_manifest.or_else(|| cx.packages.iter().find_map(|p| p.manifest)) else {
        return;
    };
    pieces.sort_by_key(|(kind, file, span, _)| (*file, span.start, *kind));
    let shown = pick(&pieces, 3);
    let header = manifest_header(cx, manifest);
    let total = pieces.len();
    let counts = summary_counts(&pieces);
    let mut d = Diagnostic::new(
        &MISSING_RACE_CHECK,
        header,
        format!("the workspace has unsafe concurrency ({counts}) but no CI job runs Miri, loom or ThreadSanitizer"),
    )
    .primary_label("no race checker covers this workspace");
    for (kind, _, span, what) in &shown {
        let label = match kind {
            UnsafeConcurrencyKind::UnsafeCellWithAtomics => {
                let ty = what.split_once("::").map(|(t, _)| t).unwrap_or(what);
                format!("`UnsafeCell` in `{ty}`, in a file that uses atomics")
            }
            _ => format!("`{what}`"),
        };
        d = d.label(*span, label);
    }
    if total > shown.len() {
        d = d.note(format!("{} more piece(s) of unsafe concurrency not shown", total - shown.len()));
    }
    if cx.ci_files.is_empty() {
        d = d.note(
            "the repository has no CI configuration (`.github/workflows/*.yml`, `.gitlab-ci.yml`, `.circleci/config.yml`, …)",
        );
    } else {
        let names: Vec<String> = cx
            .ci_files
            .iter()
            .map(|id| format!("`{}`", cx.sources.get(*id).path.to_string_lossy().replace('\\', "/")))
            .collect();
        d = d.note(format!(
            "CI files and the scripts they run, read: {}; none runs `cargo miri`, loom or `-Zsanitizer=thread`",
            names.join(", ")
        ));
    }
    d = d.help(
        "run the tests under Miri in CI, e.g. this GitHub Actions job (add a loom model for lock-free code):\n\
         miri:\n\
         \x20 runs-on: ubuntu-latest\n\
         \x20 steps:\n\
         \x20   - uses: actions/checkout@v4\n\
         \x20   - uses: dtolnay/rust-toolchain@nightly\n\
         \x20     with:\n\
         \x20       components: miri\n\
         \x20   - run: cargo miri test",
    );
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// Up to `n` pieces, one of each kind first, then in file order.
fn pick<'p>(
    pieces: &'p [(UnsafeConcurrencyKind, FileId, Span, &'p str)],
    n: usize,
) -> Vec<(UnsafeConcurrencyKind, FileId, Span, &'p str)> {
    let mut out: Vec<(UnsafeConcurrencyKind, FileId, Span, &str)> = Vec::new();
    for p in pieces {
        if out.len() < n && !out.iter().any(|o| o.0 == p.0) {
            out.push(*p);
        }
    }
    for p in pieces {
        if out.len() < n && !out.iter().any(|o| o.2 == p.2) {
            out.push(*p);
        }
    }
    out.sort_by_key(|(_, file, span, _)| (*file, span.start));
    out
}

fn summary_counts(pieces: &[(UnsafeConcurrencyKind, FileId, Span, &str)]) -> String {
    let count = |k| pieces.iter().filter(|p| p.0 == k).count();
    let mut parts = Vec::new();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let impls = count(UnsafeConcurrencyKind::UnsafeImpl);
    if impls > 0 {
        parts.push(plural(impls, "`unsafe impl Send`/`Sync`", "`unsafe impl Send`/`Sync`s"));
    }
    let statics = count(UnsafeConcurrencyKind::StaticMut);
    if statics > 0 {
        parts.push(plural(statics, "`static mut`", "`static mut`s"));
    }
    let cells = count(UnsafeConcurrencyKind::UnsafeCellWithAtomics);
    if cells > 0 {
        parts.push(plural(cells, "file with `UnsafeCell` and atomics", "files with `UnsafeCell` and atomics"));
    }
    parts.join(", ")
}

/// The `[package]` or `[workspace]` header line of the manifest, whichever comes first.
fn manifest_header(cx: &WorkspaceCx<'_>, manifest: FileId) -> Span {
    let text = &cx.sources.get(manifest).text;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("[package]") || trimmed.starts_with("[workspace]") {
            let start = offset + (line.len() - line.trim_start().len());
            let len = if trimmed.starts_with("[package]") { "[package]".len() } else { "[workspace]".len() };
            return Span::new(manifest, start, start + len);
        }
        offset += line.len();
    }
    Span::new(manifest, 0, 0)
}

/// Task runner files: only the targets that CI runs count (see [`task_file_runs_race_check`]).
const TASK_FILES: &[&str] = &["Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".justfile"];

/// How many levels of prerequisites of a task target are followed.
const TARGET_DEPTH: usize = 4;

/// Whether CI runs a race checker: a CI file, or a script it runs, mentions one; or a `make` or
/// `just` target that one of them runs (or a prerequisite of it) does.
fn ci_runs_race_check(sources: &crate::source::SourceMap, ci_files: &[FileId]) -> bool {
    let is_task_file = |id: &FileId| {
        sources.get(*id).path.file_name().and_then(|n| n.to_str()).is_some_and(|n| TASK_FILES.contains(&n))
    };
    let (tasks, plain): (Vec<FileId>, Vec<FileId>) = ci_files.iter().copied().partition(is_task_file);
    if plain.iter().any(|id| runs_race_check(&sources.get(*id).text)) {
        return true;
    }
    if tasks.is_empty() {
        return false;
    }
    let mut targets: Vec<String> = Vec::new();
    for id in &plain {
        targets.extend(invoked_targets(&sources.get(*id).text));
    }
    tasks.iter().any(|id| task_file_runs_race_check(&sources.get(*id).text, &targets))
}

/// The targets of `make`/`just` commands in uncommented lines: `make miri` → `miri`; a bare
/// `make` runs the default target, written as the empty string.
pub fn invoked_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = strip_comment(line);
        for command in code.split(['&', ';', '|']) {
            let words: Vec<&str> = command
                .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`'))
                .filter(|w| !w.is_empty())
                .collect();
            let Some(at) = words.iter().position(|w| matches!(*w, "make" | "gmake" | "just")) else { continue };
            let mut named = false;
            let mut skip_next = false;
            for word in &words[at + 1..] {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                if matches!(*word, "-C" | "-f" | "--directory" | "--file" | "--justfile" | "--working-directory") {
                    skip_next = true;
                    continue;
                }
                if word.starts_with('-') || word.contains('=') || word.starts_with('$') {
                    continue;
                }
                out.push(word.to_string());
                named = true;
            }
            if !named {
                out.push(String::new());
            }
        }
    }
    out
}

/// Whether one of `targets` of a Makefile or justfile (the empty string: the first one), or a
/// prerequisite of it, has a recipe line that runs a race checker.
pub fn task_file_runs_race_check(text: &str, targets: &[String]) -> bool {
    let rules = task_rules(text);
    let mut wanted: Vec<String> = targets
        .iter()
        .filter_map(
            |t| if t.is_empty() { rules.first().and_then(|r| r.names.first().cloned()) } else { Some(t.clone()) },
        )
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..=TARGET_DEPTH {
        let mut next = Vec::new();
        for name in wanted.drain(..) {
            if seen.contains(&name) {
                continue;
            }
            for rule in rules.iter().filter(|r| r.names.contains(&name)) {
                if rule.recipe.iter().any(|line| runs_race_check(line)) {
                    return true;
                }
                next.extend(rule.prerequisites.iter().cloned());
            }
            seen.push(name);
        }
        wanted = next;
    }
    false
}

/// One rule of a Makefile or justfile: `names: prerequisites` and its indented recipe lines.
struct TaskRule<'t> {
    names: Vec<String>,
    prerequisites: Vec<String>,
    recipe: Vec<&'t str>,
}

fn task_rules(text: &str) -> Vec<TaskRule<'_>> {
    let mut rules: Vec<TaskRule<'_>> = Vec::new();
    let mut in_rule = false;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if in_rule && !line.trim().is_empty() {
                if let Some(rule) = rules.last_mut() {
                    rule.recipe.push(line);
                }
            }
            continue;
        }
        let code = strip_comment(line);
        in_rule = false;
        let Some((head, rest)) = code.split_once(':') else { continue };
        // `X := y`, `X = a:b`, `X ?= a:b` are assignments (a justfile parameter's default,
        // `name p='a'`, is not); `.PHONY:` lists no recipe.
        let mut head_words = head.split_whitespace();
        let assignment = head_words.next().is_some_and(|w| w.contains('='))
            || head_words.next().is_some_and(|w| w.starts_with('=') || w.ends_with("="));
        if rest.starts_with('=') || assignment || head.trim_start().starts_with('.') {
            continue;
        }
        // A justfile recipe names itself first, then its parameters.
        let is_just_header = head.split_whitespace().skip(1).any(|w| w.contains('=') || w.starts_with('$'));
        let mut names: Vec<String> =
            head.split_whitespace().map(|w| w.trim_start_matches('@').to_string()).filter(|w| !w.is_empty()).collect();
        if is_just_header {
            names.truncate(1);
        }
        if names.is_empty() {
            continue;
        }
        let prerequisites = rest.split_whitespace().map(|w| w.trim_matches(['(', ')']).to_string()).collect();
        rules.push(TaskRule { names, prerequisites, recipe: Vec::new() });
        in_rule = true;
        // `target: ; recipe` on the header line.
        if let Some((_, inline)) = rest.split_once(';') {
            if let Some(rule) = rules.last_mut() {
                rule.recipe.push(inline);
            }
        }
    }
    rules
}

/// Whether a CI file runs Miri, loom or ThreadSanitizer, in an uncommented line.
pub fn runs_race_check(text: &str) -> bool {
    text.lines().any(|line| {
        let code = strip_comment(line).to_ascii_lowercase();
        has_word(&code, "miri")
            || code.contains("miriflags")
            || code.contains("-zmiri")
            || has_word(&code, "loom")
            || has_word(&code, "tsan")
            || code.contains("sanitizer=thread")
    })
}

/// A line without its YAML (`# …`) or Groovy (`// …`) comment.
fn strip_comment(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with("//") {
        return "";
    }
    match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `word` with no letter or digit on either side (`cargo miri`, `miri.sh`, `LOOM_MAX…`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn race_checks_in_ci_text() {
        assert!(runs_race_check("    - run: cargo +nightly miri test"));
        assert!(runs_race_check("      RUSTFLAGS: --cfg loom"));
        assert!(runs_race_check("  - run: ci/miri.sh"));
        assert!(runs_race_check("RUSTFLAGS: -Zsanitizer=thread cargo test"));
        assert!(runs_race_check("      LOOM_MAX_PREEMPTIONS: 2"));
        // A CI task runner that runs Miri, configured through `MIRIFLAGS`.
        assert!(runs_race_check("        MIRIFLAGS: -Zmiri-strict-provenance"));
        assert!(!runs_race_check("    # - run: cargo miri test"));
        assert!(!runs_race_check("  - run: cargo test # miri later"));
        assert!(!runs_race_check("  - run: cargo test --workspace"));
        assert!(!runs_race_check("  name: admiring the bloom"));
    }

    #[test]
    fn make_and_just_targets_ci_runs() {
        assert_eq!(invoked_targets("  - run: make -C crates/core test-unsafe && make lint"), ["test-unsafe", "lint"]);
        assert_eq!(invoked_targets("  - run: just --justfile ci.just sanitize"), ["sanitize"]);
        assert_eq!(invoked_targets("  - run: make"), [""]);
        assert!(invoked_targets("  # - run: make miri").is_empty());
        let makefile = "all: test\n\ntest:\n\tcargo test\n\nunsafe-check: setup\n\tcargo +nightly miri test\n\nsetup:\n\trustup component add miri\n";
        assert!(task_file_runs_race_check(makefile, &["unsafe-check".to_string()]));
        assert!(!task_file_runs_race_check(makefile, &["test".to_string()]), "the Miri target is not run");
        assert!(!task_file_runs_race_check(makefile, &[String::new()]), "the default target runs no race check");
        // Run through a prerequisite.
        let through = "ci: unit races\nunit:\n\tcargo test\nraces:\n\tRUSTFLAGS=-Zsanitizer=thread cargo test\n";
        assert!(task_file_runs_race_check(through, &["ci".to_string()]));
        let justfile = "default:\n    cargo test\n\nsanitize target='x86_64-unknown-linux-gnu':\n    RUSTFLAGS=-Zsanitizer=thread cargo +nightly test --target {{target}}\n";
        assert!(task_file_runs_race_check(justfile, &["sanitize".to_string()]));
        assert!(!task_file_runs_race_check(justfile, &[String::new()]));
    }
}
