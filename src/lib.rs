//! The `cargo-taskcheck` driver: command line, discovery, the parallel run, and the outputs.
//! The analyses themselves live in the `taskcheck_lints` crate.
//!
//! [`cli`] parses, [`discover`] finds files and packages, [`run`] reads and analyses them and
//! hands a [`emit::Report`] to [`output`]. See `ARCHITECTURE.md`.

pub mod cli;
pub mod discover;
pub mod docs;
pub mod emit;
pub mod error;
pub mod levels;
pub mod nesting;
pub mod output;
pub mod run;
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
    let cli = match cli::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors go to stderr with exit 2; `--help` and `--version` to stdout with 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
