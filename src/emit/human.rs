//! The terminal format: rustc-style diagnostics with source snippets, then a summary line.

use super::Report;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Chars, Config, WriteStyle};
use std::ops::Range;
use taskcheck_lints::registry::tool;
use taskcheck_lints::suppress::Suppressed;
use taskcheck_lints::{Diagnostic, FileId, Level, SourceMap};

/// Adapts the run's [`SourceMap`] to what codespan-reporting reads.
struct SourceFiles<'a>(&'a SourceMap);

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(display_path(&self.0.get(id).path))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id);
        if line_index >= file.line_count() {
            return Err(FilesError::LineTooLarge { given: line_index, max: file.line_count() - 1 });
        }
        let r = file.line_range(line_index);
        // codespan wants the range to include the line terminator.
        let end = if line_index + 1 < file.line_count() { self_line_start(file, line_index + 1) } else { r.end };
        Ok(r.start..end)
    }
}

fn self_line_start(file: &taskcheck_lints::SourceFile, line: usize) -> usize {
    file.line_range(line).start
}

/// Paths print with `/` on every platform, as rustc prints them in its diagnostics.
pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn config() -> Config {
    Config { chars: Chars::ascii(), ..Config::default() }
}

/// Converts one diagnostic to codespan's model.
fn to_codespan(d: &Diagnostic, sources: &SourceMap) -> CsDiagnostic<FileId> {
    let severity = match d.level {
        Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Allow => Severity::Note,
    };
    let clamp = |span: taskcheck_lints::Span| {
        let f = sources.get(span.file);
        f.clamp(span.start as usize)..f.clamp(span.end as usize)
    };
    let mut labels =
        vec![CsLabel::primary(d.primary.span.file, clamp(d.primary.span)).with_message(&d.primary.message)];
    for l in &d.labels {
        labels.push(CsLabel::secondary(l.span.file, clamp(l.span)).with_message(&l.message));
    }
    let mut notes: Vec<String> = Vec::new();
    for h in &d.help {
        notes.push(format!("help: {h}"));
    }
    for s in &d.suggestions {
        let edits: Vec<String> = s
            .edits
            .iter()
            .map(|e| {
                let f = sources.get(e.span.file);
                let lc = f.line_col(e.span.start as usize);
                let replacement = e.replacement.trim_end_matches('\n');
                if e.span.start == e.span.end {
                    format!("insert `{replacement}` at {}:{}", lc.line, lc.col)
                } else if replacement.is_empty() {
                    format!("remove `{}`", f.snippet(e.span).trim_end_matches(['\n', '\r']))
                } else {
                    format!("replace `{}` with `{replacement}`", f.snippet(e.span))
                }
            })
            .collect();
        notes.push(format!(
            "suggestion ({}): {}: {}",
            applicability_words(s.applicability),
            s.message,
            edits.join("; ")
        ));
    }
    for n in &d.notes {
        notes.push(format!("note: {n}"));
    }
    if !tool::ALL.contains(&d.lint) {
        notes.push(format!("note: for further information visit {}", crate::docs::lint_url(d.lint)));
    }
    CsDiagnostic::new(severity).with_code(d.lint.name).with_message(&d.message).with_labels(labels).with_notes(notes)
}

fn applicability_words(a: taskcheck_lints::Applicability) -> &'static str {
    match a {
        taskcheck_lints::Applicability::MachineApplicable => "machine-applicable",
        taskcheck_lints::Applicability::MaybeIncorrect => "maybe-incorrect",
        taskcheck_lints::Applicability::HasPlaceholders => "has-placeholders",
        taskcheck_lints::Applicability::Unspecified => "unspecified",
    }
}

/// Writes every diagnostic, then the summary line.
pub fn emit(out: &mut dyn WriteStyle, report: &Report<'_>) -> std::io::Result<()> {
    emit_diagnostics(out, report)?;
    writeln!(out, "{}", summary(report))
}

/// Writes every diagnostic, most costly first ([`super::by_cost`]), without the summary
/// (`--quiet`).
pub fn emit_diagnostics(out: &mut dyn WriteStyle, report: &Report<'_>) -> std::io::Result<()> {
    let files = SourceFiles(report.sources);
    let config = config();
    for d in super::by_cost(report.diagnostics) {
        term::emit_to_write_style(out, &config, &files, &to_codespan(d, report.sources)).map_err(|e| match e {
            FilesError::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}

/// Writes the findings suppression comments suppressed, as notes (`--show-suppressed`).
pub fn emit_suppressed(
    out: &mut dyn WriteStyle,
    report: &Report<'_>,
    suppressed: &[Suppressed],
) -> std::io::Result<()> {
    let files = SourceFiles(report.sources);
    let config = config();
    for s in suppressed {
        let mut d = s.diagnostic.clone();
        d.level = Level::Allow;
        d.message = format!("suppressed: {}", d.message);
        let file = report.sources.get(s.comment.file);
        let at = file.line_col(s.comment.start as usize);
        let by = format!("suppressed by the comment at {}:{}:{}", display_path(file.path()), at.line, at.col);
        d.notes.insert(
            0,
            match &s.reason {
                Some(reason) => format!("{by}: {reason}"),
                None => format!("{by} (it gives no reason)"),
            },
        );
        term::emit_to_write_style(out, &config, &files, &to_codespan(&d, report.sources)).map_err(|e| match e {
            FilesError::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}

/// The summary, with the adoption notes in parentheses: `taskcheck: 2 warnings in 57 files
/// (3 suppressed, 10 in the baseline)`.
pub fn summary_with(report: &Report<'_>, notes: &[String]) -> String {
    let line = summary(report);
    if notes.is_empty() {
        line
    } else {
        format!("{line} ({})", notes.join(", "))
    }
}

/// `taskcheck: 1 error (double_lock), 2 warnings in 57 files`: errors first, with the lints
/// that fail the build named, most costly first (three at most).
pub fn summary(report: &Report<'_>) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let warnings = report.count(Level::Warn);
    let errors = report.count(Level::Deny);
    let files = plural(report.files_checked, "file");
    if warnings == 0 && errors == 0 {
        return format!("taskcheck: no findings in {files}");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        let mut names: Vec<&str> = Vec::new();
        for d in super::by_cost(report.diagnostics).into_iter().filter(|d| d.level == Level::Deny) {
            if !names.contains(&d.lint.name) {
                names.push(d.lint.name);
            }
        }
        let shown = if names.len() > 3 { format!("{}, …", names[..3].join(", ")) } else { names.join(", ") };
        parts.push(format!("{} ({shown})", plural(errors, "error")));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    format!("taskcheck: {} in {files}", parts.join(", "))
}

/// Renders without colour into a string (UI tests, `--output`).
pub fn render_plain(report: &Report<'_>) -> String {
    let mut buf = Vec::new();
    {
        let mut writer = codespan_reporting::term::termcolor::NoColor::new(&mut buf);
        let _ = emit(&mut writer, report);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// One diagnostic as the terminal shows it, for the `rendered` field of JSON output: with ANSI
/// colour codes when `ansi` (cargo's `json-diagnostic-rendered-ansi`), plain otherwise.
pub fn render_diagnostic(d: &Diagnostic, sources: &SourceMap, ansi: bool) -> String {
    use codespan_reporting::term::termcolor::{Ansi, NoColor};
    let files = SourceFiles(sources);
    let diagnostic = to_codespan(d, sources);
    let mut buf = Vec::new();
    // Writing into a Vec only fails on a file lookup error, which `SourceFiles` never returns
    // for a file of the map; the output is then simply cut short.
    let _ = if ansi {
        term::emit_to_write_style(&mut Ansi::new(&mut buf), &config(), &files, &diagnostic)
    } else {
        term::emit_to_write_style(&mut NoColor::new(&mut buf), &config(), &files, &diagnostic)
    };
    String::from_utf8_lossy(&buf).into_owned()
}
