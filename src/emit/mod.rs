//! Output formats. Each one reads the same [`Diagnostic`]s and [`SourceMap`]; none re-reads a
//! file or an AST.
//!
//! | module | `--format` | consumer |
//! |---|---|---|
//! | [`human`] | `human` | people in a terminal |
//! | [`short`] | `short` | grep, editors' problem matchers |
//! | [`json`] | `json` | rust-analyzer and anything that reads rustc's `--error-format=json` |
//! | [`sarif`] | `sarif` | GitHub code scanning, the VS Code SARIF viewer |
//! | [`github`] | `github` | GitHub Actions annotations and the job summary |

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::path::{Component, Path, PathBuf};
use taskcheck_lints::{Cost, Diagnostic, Level, LineCol, SourceMap, Span};

/// What a run produced, as the emitters see it.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    /// Sorted by file, position, lint.
    pub diagnostics: &'a [Diagnostic],
    /// Rust files analysed (including those that failed to parse).
    pub files_checked: usize,
}

impl Report<'_> {
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// Lint findings, tool diagnostics (files that could not be analysed) left out.
    pub fn findings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !is_tool_diagnostic(d))
    }

    /// Diagnostics about files taskcheck could not analyse (`parse_error`, `io_error`,
    /// `internal_error`).
    pub fn tool_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| is_tool_diagnostic(d))
    }
}

/// The order people read findings in (the human output, GitHub annotations and the job
/// summary): errors first, since they fail the build; within a level, by what a true finding
/// costs ([`Cost`]: hangs and aborts, then leaks and races, then documentation, then advice;
/// files that could not be analysed after them); then the report's order, file and position.
/// So a documentation lint with hundreds of findings never pushes a deadlock out of sight.
/// Machine formats (`short`, `json`, `sarif`) keep the report's file order.
pub fn by_cost(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut all: Vec<&Diagnostic> = diagnostics.iter().collect();
    all.sort_by_key(|d| cost_rank(d));
    all
}

/// The sort key of [`by_cost`], report order aside.
pub fn cost_rank(d: &Diagnostic) -> (std::cmp::Reverse<Level>, u8) {
    (std::cmp::Reverse(d.level), d.lint.cost.map_or(u8::MAX, |c: Cost| c as u8))
}

/// `parse_error`, `io_error` and `internal_error` are the tool's own diagnostics: they say a
/// file was not analysed, not that the code has a problem. They belong to no rule.
pub fn is_tool_diagnostic(d: &Diagnostic) -> bool {
    taskcheck_lints::registry::tool::ALL.contains(&d.lint)
}

/// Start and end of a span as people count them, end exclusive. Offsets are clamped into the
/// file, so a bad span never panics.
pub fn span_lines(sources: &SourceMap, span: Span) -> (LineCol, LineCol) {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col((span.end as usize).max(span.start as usize));
    (start, end)
}

/// `path`, with `/` separators on every platform.
pub fn shown_path(sources: &SourceMap, span: Span) -> String {
    human::display_path(&sources.get(span.file).path)
}

/// Where the run's paths are relative to, for formats that want paths relative to the
/// repository root (SARIF, GitHub annotations) rather than to the current directory.
#[derive(Clone, Debug)]
pub struct RepoPaths {
    /// The directory the report's relative paths are relative to: the current directory.
    pub cwd: PathBuf,
    /// The repository root (the folder holding `.git`). `None` outside a repository: then the
    /// current directory stands for it.
    pub root: Option<PathBuf>,
}

impl RepoPaths {
    /// Paths for a run in `cwd`, with the repository root found at or above it.
    pub fn for_cwd(cwd: &Path) -> RepoPaths {
        RepoPaths { cwd: cwd.to_path_buf(), root: repository_root(cwd) }
    }

    /// The repository root, or the current directory outside a repository.
    pub fn root(&self) -> PathBuf {
        normalize(self.root.as_deref().unwrap_or(&self.cwd))
    }

    /// The file's absolute path, `.` and `..` resolved.
    pub fn absolute(&self, shown: &Path) -> PathBuf {
        normalize(&self.cwd.join(shown))
    }

    /// The file's path relative to the root, `/`-separated; `None` for a file outside it.
    pub fn relative(&self, shown: &Path) -> Option<String> {
        let absolute = self.absolute(shown);
        absolute.strip_prefix(self.root()).ok().map(|rel| rel.to_string_lossy().replace('\\', "/"))
    }
}

/// The nearest folder at or above `dir` holding `.git` (a folder, or a file for worktrees and
/// submodules).
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// Removes `.` and resolves `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// One line of text: line breaks (which would start a new record in line-based formats)
/// become spaces.
pub fn one_line(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    text.split(['\n', '\r']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A small report built by hand, shared by the emitters' unit tests.

    use taskcheck_lints::registry::tool;
    use taskcheck_lints::{Applicability, Diagnostic, Lint, SourceFile, SourceMap, Span};

    pub fn lint(name: &str) -> &'static Lint {
        taskcheck_lints::find_lint(name).unwrap_or_else(|| panic!("no lint {name}"))
    }

    pub const LIB: &str = "use std::thread;\n\
        pub fn start(rx: Rx) {\n\
        \x20   let s = \"é😀\"; thread::spawn(move || loop { work(&rx) });\n\
        }\n";

    pub const MANIFEST: &str = "[package]\nname = \"demo\"\n\n[profile.release]\npanic = \"abort\"\n";

    /// Two files (a Rust file with non-ASCII text before the finding, and a manifest), a
    /// warning with a label and a machine-applicable fix, an error in the manifest, and a
    /// file that did not parse.
    pub fn sources() -> SourceMap {
        let mut sources = SourceMap::default();
        sources.add(SourceFile::new("src/lib.rs", LIB));
        sources.add(SourceFile::new("Cargo.toml", MANIFEST));
        sources.add(SourceFile::new("src/broken.rs", "fn f( {\n"));
        sources
    }

    pub fn span_of(sources: &SourceMap, file: u32, needle: &str) -> Span {
        let id = taskcheck_lints::FileId(file);
        let text = &sources.get(id).text;
        let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in file {file}"));
        Span::new(id, start, start + needle.len())
    }

    pub fn diagnostics(sources: &SourceMap) -> Vec<Diagnostic> {
        let spawn = span_of(sources, 0, "thread::spawn");
        let lp = span_of(sources, 0, "loop");
        let warning = Diagnostic::new(lint("detached_spawn"), spawn, "spawned thread runs forever, 100% detached")
            .primary_label("the `JoinHandle` is dropped here")
            .label(lp, "this loop has no exit")
            .help("keep the `JoinHandle`\nand join it on shutdown")
            .note("rule 1 (clear exit): a detached task leaks its memory")
            .suggest(
                "bind the handle",
                Span::new(spawn.file, spawn.start as usize, spawn.start as usize),
                "let _worker = ",
                Applicability::MachineApplicable,
            )
            .suggest(
                "or join it",
                Span::new(spawn.file, spawn.start as usize, spawn.start as usize),
                "…",
                Applicability::HasPlaceholders,
            );
        let panic = span_of(sources, 1, "panic = \"abort\"");
        let mut error = Diagnostic::new(lint("sleep_in_test"), panic, "a finding in the manifest: profile, panic");
        error.level = taskcheck_lints::Level::Deny;
        let broken = span_of(sources, 2, "{");
        let parse = Diagnostic::new(&tool::PARSE_ERROR, broken, "could not parse this file: expected `)`")
            .primary_label("expected `)`")
            .help("fix the syntax error");
        let mut all = vec![warning, error, parse];
        all.sort_by_key(|d| (sources.get(d.primary.span.file).path.clone(), d.primary.span.start));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_relative_to_the_repository() {
        let paths = RepoPaths { cwd: PathBuf::from("/repo/app"), root: Some(PathBuf::from("/repo")) };
        assert_eq!(paths.relative(Path::new("src/lib.rs")).as_deref(), Some("app/src/lib.rs"));
        assert_eq!(paths.relative(Path::new("../lib/./x.rs")).as_deref(), Some("lib/x.rs"));
        assert_eq!(paths.relative(Path::new("../../elsewhere/x.rs")), None);
        let outside = RepoPaths { cwd: PathBuf::from("/tmp/x"), root: None };
        assert_eq!(outside.relative(Path::new("a.rs")).as_deref(), Some("a.rs"));
    }

    #[test]
    fn repository_root_is_the_folder_with_git() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join(".git"), "gitdir: elsewhere").unwrap();
        assert_eq!(repository_root(&dir.path().join("a/b")).as_deref(), Some(dir.path()));
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line("a\nb\r\nc"), "a b c");
        assert_eq!(one_line("plain"), "plain");
    }

    #[test]
    fn by_cost_puts_errors_then_costly_lints_first_and_keeps_file_order_within() {
        let mut sources = taskcheck_lints::SourceMap::default();
        let a = sources.add(taskcheck_lints::SourceFile::new("a.rs", "x\n".repeat(10)));
        let b = sources.add(taskcheck_lints::SourceFile::new("b.rs", "x\n".repeat(10)));
        let d = |lint: &str, file, line: usize| {
            let lint = test_support::lint(lint);
            Diagnostic::new(lint, Span::new(file, line * 2, line * 2 + 1), lint.name)
        };
        // In report order: by file, then position.
        let report = vec![
            d("undocumented_shared_type", a, 1),
            d("detached_spawn", a, 2),
            d("lock_order_inversion", a, 3),
            d("undocumented_shared_type", b, 1),
            d("double_lock", b, 2),
            d("lock_order_inversion", b, 3),
        ];
        let order: Vec<(&str, &str)> = by_cost(&report)
            .iter()
            .map(|d| (d.lint.name, sources.get(d.primary.span.file).path.to_str().unwrap()))
            .collect();
        assert_eq!(
            order,
            [
                ("double_lock", "b.rs"),
                ("lock_order_inversion", "a.rs"),
                ("lock_order_inversion", "b.rs"),
                ("detached_spawn", "a.rs"),
                ("undocumented_shared_type", "a.rs"),
                ("undocumented_shared_type", "b.rs"),
            ]
        );
    }

    #[test]
    fn spans_are_clamped() {
        let sources = test_support::sources();
        let (start, end) = span_lines(&sources, Span::new(taskcheck_lints::FileId(2), 5, 500));
        assert_eq!((start.line, start.col), (1, 6));
        assert_eq!((end.line, end.col), (2, 1));
    }
}
