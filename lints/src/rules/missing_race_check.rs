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
    /// `.ci/`. A workspace nested inside another Cargo workspace of the same repository, which
    /// does not count it as a member (a demo, a fuzz crate, a vendored tool with its own
    /// `[workspace]`), is a project of its own: the repository's CI builds and tests the
    /// enclosing workspace, so only the CI files in the nested workspace's own folder are
    /// read for it, as they would be once it is copied out.
    ///
    /// A race check is any uncommented mention of Miri (`cargo miri test`,
    /// `cargo +nightly miri`, a `miri` component, a `miri.sh` script, `MIRIFLAGS`), loom
    /// (`--cfg loom`, `RUSTFLAGS` with loom, `LOOM_…` settings, a `loom.sh` script) or
    /// ThreadSanitizer (`-Zsanitizer=thread`, `tsan`).
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
    /// A race check run by a script the CI file calls under another name (`./ci/test.sh`) is
    /// not seen; so is one in a CI system not listed above, and one the repository's CI runs in
    /// a nested workspace (`cd fuzz && cargo miri test`). Suppress the finding with a reason
    /// (or allow the lint in the nested workspace's configuration), or name the script after
    /// the tool.
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

/// Workspace phase: one finding when there is unsafe concurrency and no CI file runs a race
/// checker.
/// Whether [`check`] can report in this run: a manifest to point at, and no CI file already
/// running a race checker.
pub(crate) fn can_fire(run: &crate::prefilter::RunContext<'_>) -> bool {
    let manifest = run.root_manifest.is_some() || run.packages.iter().any(|p| p.manifest.is_some());
    manifest && !run.ci_files.iter().any(|id| runs_race_check(&run.sources.get(*id).text))
}

pub fn check(cx: &WorkspaceCx<'_>) {
    let mut pieces: Vec<(UnsafeConcurrencyKind, FileId, Span, &str)> = cx
        .all_facts()
        .filter_map(|(file, f)| match f {
            ExportedFact::UnsafeConcurrency { kind, span, what } => Some((*kind, file, *span, what.as_str())),
            _ => None,
        })
        .collect();
    if pieces.is_empty() {
        return;
    }
    if cx.ci_files.iter().any(|id| runs_race_check(&cx.sources.get(*id).text)) {
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
            "no CI configuration was found (`.github/workflows/*.yml`, `.gitlab-ci.yml`, `.circleci/config.yml`, …)",
        );
    } else {
        let names: Vec<String> = cx
            .ci_files
            .iter()
            .map(|id| format!("`{}`", cx.sources.get(*id).path.to_string_lossy().replace('\\', "/")))
            .collect();
        d = d.note(format!(
            "CI files read: {}; none mentions `cargo miri`, loom or `-Zsanitizer=thread`",
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
}
