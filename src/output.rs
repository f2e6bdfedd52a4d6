//! Writing the report to stdout in the chosen format (today: the human one) and colours.

use crate::cli::{ColorWhen, OutputArgs};
use crate::emit::{human, Report};
use crate::error::Error;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;

pub fn print(options: &OutputArgs, report: &Report<'_>) -> Result<(), Error> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let choice = color_choice(options.color, no_color, std::io::stdout().is_terminal());
    let stream = StandardStream::stdout(choice);
    let mut out = stream.lock();
    let written = if options.quiet { human::emit_diagnostics(&mut out, report) } else { human::emit(&mut out, report) };
    match written {
        // The reader went away (`| head`): what it wanted was written; the exit code still counts.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::new(format!("cannot write the report: {e}"))),
        Ok(()) => Ok(()),
    }
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
