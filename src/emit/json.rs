//! rustc's JSON diagnostics (`--error-format=json`), one object per line, as rust-analyzer and
//! other tools that drive `cargo check --message-format=json` read them.
//!
//! The shape follows rustc's documentation of its JSON output: `$message_type: "diagnostic"`,
//! `code.code = "taskcheck::<lint>"`, spans with byte offsets, 1-based lines, 1-based columns
//! counted in Unicode scalar values with exclusive ends, `text[]` holding the source lines with
//! the highlighted columns, help, notes and suggestions as `children`, and `rendered` holding
//! what the terminal output shows for the diagnostic.

use super::{human, one_line, shown_path, span_lines, Report};
use serde::Serialize;
use std::io::Write;
use taskcheck_lints::{Diagnostic, Level, SourceMap, Span};

/// What goes into `rendered`, as cargo's `--message-format` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendered {
    /// `json`: the human rendering without colour.
    Plain,
    /// `json-diagnostic-rendered-ansi`: the human rendering with ANSI colour codes.
    Ansi,
    /// `json-diagnostic-short`: the one-line `short` form.
    Short,
    /// `json-diagnostic-short,json-diagnostic-rendered-ansi`: the short form, coloured.
    ShortAnsi,
}

/// The top-level object: rustc tags it with `"$message_type": "diagnostic"`.
#[derive(Serialize)]
struct Message<'a> {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    message: &'a str,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<JsonSpan>,
    children: Vec<JsonDiagnostic<'a>>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct JsonSpan {
    file_name: String,
    byte_start: u32,
    byte_end: u32,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

/// rustc's level words; `allow` is never reported, shown as `note` should it ever be.
fn level_word(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "note",
    }
}

fn span(sources: &SourceMap, span: Span, is_primary: bool, label: Option<&str>) -> JsonSpan {
    let file = sources.get(span.file);
    let (byte_start, byte_end) =
        (file.clamp(span.start as usize), file.clamp(span.end as usize).max(file.clamp(span.start as usize)));
    let (start, end) = span_lines(sources, span);
    let mut text = Vec::new();
    for line in start.line..=end.line {
        let line_text = file.line_text(line - 1);
        let chars = line_text.chars().count();
        let highlight_start = if line == start.line { start.col } else { 1 };
        let highlight_end = if line == end.line { end.col } else { chars + 1 };
        text.push(SpanLine { text: line_text.to_string(), highlight_start, highlight_end });
    }
    JsonSpan {
        file_name: shown_path(sources, span),
        byte_start: byte_start as u32,
        byte_end: byte_end as u32,
        line_start: start.line,
        line_end: end.line,
        column_start: start.col,
        column_end: end.col,
        is_primary,
        text,
        label: label.filter(|l| !l.is_empty()).map(str::to_string),
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}

fn child<'a>(level: &'static str, message: &'a str, spans: Vec<JsonSpan>) -> JsonDiagnostic<'a> {
    JsonDiagnostic { message, code: None, level, spans, children: Vec::new(), rendered: None }
}

fn rendered(d: &Diagnostic, sources: &SourceMap, mode: Rendered) -> String {
    match mode {
        Rendered::Plain => human::render_diagnostic(d, sources, false),
        Rendered::Ansi => human::render_diagnostic(d, sources, true),
        Rendered::Short | Rendered::ShortAnsi => {
            let (start, _) = span_lines(sources, d.primary.span);
            let header = format!("{}[{}]", d.level.header(), d.lint.name);
            let header = if mode == Rendered::ShortAnsi {
                let colour = if d.level == Level::Deny { "\x1b[1m\x1b[91m" } else { "\x1b[1m\x1b[33m" };
                format!("{colour}{header}\x1b[0m")
            } else {
                header
            };
            format!(
                "{}:{}:{}: {header} {}\n",
                shown_path(sources, d.primary.span),
                start.line,
                start.col,
                one_line(&d.message)
            )
        }
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, sources: &SourceMap, mode: Rendered) -> JsonDiagnostic<'a> {
    let mut spans = vec![span(sources, d.primary.span, true, Some(&d.primary.message))];
    spans.extend(d.labels.iter().map(|l| span(sources, l.span, false, Some(&l.message))));
    let mut children = Vec::new();
    children.extend(d.notes.iter().map(|n| child("note", n, Vec::new())));
    children.extend(d.help.iter().map(|h| child("help", h, Vec::new())));
    for s in &d.suggestions {
        let spans = s
            .edits
            .iter()
            .map(|e| {
                let mut js = span(sources, e.span, true, None);
                js.suggested_replacement = Some(e.replacement.clone());
                js.suggestion_applicability = Some(s.applicability.rustc_name());
                js
            })
            .collect();
        children.push(child("help", &s.message, spans));
    }
    JsonDiagnostic {
        message: &d.message,
        code: Some(Code { code: format!("taskcheck::{}", d.lint.name), explanation: None }),
        level: level_word(d.level),
        spans,
        children,
        rendered: Some(rendered(d, sources, mode)),
    }
}

/// Writes one JSON object per diagnostic, each on its own line; nothing else.
pub fn emit(out: &mut dyn Write, report: &Report<'_>, mode: Rendered) -> std::io::Result<()> {
    for d in report.diagnostics {
        let message = Message { message_type: "diagnostic", diagnostic: diagnostic(d, report.sources, mode) };
        serde_json::to_writer(&mut *out, &message)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// [`emit`] into a string.
pub fn render(report: &Report<'_>, mode: Rendered) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail, and every value here serializes.
    let _ = emit(&mut buf, report, mode);
    String::from_utf8_lossy(&buf).into_owned()
}

/// A diagnostic about the run itself (a usage or configuration error), with no span, so that a
/// JSON consumer always gets at least one line before a non-zero exit.
pub fn error_line(message: &str, help: Option<&str>) -> String {
    let mut rendered = format!("error: {message}\n");
    let mut children = Vec::new();
    if let Some(help) = help {
        rendered.push_str(&format!("help: {help}\n"));
        children.push(child("help", help, Vec::new()));
    }
    let message = Message {
        message_type: "diagnostic",
        diagnostic: JsonDiagnostic {
            message,
            code: None,
            level: "error",
            spans: Vec::new(),
            children,
            rendered: Some(rendered),
        },
    };
    // Strings and vectors always serialize.
    serde_json::to_string(&message).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_support;
    use cargo_metadata::diagnostic::{Applicability, Diagnostic as CmDiagnostic, DiagnosticLevel};
    use serde_json::Value;

    fn lines(mode: Rendered) -> Vec<String> {
        let sources = test_support::sources();
        let diagnostics = test_support::diagnostics(&sources);
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        render(&report, mode).lines().map(str::to_string).collect()
    }

    #[test]
    fn every_line_is_a_rustc_diagnostic() {
        let lines = lines(Rendered::Plain);
        assert_eq!(lines.len(), 3);
        for line in &lines {
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["$message_type"], "diagnostic");
            let d: CmDiagnostic = serde_json::from_str(line).unwrap();
            assert!(d.code.unwrap().code.starts_with("taskcheck::"));
            assert!(d.rendered.is_some());
        }
    }

    #[test]
    fn spans_count_bytes_and_chars() {
        let lines = lines(Rendered::Plain);
        let d: CmDiagnostic = serde_json::from_str(&lines[2]).unwrap();
        assert_eq!(d.level, DiagnosticLevel::Warning);
        assert_eq!(d.code.as_ref().unwrap().code, "taskcheck::detached_spawn");
        assert_eq!(d.message, "spawned thread runs forever, 100% detached");
        let primary = &d.spans[0];
        assert!(primary.is_primary);
        assert_eq!(primary.file_name, "src/lib.rs");
        let start = test_support::LIB.find("thread::spawn").unwrap();
        assert_eq!((primary.byte_start as usize, primary.byte_end as usize), (start, start + "thread::spawn".len()));
        // `    let s = "é😀"; ` is 18 scalar values (but 23 bytes and 19 UTF-16 units).
        assert_eq!((primary.line_start, primary.column_start, primary.column_end), (3, 19, 32));
        assert_eq!(primary.text[0].text, "    let s = \"é😀\"; thread::spawn(move || loop { work(&rx) });");
        assert_eq!((primary.text[0].highlight_start, primary.text[0].highlight_end), (19, 32));
        assert_eq!(primary.label.as_deref(), Some("the `JoinHandle` is dropped here"));
        let secondary = &d.spans[1];
        assert!(!secondary.is_primary);
        assert_eq!(secondary.label.as_deref(), Some("this loop has no exit"));
    }

    #[test]
    fn help_notes_and_suggestions_are_children() {
        let lines = lines(Rendered::Plain);
        let d: CmDiagnostic = serde_json::from_str(&lines[2]).unwrap();
        let kinds: Vec<_> = d.children.iter().map(|c| (c.level, c.message.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (DiagnosticLevel::Note, "rule 1 (clear exit): a detached task leaks its memory"),
                (DiagnosticLevel::Help, "keep the `JoinHandle`\nand join it on shutdown"),
                (DiagnosticLevel::Help, "bind the handle"),
                (DiagnosticLevel::Help, "or join it"),
            ]
        );
        let fix = &d.children[2].spans[0];
        assert_eq!(fix.suggested_replacement.as_deref(), Some("let _worker = "));
        assert_eq!(fix.suggestion_applicability, Some(Applicability::MachineApplicable));
        assert_eq!(fix.byte_start, fix.byte_end);
        assert_eq!(d.children[3].spans[0].suggestion_applicability, Some(Applicability::HasPlaceholders));
        assert!(d.children.iter().all(|c| c.rendered.is_none() && c.code.is_none()));
    }

    #[test]
    fn rendered_is_the_human_output() {
        let plain = lines(Rendered::Plain);
        let d: CmDiagnostic = serde_json::from_str(&plain[2]).unwrap();
        let rendered = d.rendered.unwrap();
        assert!(rendered.starts_with("warning[detached_spawn]: spawned thread runs forever"), "{rendered}");
        assert!(rendered.contains("--> src/lib.rs:3:19"), "{rendered}");
        assert!(!rendered.contains('\x1b'));
        let ansi = lines(Rendered::Ansi);
        let d: CmDiagnostic = serde_json::from_str(&ansi[2]).unwrap();
        assert!(d.rendered.unwrap().contains("\x1b["));
        let short = lines(Rendered::Short);
        let d: CmDiagnostic = serde_json::from_str(&short[2]).unwrap();
        assert_eq!(
            d.rendered.unwrap(),
            "src/lib.rs:3:19: warning[detached_spawn] spawned thread runs forever, 100% detached\n"
        );
    }

    #[test]
    fn manifest_and_tool_diagnostics() {
        let lines = lines(Rendered::Plain);
        let manifest: CmDiagnostic = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(manifest.spans[0].file_name, "Cargo.toml");
        assert_eq!(manifest.level, DiagnosticLevel::Error);
        assert_eq!(manifest.spans[0].text[0].text, "panic = \"abort\"");
        let parse: CmDiagnostic = serde_json::from_str(&lines[1]).unwrap();
        assert_eq!(parse.code.unwrap().code, "taskcheck::parse_error");
        assert_eq!(parse.spans[0].file_name, "src/broken.rs");
    }

    #[test]
    fn multi_line_spans_highlight_each_line() {
        let mut sources = SourceMap::default();
        let id = sources.add(taskcheck_lints::SourceFile::new("a.rs", "fn f() {\n    x\n}\n"));
        let d = Diagnostic::new(test_support::lint("detached_spawn"), Span::new(id, 7, 16), "m");
        let report = Report { sources: &sources, diagnostics: std::slice::from_ref(&d), files_checked: 1 };
        let out = render(&report, Rendered::Plain);
        let d: CmDiagnostic = serde_json::from_str(out.trim_end()).unwrap();
        let s = &d.spans[0];
        assert_eq!((s.line_start, s.column_start, s.line_end, s.column_end), (1, 8, 3, 2));
        let hl: Vec<_> = s.text.iter().map(|t| (t.highlight_start, t.highlight_end)).collect();
        assert_eq!(hl, vec![(8, 9), (1, 6), (1, 2)]);
    }

    #[test]
    fn usage_errors_are_diagnostics_too() {
        let line = error_line("unexpected argument '--frobnicate'", Some("see --help"));
        let d: CmDiagnostic = serde_json::from_str(&line).unwrap();
        assert_eq!(d.level, DiagnosticLevel::Error);
        assert!(d.spans.is_empty());
        assert_eq!(d.children[0].message, "see --help");
        assert!(!line.contains('\n'));
    }
}
