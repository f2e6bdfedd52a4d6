//! Writing the report in the chosen format (`--format`/`--message-format`) to stdout or to
//! `--output FILE`, with colours for the human format on a terminal, and the GitHub job
//! summary.

use crate::adopt::Extras;
use crate::cli::{ColorWhen, Format, OutputArgs};
use crate::emit::{github, human, json, sarif, short, RepoPaths, Report};
use crate::error::Error;
use codespan_reporting::term::termcolor::{ColorChoice, NoColor, StandardStream, WriteColor};
use codespan_reporting::term::WriteStyle;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Writes the report; `cwd` is what the report's relative paths are relative to. `extras` are
/// the adoption controls' additions: suppressed findings and summary notes (human format),
/// statistics (a table in the human and short formats, one JSON object in JSON, on stderr
/// for SARIF and GitHub so that their output stays valid).
pub fn print(options: &OutputArgs, report: &Report<'_>, cwd: &Path, extras: &Extras<'_>) -> Result<(), Error> {
    let format = options.format();
    let paths = RepoPaths::for_cwd(cwd);
    let written = match &options.output {
        Some(file) => {
            let f = std::fs::File::create(file)
                .map_err(|e| Error::new(format!("cannot create {}: {e}", file.display())))?;
            let mut out = NoColor::new(std::io::BufWriter::new(f));
            write_report(&mut out, format, options.quiet, report, &paths, extras).and_then(|()| out.get_mut().flush())
        }
        None => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let choice = color_choice(options.color, no_color, std::io::stdout().is_terminal());
            let stream = StandardStream::stdout(choice);
            let mut out = stream.lock();
            write_report(&mut out, format, options.quiet, report, &paths, extras).and_then(|()| out.flush())
        }
    };
    match written {
        // The reader went away (`| head`): what it wanted was written; the exit code still counts.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(Error::new(format!("cannot write the report: {e}"))),
        Ok(()) => {}
    }
    if format == Format::Github {
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) {
            append_step_summary(Path::new(&summary), &github::step_summary(report, &paths))?;
        }
    }
    Ok(())
}

fn write_report<W: WriteColor>(
    out: &mut W,
    format: Format,
    quiet: bool,
    report: &Report<'_>,
    paths: &RepoPaths,
    extras: &Extras<'_>,
) -> std::io::Result<()> {
    let statistics = extras.statistics.as_ref();
    match format {
        Format::Human => write_human(out, quiet, report, extras),
        Format::Short => {
            short::emit(out, report)?;
            statistics.map_or(Ok(()), |s| write!(out, "{}", s.table()))
        }
        Format::Json(rendered) => {
            json::emit(out, report, rendered)?;
            statistics.map_or(Ok(()), |s| writeln!(out, "{}", s.json()))
        }
        Format::Sarif | Format::Github => {
            if format == Format::Sarif {
                sarif::emit(out, report, paths)?;
            } else {
                github::emit(out, report, paths)?;
            }
            if let Some(s) = statistics {
                eprint!("{}", s.table());
            }
            Ok(())
        }
    }
}

/// Findings, suppressed findings (`--show-suppressed`), statistics (`--statistics`), then the
/// summary line with the adoption notes (not with `--quiet`).
fn write_human(out: &mut dyn WriteStyle, quiet: bool, report: &Report<'_>, extras: &Extras<'_>) -> std::io::Result<()> {
    human::emit_diagnostics(out, report)?;
    if let Some(suppressed) = extras.suppressed {
        human::emit_suppressed(out, report, suppressed)?;
    }
    if let Some(statistics) = &extras.statistics {
        write!(out, "{}", statistics.table())?;
    }
    if !quiet {
        writeln!(out, "{}", human::summary_with(report, &extras.summary_notes))?;
    }
    Ok(())
}

/// `$GITHUB_STEP_SUMMARY` is shared by every step of the job: append, never truncate.
fn append_step_summary(path: &Path, markdown: &str) -> Result<(), Error> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(markdown.as_bytes()))
        .map_err(|e| Error::new(format!("cannot write the job summary to {}: {e}", path.display())))
}

/// `--color` (or `CARGO_TERM_COLOR`, which clap reads as its default) decides; a non-empty
/// `NO_COLOR` turns everything but an explicit `always` off; `auto` colours terminals only.
pub fn color_choice(flag: Option<ColorWhen>, no_color: bool, stdout_is_terminal: bool) -> ColorChoice {
    match flag.unwrap_or(ColorWhen::Auto) {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        _ if no_color || !stdout_is_terminal => ColorChoice::Never,
        // termcolor's `Auto` still honours `TERM=dumb`.
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_choice_precedence() {
        use ColorWhen::*;
        assert_eq!(color_choice(Some(Always), true, false), ColorChoice::Always);
        assert_eq!(color_choice(Some(Never), false, true), ColorChoice::Never);
        assert_eq!(color_choice(Some(Auto), true, true), ColorChoice::Never);
        assert_eq!(color_choice(None, false, false), ColorChoice::Never);
        assert_eq!(color_choice(None, false, true), ColorChoice::Auto);
    }
}
