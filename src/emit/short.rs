//! One line per finding, `path:line:col: level[lint] message`, for grep and editors' problem
//! matchers (the same shape as rustc's `--error-format=short`).

use super::{one_line, shown_path, span_lines, Report};
use std::io::Write;

/// Writes one line per diagnostic, tool diagnostics included; nothing else.
pub fn emit(out: &mut dyn Write, report: &Report<'_>) -> std::io::Result<()> {
    for d in report.diagnostics {
        let (start, _) = span_lines(report.sources, d.primary.span);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            shown_path(report.sources, d.primary.span),
            start.line,
            start.col,
            d.level.header(),
            d.lint.name,
            one_line(&d.message)
        )?;
    }
    Ok(())
}

/// [`emit`] into a string.
pub fn render(report: &Report<'_>) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = emit(&mut buf, report);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_support;

    #[test]
    fn one_line_per_finding_with_char_columns() {
        let sources = test_support::sources();
        let diagnostics = test_support::diagnostics(&sources);
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        assert_eq!(
            render(&report),
            "Cargo.toml:5:1: error[sleep_in_test] a finding in the manifest: profile, panic\n\
             src/broken.rs:1:7: error[parse_error] could not parse this file: expected `)`\n\
             src/lib.rs:3:19: warning[detached_spawn] spawned thread runs forever, 100% detached\n"
        );
    }

    #[test]
    fn line_breaks_in_messages_do_not_split_records() {
        let sources = test_support::sources();
        let mut diagnostics = test_support::diagnostics(&sources);
        diagnostics[0].message = "first\nsecond".into();
        let report = Report { sources: &sources, diagnostics: &diagnostics, files_checked: 2 };
        assert!(render(&report).starts_with("Cargo.toml:5:1: error[sleep_in_test] first second\n"));
    }
}
