//! The command line: what the user asked for, parsed and nothing more. Running it is
//! [`crate::run`]'s job, so new flags (formats, configuration, baselines) are added here as new
//! fields of one of the argument groups below without touching how a run is carried out.

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use taskcheck_lints::Level;

const EXIT_STATUS: &str = "Exit status: 0 no findings; 1 findings; 2 a usage error, or a file that could not be \
                           read or parsed (2 wins over 1).";

/// Clippy-style static analysis for threads and async tasks: leaks, hangs, races and lost panics.
///
/// With no PATH, checks the Cargo package in the current directory (in a virtual workspace
/// root: its default members). With PATHs, checks those files and folders, no Cargo.toml needed.
#[derive(Debug, Parser)]
#[command(name = "cargo-taskcheck", bin_name = "cargo taskcheck", version, after_long_help = EXIT_STATUS)]
pub struct Cli {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub levels: LevelArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What to check: Cargo packages, or explicit files and folders.
#[derive(Debug, Args)]
#[command(next_help_heading = "Package selection")]
pub struct InputArgs {
    /// Rust files or folders to check instead of Cargo packages
    #[arg(value_name = "PATH", conflicts_with_all = ["manifest_path", "package", "workspace"])]
    pub paths: Vec<PathBuf>,

    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Package to check (repeatable)
    #[arg(short, long = "package", value_name = "NAME")]
    pub package: Vec<String>,

    /// Check every package of the workspace
    #[arg(long, conflicts_with = "package")]
    pub workspace: bool,

    /// Package to leave out, with --workspace (repeatable)
    #[arg(long, value_name = "NAME", requires = "workspace")]
    pub exclude: Vec<String>,
}

/// Lint level overrides, as rustc and Clippy spell them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Lint levels")]
pub struct LevelArgs {
    /// Report LINT as a warning (`warnings`: every warn-level lint)
    #[arg(short = 'W', long = "warn", value_name = "LINT")]
    warn: Vec<String>,

    /// Do not report LINT
    #[arg(short = 'A', long = "allow", value_name = "LINT")]
    allow: Vec<String>,

    /// Report LINT as an error (`-D warnings`: every warn-level lint)
    #[arg(short = 'D', long = "deny", value_name = "LINT")]
    deny: Vec<String>,

    /// Every `-W`/`-A`/`-D`, in command-line order: a later flag overrides an earlier one for
    /// the same lint, as in rustc. Filled by [`parse`]; clap's per-flag lists lose the order.
    #[arg(skip)]
    pub ordered: Vec<(Level, String)>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// When to colour the output [default: auto; NO_COLOR turns auto into never]
    #[arg(long, value_enum, value_name = "WHEN", env = "CARGO_TERM_COLOR")]
    pub color: Option<ColorWhen>,

    /// Print findings only: no summary line
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Parses the process arguments (`args[0]` is the program). Cargo runs a subcommand as
/// `cargo-taskcheck taskcheck …`; that second word is dropped so both spellings behave alike.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).is_some_and(|a| a == "taskcheck") {
        args.remove(1);
    }
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.levels.ordered = ordered_levels(&matches);
    Ok(cli)
}

fn ordered_levels(matches: &ArgMatches) -> Vec<(Level, String)> {
    let mut indexed = Vec::new();
    for (id, level) in [("warn", Level::Warn), ("allow", Level::Allow), ("deny", Level::Deny)] {
        let (Some(indices), Some(values)) = (matches.indices_of(id), matches.get_many::<String>(id)) else {
            continue;
        };
        indexed.extend(indices.zip(values).map(|(i, name)| (i, level, name.clone())));
    }
    indexed.sort_by_key(|(i, _, _)| *i);
    indexed.into_iter().map(|(_, level, name)| (level, name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(args: &[&str]) -> Cli {
        parse(args.iter().copied()).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    #[test]
    fn cargo_subcommand_word_is_dropped() {
        let cli = parse_ok(&["cargo-taskcheck", "taskcheck", "--workspace"]);
        assert!(cli.input.workspace);
        assert!(cli.input.paths.is_empty());
        let cli = parse_ok(&["cargo-taskcheck", "src/"]);
        assert_eq!(cli.input.paths, vec![PathBuf::from("src/")]);
    }

    #[test]
    fn level_flags_keep_command_line_order() {
        let cli = parse_ok(&["cargo-taskcheck", "-D", "a", "-A", "b", "-W", "a", "--deny=c"]);
        assert_eq!(
            cli.levels.ordered,
            vec![
                (Level::Deny, "a".to_string()),
                (Level::Allow, "b".to_string()),
                (Level::Warn, "a".to_string()),
                (Level::Deny, "c".to_string()),
            ]
        );
    }

    #[test]
    fn conflicting_selections_are_usage_errors() {
        for args in [
            &["cargo-taskcheck", "--exclude", "x"][..],
            &["cargo-taskcheck", "--workspace", "-p", "x"],
            &["cargo-taskcheck", "-p", "x", "src/lib.rs"],
            &["cargo-taskcheck", "--color", "sometimes"],
        ] {
            let err = parse(args.iter().copied()).expect_err(&format!("{args:?} must fail"));
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
