//! Writing the report in the chosen format (`--format`/`--message-format`) to stdout or to
//! `--output FILE`, with colours for the human format on a terminal, and the GitHub job
//! summary.

use crate::cli::{ColorWhen, Format, OutputArgs};
use crate::emit::{github, human, json, sarif, short, RepoPaths, Report};
use crate::error::Error;
use codespan_reporting::term::termcolor::{ColorChoice, NoColor, StandardStream, WriteColor};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Writes the report; `cwd` is what the report's relative paths are relative to.
pub fn print(options: &OutputArgs, report: &Report<'_>, cwd: &Path) -> Result<(), Error> {
    let format = options.format();
    let paths = RepoPaths::for_cwd(cwd);
    let written = match &options.output {
        Some(file) => {
            let f = std::fs::File::create(file)
                .map_err(|e| Error::new(format!("cannot create {}: {e}", file.display())))?;
            let mut out = NoColor::new(std::io::BufWriter::new(f));
            write_report(&mut out, format, options.quiet, report, &paths).and_then(|()| out.get_mut().flush())
        }
        None => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let choice = color_choice(options.color, no_color, std::io::stdout().is_terminal());
            let stream = StandardStream::stdout(choice);
            let mut out = stream.lock();
            write_report(&mut out, format, options.quiet, report, &paths).and_then(|()| out.flush())
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
) -> std::io::Result<()> {
    match format {
        Format::Human if quiet => human::emit_diagnostics(out, report),
        Format::Human => human::emit(out, report),
        Format::Short => short::emit(out, report),
        Format::Json(rendered) => json::emit(out, report, rendered),
        Format::Sarif => sarif::emit(out, report, paths),
        Format::Github => github::emit(out, report, paths),
    }
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
