//! The `cargo-taskcheck` driver: command line, discovery, the parallel run, and the outputs.
//! The analyses themselves live in the `taskcheck_lints` crate.
//!
//! [`cli`] parses, [`discover`] finds files and packages, [`analysis`] reads and analyses
//! them, [`adopt`] applies the baseline, diff and fixes, and [`output`] prints the
//! [`emit::Report`]; [`run`] ties these steps together and [`outcome`] gives the exit code.
//! See `ARCHITECTURE.md`.

pub mod adopt;
pub mod analysis;
pub mod cache;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod docs;
pub mod emit;
pub mod error;
pub mod levels;
pub mod outcome;
pub mod output;
pub mod precision;
pub mod run;
mod stamp;
mod suggest;

pub use taskcheck_lints as lints;

use std::ffi::OsString;
use std::process::ExitCode;

/// The whole program, from the process arguments (program name first) to its exit code.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    analysis::fixed_mmap_threshold();
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Editors read only JSON from stdout: in JSON mode a failure is also a JSON line there.
    let json = cli::wants_json(&args);
    let cli = match cli::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors go to stderr with exit 2; `--help` and `--version` to stdout with 0.
            let _ = e.print();
            let code = e.exit_code();
            if json && code != 0 {
                json_error(&clap_message(&e), Some("run `cargo taskcheck --help` for the options"));
            }
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    match run::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("{e}");
            if json {
                json_error(&e.message, e.help.as_deref());
            }
            ExitCode::from(2)
        }
    }
}

fn json_error(message: &str, help: Option<&str>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{}", emit::json::error_line(message, help));
}

/// clap's message without its `error: ` prefix, usage and help lines.
fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}
