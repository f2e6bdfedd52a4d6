//! taskcheck's analyses: concurrency lints over `syn` syntax trees.
//!
//! The entry point is [`check_file`]: it parses one file, expands readable macro bodies,
//! computes the shared [`facts`] in one walk, and runs every enabled lint of [`rules`] over them.
//! Nothing here prints, reads configuration or touches the file system: the driver
//! (`cargo-taskcheck`) does that and hands in text.

pub mod context;
pub mod diagnostic;
pub mod facts;
pub mod legacy_syntax;
pub mod model;
pub mod names;
pub mod nesting;
pub mod prefilter;
pub mod registry;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod suppress;

pub use context::{ExportedFact, FileCx, FileSummary, PackageInfo, UnsafeConcurrencyKind, WorkspaceCx};
pub use diagnostic::{Applicability, Diagnostic, Edit, Label, Level, Suggestion};
pub use registry::{Category, Cost, Lint, Rule};
pub use source::{FileId, LineCol, SourceFile, SourceMap, Span};

use std::collections::HashMap;

/// The stack a thread running [`analyze_file`] or [`check_file`] should have. syn and the lints
/// recurse over the syntax tree; the nesting guard ([`nesting`]) keeps what they are given
/// within what this stack survives, in a debug build too. A stack overflow aborts the process,
/// it cannot be caught like a panic. Only touched pages are committed, so the reservation
/// costs address space, not memory.
pub const STACK_BYTES: usize = 256 * 1024 * 1024;

/// The level of each lint for a run: defaults, overridden by configuration and the command line.
#[derive(Clone, Debug, Default)]
pub struct Levels {
    overrides: HashMap<&'static str, Level>,
}

impl Levels {
    pub fn set(&mut self, lint: &'static Lint, level: Level) {
        self.overrides.insert(lint.name, level);
    }

    pub fn get(&self, lint: &Lint) -> Level {
        self.overrides.get(lint.name).copied().unwrap_or(lint.default_level)
    }

    pub fn is_enabled(&self, lint: &Lint) -> bool {
        self.get(lint) != Level::Allow
    }
}

/// One Rust file to analyse.
pub struct FileInput<'a> {
    pub id: FileId,
    pub source: &'a SourceFile,
    pub package: &'a PackageInfo,
    /// The file is test code as a whole (under the package's `tests/`).
    pub is_test_file: bool,
    /// The file is a demo or a benchmark as a whole (under the package's `examples/` or
    /// `benches/`): a program run by hand that ends when its `main` does.
    pub is_example_file: bool,
    /// More attribute names that mark a test function.
    pub extra_test_attrs: &'a [String],
}

/// What the analysis of one file produced.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileAnalysis {
    pub diagnostics: Vec<Diagnostic>,
    /// Facts for the workspace phase ([`check_workspace`]); `file` and `package` are set by
    /// the caller's bookkeeping (`package` is left 0 here).
    pub summary: context::FileSummary,
    /// The file's `// taskcheck: allow(…)` comments, for the caller to apply with
    /// [`suppress::apply`] once every diagnostic of the run is known (empty when the file did
    /// not parse).
    pub suppressions: suppress::Suppressions,
}

impl FileAnalysis {
    /// Moves every span in file `from` to file `to`: an analysis stored by an earlier run is
    /// read back in a run that gave the file another id.
    pub fn relocate(&mut self, from: FileId, to: FileId) {
        let mut span = |s: &mut Span| {
            if s.file == from {
                s.file = to;
            }
        };
        for d in &mut self.diagnostics {
            d.relocate(&mut span);
        }
        for fact in &mut self.summary.facts {
            match fact {
                ExportedFact::RecoversPanic { span: s, .. } | ExportedFact::UnsafeConcurrency { span: s, .. } => {
                    span(s)
                }
                ExportedFact::LockOrder(edge) => {
                    span(&mut edge.first_span);
                    span(&mut edge.second_span);
                    for (s, _) in &mut edge.steps {
                        span(s);
                    }
                }
                ExportedFact::FnLocks(f) => f.relocate(&mut span),
                ExportedFact::EndlessFn(e) => span(&mut e.keyword),
                ExportedFact::PendingSpawn(p) => p.finding.0.relocate(&mut span),
                ExportedFact::SpawningFn(s) => span(&mut s.spawn),
                ExportedFact::PendingSleep(p) => {
                    p.helpers.iter_mut().for_each(|(call, _, _)| span(call));
                    p.finding.0.relocate(&mut span);
                }
                ExportedFact::PublicItemFinding { finding, .. } => finding.0.relocate(&mut span),
                ExportedFact::ItemSummaries(items) => items.relocate(&mut span),
                ExportedFact::PendingAutoImpl(pending) => pending.relocate(&mut span),
                ExportedFact::Nothing
                | ExportedFact::ModuleDecl { .. }
                | ExportedFact::PublicUse { .. }
                | ExportedFact::ModuleTree(_) => {}
            }
        }
        if self.suppressions.file == from {
            self.suppressions.file = to;
        }
        for directive in &mut self.suppressions.directives {
            span(&mut directive.comment);
            span(&mut directive.removal);
            for (_, s) in &mut directive.names {
                span(s);
            }
        }
    }
}

/// Parses and lints one file. Never panics on any input: a syntax error becomes a
/// `parse_error` diagnostic, and a bug in a lint becomes an `internal_error` diagnostic. A file
/// nested deeper than [`nesting::MAX_NESTING`] is a `parse_error` too, and is not parsed. Run
/// it on a thread with a stack of [`STACK_BYTES`].
pub fn check_file(input: &FileInput<'_>, levels: &Levels) -> Vec<Diagnostic> {
    analyze_file(input, levels).diagnostics
}

/// [`check_file`], also returning the facts the file exports for the workspace phase.
pub fn analyze_file(input: &FileInput<'_>, levels: &Levels) -> FileAnalysis {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_file_inner(input, levels)));
    // Spans of this file are no longer needed; free the parser's per-thread position table.
    proc_macro2::extra::invalidate_current_thread_spans();
    match result {
        Ok(analysis) => analysis,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let d = Diagnostic::new(
                &registry::tool::INTERNAL_ERROR,
                Span::new(input.id, 0, 0),
                format!("taskcheck failed on this file: {what}"),
            )
            .help("this is a bug in taskcheck; please report it with the file that triggers it");
            FileAnalysis {
                diagnostics: vec![d],
                summary: context::FileSummary { file: input.id, ..Default::default() },
                ..Default::default()
            }
        }
    }
}

/// The text syn is given: a byte-order mark, a shebang line and a cargo-script frontmatter
/// (`---cargo` … `---` at the top of a single-file package, which nightly rustc reads) are
/// blanked out in place, so byte offsets in the syntax tree stay offsets into the original
/// text.
fn parsable_text(text: &str) -> std::borrow::Cow<'_, str> {
    let has_bom = text.starts_with('\u{feff}');
    let body = if has_bom { &text[3..] } else { text };
    let shebang_len = if body.starts_with("#!") && !body.trim_start_matches("#!").trim_start().starts_with('[') {
        body.find('\n').unwrap_or(body.len())
    } else {
        0
    };
    let prefix = if has_bom { 3 } else { 0 } + shebang_len;
    let frontmatter = frontmatter_end(&text[prefix..]).map_or(0, |end| prefix + end);
    if prefix == 0 && frontmatter == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    let blank = prefix.max(frontmatter);
    // Spaces for every byte but line ends, so lines and offsets stay where they were.
    let mut s: String = text.as_bytes()[..blank].iter().map(|&b| if b == b'\n' { '\n' } else { ' ' }).collect();
    s.push_str(&text[blank..]);
    std::borrow::Cow::Owned(s)
}

/// Where a frontmatter at the start of `text` (after blank lines) ends: an opening fence of
/// three or more `-` with an optional info string, and a closing line of as many `-`.
fn frontmatter_end(text: &str) -> Option<usize> {
    let open = text.len() - text.trim_start().len();
    let fence_len = text[open..].bytes().take_while(|&b| b == b'-').count();
    if fence_len < 3 {
        return None;
    }
    let mut at = open + text[open..].find('\n')? + 1;
    for line in text[at..].split_inclusive('\n') {
        let content = line.trim_end();
        if content.len() == fence_len && content.bytes().all(|b| b == b'-') {
            return Some(at + content.len());
        }
        at += line.len();
    }
    None
}

fn check_file_inner(input: &FileInput<'_>, levels: &Levels) -> FileAnalysis {
    if let Some(offset) = nesting::too_deep(&input.source.text, nesting::MAX_NESTING) {
        let summary = context::FileSummary { file: input.id, ..Default::default() };
        return FileAnalysis { diagnostics: vec![too_deep(input.id, offset)], summary, ..Default::default() };
    }
    let text = parsable_text(&input.source.text);
    let edition = input.package.edition;
    let mut ast: syn::File = match legacy_syntax::parse_file(&text, edition) {
        Ok(ast) => ast,
        Err(err) => {
            let r = err.span().byte_range();
            let span = Span::new(input.id, r.start, r.end);
            return FileAnalysis {
                diagnostics: vec![parse_error(span, &err, edition, &text, no_package(input.package))],
                summary: context::FileSummary { file: input.id, ..Default::default() },
                ..Default::default()
            };
        }
    };
    // Before expansion, so that a comment above an item macro covers the whole invocation.
    let suppressions = suppress::scan(input.id, input.source, &ast);
    facts::macros::expand_source(&mut ast, &text);
    let options = facts::walk::WalkOptions {
        is_test_file: input.is_test_file,
        extra_test_attrs: input.extra_test_attrs.to_vec(),
        extra_spawners: input.package.extra_spawners.clone(),
    };
    let facts = facts::walk::collect(input.id, &ast, &options);
    let cx = FileCx {
        file: input.id,
        source: input.source,
        ast: &ast,
        facts: &facts,
        package: input.package,
        is_example_file: input.is_example_file,
        out: Default::default(),
        exported: Default::default(),
        lock_model_exported: Default::default(),
        module_facts_exported: Default::default(),
    };
    for (lint, check) in rules::FILE_LINTS {
        if levels.is_enabled(lint) {
            check(&cx);
        }
    }
    for w in rules::WORKSPACE_LINTS {
        if levels.is_enabled(w.lint) {
            (w.collect)(&cx);
        }
    }
    let diagnostics = finish(cx.out.into_inner(), levels);
    let facts = cx.exported.into_inner();
    FileAnalysis { diagnostics, summary: context::FileSummary { file: input.id, package: 0, facts }, suppressions }
}

/// A file syn could not read, even with the old forms of its edition rewritten
/// ([`legacy_syntax`]). The help does not promise that `cargo check` shows the error too: it
/// does not for a file the crate never compiles, nor for syntax rustc accepts and syn does not.
fn parse_error(span: Span, err: &syn::Error, edition: u16, text: &str, no_package: bool) -> Diagnostic {
    // A file with no `Cargo.toml` above it is read as the default edition.
    let whose = if no_package { "the default edition: no package around the file" } else { "the package's edition" };
    let message = match lex_error(err, text, span.start as usize) {
        Some(what) => what,
        None => err.to_string(),
    };
    Diagnostic::new(&registry::tool::PARSE_ERROR, span, format!("could not parse this file: {message}"))
        .primary_label(message)
        .note(format!(
            "taskcheck read it as Rust {edition} ({whose}), and analyses syntax only; the other files were still checked"
        ))
        .help("fix the syntax error, or exclude the file")
        .help("if rustc compiles this file, taskcheck's parser does not know this syntax yet: please report it")
}

/// A file no `Cargo.toml` was found above: discovery gives it the defaults, with no name and
/// no root.
fn no_package(package: &PackageInfo) -> bool {
    package.name.is_empty() && package.root.as_os_str().is_empty()
}

/// What the tokenizer stopped at, when that is the error (its own message only says that the
/// text is not a token stream): a closing delimiter that closes nothing open, the end of the
/// file inside an open delimiter, or an unterminated literal or comment.
fn lex_error(err: &syn::Error, text: &str, at: usize) -> Option<String> {
    if err.to_string() != "cannot parse string into token stream" {
        return None;
    }
    let rest = text.get(at..)?;
    let what = match rest.chars().next() {
        None => "the file ends inside an unclosed `(`, `[` or `{`".to_string(),
        Some(c @ (')' | ']' | '}')) => format!("mismatched closing delimiter `{c}`: it closes nothing open here"),
        Some(c @ ('(' | '[' | '{')) => format!("unclosed delimiter `{c}`: nothing closes it"),
        Some('"') => "unterminated string literal".to_string(),
        Some('\'') => "unterminated character literal".to_string(),
        Some('/') if rest.starts_with("/*") => "unterminated block comment".to_string(),
        Some('r' | 'b' | 'c') if ["r\"", "r#", "b\"", "br", "c\"", "cr"].iter().any(|p| rest.starts_with(p)) => {
            "unterminated string literal".to_string()
        }
        Some('b') if rest.starts_with("b'") => "unterminated byte literal".to_string(),
        Some(c) => format!("`{c}` cannot start a token here"),
    };
    Some(what)
}

/// Whether `text` parses as a Rust file (a byte-order mark, a shebang line and old-edition
/// syntax allowed), as [`check_file`] would parse it. `--fix` checks every fixed file with it
/// before writing; it does not know the file's edition, so the old forms of 2018, then of
/// 2015, are tried after a failed parse.
pub fn is_valid_rust(text: &str) -> bool {
    let text = parsable_text(text);
    let ok = [2021, 2018, 2015].iter().any(|&edition| legacy_syntax::parse_file(&text, edition).is_ok());
    proc_macro2::extra::invalidate_current_thread_spans();
    ok
}

fn too_deep(file: FileId, offset: usize) -> Diagnostic {
    Diagnostic::new(
        &registry::tool::PARSE_ERROR,
        Span::new(file, offset, offset + 1),
        format!("this file nests deeper than {} levels; taskcheck does not analyse it", nesting::MAX_NESTING),
    )
    .primary_label("the limit is passed here")
    .note("parsing it could overflow the stack; the other files were still checked")
    .help("if the file is generated, leave it out of the run")
}

/// Applies the run's levels and drops what is allowed.
fn finish(mut out: Vec<Diagnostic>, levels: &Levels) -> Vec<Diagnostic> {
    for d in &mut out {
        d.level = levels.get(d.lint);
    }
    out.retain(|d| d.level != Level::Allow);
    out
}

/// Everything the workspace phase needs besides the files' summaries.
pub struct WorkspaceInput<'a> {
    pub sources: &'a SourceMap,
    pub packages: &'a [PackageInfo],
    /// One per analysed file, with `package` set to the index into `packages`.
    pub files: &'a [context::FileSummary],
    pub root_manifest: Option<FileId>,
    pub ci_files: &'a [FileId],
}

/// Runs the lints that compare files or read manifests and CI files, after every file was
/// analysed with [`analyze_file`].
pub fn check_workspace(input: &WorkspaceInput<'_>, levels: &Levels) -> Vec<Diagnostic> {
    let cx = context::WorkspaceCx {
        sources: input.sources,
        packages: input.packages,
        files: input.files,
        root_manifest: input.root_manifest,
        ci_files: input.ci_files,
        out: Default::default(),
        locks: Default::default(),
    };
    for w in rules::WORKSPACE_LINTS {
        if levels.is_enabled(w.lint) {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (w.check)(&cx)));
            if run.is_err() {
                cx.report(Diagnostic::new(
                    &registry::tool::INTERNAL_ERROR,
                    Span::new(input.root_manifest.unwrap_or_default(), 0, 0),
                    format!("taskcheck failed while running `{}` over the workspace", w.lint.name),
                ));
            }
        }
    }
    finish(cx.out.into_inner(), levels)
}

/// Every lint, tool diagnostics excluded, in registry order; the lints about suppression
/// comments (no rule) come last.
pub fn all_lints() -> impl Iterator<Item = &'static Lint> {
    let mut all: Vec<&'static Lint> = rules::FILE_LINTS.iter().map(|(lint, _)| *lint).collect();
    // A file lint with a workspace part is in both tables.
    let workspace_only = rules::WORKSPACE_LINTS
        .iter()
        .map(|w| w.lint)
        .filter(|w| !rules::FILE_LINTS.iter().any(|(l, _)| std::ptr::eq(*l, *w)));
    all.extend(workspace_only);
    all.sort_by_key(|l| (l.rule, l.name));
    all.extend(suppress::LINTS.iter().copied());
    all.into_iter()
}

/// A lint or tool diagnostic by name.
pub fn find_lint(name: &str) -> Option<&'static Lint> {
    all_lints().chain(registry::tool::ALL.iter().copied()).find(|l| l.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_shebang_keep_offsets() {
        let text = "\u{feff}#!/usr/bin/env run\nfn main() {}";
        let t = parsable_text(text);
        assert_eq!(t.len(), text.len());
        assert!(syn::parse_str::<syn::File>(&t).is_ok());
        assert_eq!(parsable_text("#![allow(x)] fn f() {}"), "#![allow(x)] fn f() {}");
    }

    #[test]
    fn a_fixed_file_may_use_old_edition_syntax() {
        assert!(is_valid_rust("trait T { fn f(&self, Box<Fn(u8) + Send>); }"));
        assert!(is_valid_rust("fn try() { let async = 1; }"));
        assert!(is_valid_rust("async fn f() { let b: Box<Fn()> = g(); }"));
        assert!(!is_valid_rust("fn f() { let = 1; }"));
    }

    #[test]
    fn frontmatter_is_blanked_in_place() {
        let text =
            "#!/usr/bin/env -S cargo +nightly -Zscript\n---cargo\n[dependencies]\né = \"1\"\n---\n\nfn main() {}\n";
        let t = parsable_text(text);
        assert_eq!(t.len(), text.len());
        assert_eq!(t.lines().count(), text.lines().count());
        assert_eq!(t.find("fn main"), text.find("fn main"));
        assert!(syn::parse_str::<syn::File>(&t).is_ok());
        // Without a closing fence, or with a shorter one, the text is left to the parser.
        assert_eq!(parsable_text("----\nfn f() {}\n---\n"), "----\nfn f() {}\n---\n");
        assert_eq!(parsable_text("fn f() {}\n---\n"), "fn f() {}\n---\n");
    }

    /// The tokenizer's error, said as what it stopped at.
    fn lex_message(text: &str) -> Option<String> {
        let err = syn::parse_file(text).unwrap_err();
        super::lex_error(&err, text, err.span().byte_range().start)
    }

    #[test]
    fn a_tokenizer_error_says_what_it_stopped_at() {
        let mismatched = lex_message("fn main() {\n    spawn(move || { loop {} );\n}\n").unwrap();
        assert!(mismatched.starts_with("mismatched closing delimiter `)`"), "{mismatched}");
        let unclosed = lex_message("fn main() {\n    let x = (1, 2;\n").unwrap();
        assert_eq!(unclosed, "unclosed delimiter `(`: nothing closes it");
        let string = lex_message("fn main() {\n    let s = \"open;\n}\n").unwrap();
        assert_eq!(string, "unterminated string literal");
        let comment = lex_message("fn main() {}\n/* never closed\n").unwrap();
        assert_eq!(comment, "unterminated block comment");
        // A parser error keeps the parser's message.
        assert_eq!(lex_message("fn main() { let x = 1 + ; }"), None);
    }
}
