//! GitHub Actions workflow commands (`::warning file=…,line=…::message`), which the runner turns
//! into annotations on the pull request, and the Markdown job summary.
//!
//! GitHub shows at most 10 annotations of each level per step, so errors come first, then
//! warnings, each level capped at [`MAX_PER_LEVEL`] and ordered by what a finding costs
//! ([`super::by_cost`]: a deadlock before a missing doc comment); the findings beyond that are
//! printed as plain log lines and counted in a final `::notice::`.

use super::{is_tool_diagnostic, one_line, span_lines, RepoPaths, Report};
use std::collections::BTreeMap;
use std::io::Write;
use taskcheck_lints::{Diagnostic, Level};

/// Annotations GitHub shows per level and step.
pub const MAX_PER_LEVEL: usize = 10;

/// Rows of the findings table in the job summary (GitHub caps a summary at 1 MiB).
pub const MAX_SUMMARY_ROWS: usize = 200;

/// Escapes a command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(d: &Diagnostic) -> &'static str {
    match d.level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "notice",
    }
}

/// The path GitHub matches against the repository's files: relative to its root.
fn path(report: &Report<'_>, paths: &RepoPaths, d: &Diagnostic) -> String {
    let shown = &report.sources.get(d.primary.span.file).path;
    paths.relative(shown).unwrap_or_else(|| super::human::display_path(shown))
}

/// The annotation's text: the message, the labels with their lines, help and notes.
fn message(report: &Report<'_>, d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if !d.primary.message.is_empty() {
        text.push_str(&format!("\n{}", d.primary.message));
    }
    for label in d.labels.iter().filter(|l| !l.message.is_empty()) {
        let (start, _) = span_lines(report.sources, label.span);
        text.push_str(&format!("\nline {}: {}", start.line, label.message));
    }
    for h in &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    for n in &d.notes {
        text.push_str(&format!("\nnote: {n}"));
    }
    text
}

/// One workflow command.
pub fn annotation(report: &Report<'_>, paths: &RepoPaths, d: &Diagnostic) -> String {
    let (start, end) = span_lines(report.sources, d.primary.span);
    format!(
        "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
        command(d),
        escape_property(&path(report, paths, d)),
        start.line,
        end.line,
        start.col,
        end.col,
        escape_property(&format!("taskcheck: {}", d.lint.name)),
        escape_data(&message(report, d)),
    )
}

/// Most severe first, then most costly, report order within.
fn by_severity<'r>(report: &'r Report<'_>) -> Vec<&'r Diagnostic> {
    super::by_cost(report.diagnostics)
}

/// Writes the annotations, then the findings beyond the per-level cap as plain lines and a
/// notice counting them.
pub fn emit(out: &mut dyn Write, report: &Report<'_>, paths: &RepoPaths) -> std::io::Result<()> {
    let mut shown: BTreeMap<Level, usize> = BTreeMap::new();
    let mut rest = Vec::new();
    for d in by_severity(report) {
        let n = shown.entry(d.level).or_insert(0);
        if *n < MAX_PER_LEVEL {
            *n += 1;
            writeln!(out, "{}", annotation(report, paths, d))?;
        } else {
            rest.push(d);
        }
    }
    if rest.is_empty() {
        return Ok(());
    }
    for d in &rest {
        let (start, _) = span_lines(report.sources, d.primary.span);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            path(report, paths, d),
            start.line,
            start.col,
            d.level.header(),
            d.lint.name,
            one_line(&d.message)
        )?;
    }
    let errors = rest.iter().filter(|d| d.level == Level::Deny).count();
    let warnings = rest.len() - errors;
    writeln!(
        out,
        "::notice title={}::{}",
        escape_property("taskcheck: more findings"),
        escape_data(&format!(
            "{} more finding{} ({errors} error{}, {warnings} warning{}) not shown as annotations: GitHub shows {MAX_PER_LEVEL} per level. They are listed in the log above.",
            rest.len(),
            plural(rest.len()),
            plural(errors),
            plural(warnings),
        ))
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// [`emit`] into a string.
pub fn render(report: &Report<'_>, paths: &RepoPaths) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = emit(&mut buf, report, paths);
    String::from_utf8_lossy(&buf).into_owned()
}

/// A table cell: no line breaks, `|` escaped, and no raw HTML.
fn cell(text: &str) -> String {
    one_line(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}

/// The job summary (appended to `$GITHUB_STEP_SUMMARY`): totals, counts per lint, and the
/// findings table.
pub fn step_summary(report: &Report<'_>, paths: &RepoPaths) -> String {
    let findings: Vec<&Diagnostic> = report.findings().collect();
    let unanalysed = report.tool_diagnostics().count();
    let errors = findings.iter().filter(|d| d.level == Level::Deny).count();
    let warnings = findings.len() - errors;
    let files = format!("{} file{}", report.files_checked, plural(report.files_checked));
    let mut md = String::from("## taskcheck\n\n");
    if findings.is_empty() {
        md.push_str(&format!("No findings in {files}."));
    } else {
        md.push_str(&format!(
            "**{} finding{}** ({errors} error{}, {warnings} warning{}) in {files}.",
            findings.len(),
            plural(findings.len()),
            plural(errors),
            plural(warnings)
        ));
    }
    if unanalysed > 0 {
        md.push_str(&format!(" {unanalysed} file{} could not be analysed.", plural(unanalysed)));
    }
    md.push_str("\n\n");
    if !report.diagnostics.is_empty() {
        // One row per lint, in the order of its first finding in cost order.
        let mut per_lint: Vec<(&str, Level, usize)> = Vec::new();
        for d in by_severity(report) {
            match per_lint.iter_mut().find(|(name, _, _)| *name == d.lint.name) {
                Some(row) => row.2 += 1,
                None => per_lint.push((d.lint.name, d.level, 1)),
            }
        }
        md.push_str("| lint | level | count |\n|---|---|---:|\n");
        for (lint, level, count) in &per_lint {
            md.push_str(&format!("| `{lint}` | {} | {count} |\n", level.header()));
        }
        md.push_str("\n| level | location | lint | message |\n|---|---|---|---|\n");
        let ordered = by_severity(report);
        for d in ordered.iter().take(MAX_SUMMARY_ROWS) {
            let (start, _) = span_lines(report.sources, d.primary.span);
            let kind = if is_tool_diagnostic(d) { "error (not analysed)" } else { d.level.header() };
            md.push_str(&format!(
                "| {kind} | `{}:{}:{}` | `{}` | {} |\n",
                cell(&path(report, paths, d)),
                start.line,
                start.col,
                d.lint.name,
                cell(&d.message)
            ));
        }
        if ordered.len() > MAX_SUMMARY_ROWS {
            md.push_str(&format!(
                "\n… and {} more; see the job log or the SARIF file.\n",
                ordered.len() - MAX_SUMMARY_ROWS
            ));
        }
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_support;
    use std::path::PathBuf;
    use taskcheck_lints::{SourceFile, SourceMap, Span};

    fn paths() -> RepoPaths {
        RepoPaths { cwd: PathBuf::from("/repo/app"), root: Some(PathBuf::from("/repo")) }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100%\r\nnext: a,b"), "100%25%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn annotations_most_severe_first_with_escaped_fields() {
        let sources = test_support::sources();
        let diagnostics = test_support::diagnostics(&sources);
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        let out = render(&report, &paths());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            "::error file=app/Cargo.toml,line=5,endLine=5,col=1,endColumn=16,title=taskcheck%3A sleep_in_test::a finding in the manifest: profile, panic"
        );
        assert!(lines[1].starts_with(
            "::error file=app/src/broken.rs,line=1,endLine=1,col=7,endColumn=8,title=taskcheck%3A parse_error::"
        ));
        assert_eq!(
            lines[2],
            "::warning file=app/src/lib.rs,line=3,endLine=3,col=19,endColumn=32,title=taskcheck%3A detached_spawn::\
             spawned thread runs forever, 100%25 detached%0Athe `JoinHandle` is dropped here%0Aline 3: this loop has no exit\
             %0Ahelp: keep the `JoinHandle`%0Aand join it on shutdown%0Anote: rule 1 (clear exit): a detached task leaks its memory"
        );
    }

    #[test]
    fn at_most_ten_per_level_then_a_notice() {
        let mut sources = SourceMap::default();
        let text = "spawn();\n".repeat(30);
        let id = sources.add(SourceFile::new("src/lib.rs", text));
        let lint = test_support::lint("detached_spawn");
        let mut diagnostics = Vec::new();
        for i in 0..25 {
            let mut d = Diagnostic::new(lint, Span::new(id, i * 9, i * 9 + 5), format!("finding {i}"));
            if i % 5 == 0 {
                d.level = Level::Deny;
            }
            diagnostics.push(d);
        }
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 1 };
        let out = render(&report, &paths());
        let lines: Vec<&str> = out.lines().collect();
        let errors = lines.iter().filter(|l| l.starts_with("::error ")).count();
        let warnings = lines.iter().filter(|l| l.starts_with("::warning ")).count();
        assert_eq!((errors, warnings), (5, 10));
        assert!(lines[..5].iter().all(|l| l.starts_with("::error ")), "errors come first");
        let plain: Vec<&&str> = lines.iter().filter(|l| !l.starts_with("::")).collect();
        assert_eq!(plain.len(), 10);
        assert_eq!(*plain[0], "app/src/lib.rs:14:1: warning[detached_spawn] finding 13");
        let notice = lines.last().unwrap();
        assert!(
            notice.starts_with("::notice title=taskcheck%3A more findings::10 more findings (0 errors, 10 warnings)"),
            "{notice}"
        );
    }

    #[test]
    fn the_cap_keeps_the_costly_findings() {
        let mut sources = SourceMap::default();
        let early = sources.add(SourceFile::new("src/a.rs", "pub struct S;\n".repeat(20)));
        let late = sources.add(SourceFile::new("src/z.rs", "lock();\n".repeat(5)));
        let mut diagnostics = Vec::new();
        for i in 0..15 {
            let lint = test_support::lint("undocumented_unsafe_send_sync");
            diagnostics.push(Diagnostic::new(lint, Span::new(early, i * 14, i * 14 + 5), format!("docs {i}")));
        }
        for i in 0..3 {
            let lint = test_support::lint("lock_order_inversion");
            diagnostics.push(Diagnostic::new(lint, Span::new(late, i * 8, i * 8 + 4), format!("inversion {i}")));
        }
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        let out = render(&report, &paths());
        let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::warning ")).collect();
        assert_eq!(annotations.len(), 10);
        assert!(annotations[..3].iter().all(|l| l.contains("lock_order_inversion")), "{out}");
        assert!(out.contains("app/src/a.rs:9:1: warning[undocumented_unsafe_send_sync] docs 8"), "{out}");
        let md = step_summary(&report, &paths());
        let inversion = md.find("| `lock_order_inversion` | warning | 3 |").expect("a row");
        assert!(inversion < md.find("| `undocumented_unsafe_send_sync` | warning | 15 |").expect("a row"), "{md}");
    }

    #[test]
    fn summary_counts_lints_and_tables_findings() {
        let sources = test_support::sources();
        let mut diagnostics = test_support::diagnostics(&sources);
        diagnostics[2].message = "a | b <script>\nnext".into();
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        let md = step_summary(&report, &paths());
        assert!(
            md.starts_with(
                "## taskcheck\n\n**2 findings** (1 error, 1 warning) in 2 files. 1 file could not be analysed.\n"
            ),
            "{md}"
        );
        assert!(md.contains("| `detached_spawn` | warning | 1 |\n"), "{md}");
        assert!(md.contains("| `parse_error` | error | 1 |\n"), "{md}");
        assert!(
            md.contains("| warning | `app/src/lib.rs:3:19` | `detached_spawn` | a \\| b &lt;script&gt; next |\n"),
            "{md}"
        );
        assert!(md.contains("| error (not analysed) | `app/src/broken.rs:1:7` | `parse_error` |"), "{md}");
        let empty = Report { sources: &sources, diagnostics: &[], files_checked: 1 };
        assert_eq!(step_summary(&empty, &paths()), "## taskcheck\n\nNo findings in 1 file.\n\n");
    }
}
