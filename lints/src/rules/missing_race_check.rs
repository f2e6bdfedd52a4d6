use crate::context::{ExportedFact, FileCx, UnsafeConcurrencyKind, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::ci::ci_runs_race_check;
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
