//! The command line: what the user asked for, parsed and nothing more. Running it is
//! [`crate::run`]'s job, so new flags (formats, configuration, baselines) are added here as new
//! fields of one of the argument groups below without touching how a run is carried out.

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use taskcheck_lints::Level;

pub use crate::emit::json::Rendered;

const EXIT_STATUS: &str = "Exit status: 0 no findings; 1 findings at or above --fail-on (warning by default); 2 a \
                           usage error, or a file that could not be read or parsed (2 wins over 1; with --fail-on \
                           never, only a usage error exits non-zero).";

/// Clippy-style static analysis for threads and async tasks: leaks, hangs, races and lost panics.
///
/// With no PATH, checks the Cargo package in the current directory (in a virtual workspace
/// root: its default members). With PATHs, checks those files and folders, no Cargo.toml needed.
#[derive(Debug, Parser)]
#[command(name = "cargo-taskcheck", bin_name = "cargo taskcheck", version, after_long_help = EXIT_STATUS)]
pub struct Cli {
    /// With no subcommand, the code is checked.
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub levels: LevelArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub check: CheckArgs,
    #[command(flatten)]
    pub adoption: AdoptionArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// What to do instead of checking.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the documentation of a lint
    Explain {
        /// The lint's name, as in `warning[detached_spawn]`
        #[arg(value_name = "LINT")]
        lint: String,
    },
    /// List every lint with its rule, default level and summary
    List,
}

/// Adopting taskcheck on an existing code base: suppressions, baselines, pull-request mode,
/// fixes and statistics.
#[derive(Debug, Args)]
#[command(next_help_heading = "Adoption")]
pub struct AdoptionArgs {
    /// Also list the findings that `// taskcheck: allow(…)` comments suppress (human format)
    #[arg(long)]
    pub show_suppressed: bool,

    /// Record every current finding in FILE (JSON) and exit 0; use it later with --baseline
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that are not in the baseline FILE
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Report only findings on lines added or changed since the git revision REV
    #[arg(long, value_name = "REV")]
    pub diff_base: Option<String>,

    /// Apply machine-applicable fixes in place
    #[arg(long)]
    pub fix: bool,

    /// With --fix: print the fixes as a unified diff instead of writing them
    #[arg(long, requires = "fix")]
    pub diff: bool,

    /// With --fix: also write to files git shows uncommitted changes in
    #[arg(long, requires = "fix")]
    pub allow_dirty: bool,

    /// Print the number of findings per lint and per rule
    #[arg(long)]
    pub statistics: bool,
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

    /// Read the workspace from the manifests instead of `cargo metadata`, as a run does when
    /// cargo fails (for tests comparing the two)
    #[arg(long, hide = true)]
    pub no_cargo_metadata: bool,
}

/// Lint level overrides, as rustc and Clippy spell them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Lint levels")]
pub struct LevelArgs {
    /// Report LINT as a warning; LINT may be a category (`correctness`, `suspicious`,
    /// `documentation`, `pedantic`, `nursery`), a rule group (`rule-1` … `rule-12`, `labels`),
    /// `all` or `warnings` (every warn-level lint)
    #[arg(short = 'W', long = "warn", value_name = "LINT")]
    warn: Vec<String>,

    /// Do not report LINT (a lint, a category, `rule-N`, `labels` or `all`)
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

    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "message_format")]
    pub format: Option<FormatArg>,

    /// cargo's and rust-analyzer's spelling of --format: json, json-diagnostic-rendered-ansi,
    /// json-diagnostic-short, human, short (comma-separated or repeated, as cargo takes them)
    #[arg(long, value_enum, value_name = "FMT", value_delimiter = ',', hide_possible_values = true)]
    pub message_format: Vec<MessageFormat>,

    /// Write the report to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Which findings make the exit code 1
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
}

impl OutputArgs {
    /// The format to write, from --format or --message-format (human when neither is given).
    /// Conflicting --message-format values were refused by [`parse`].
    pub fn format(&self) -> Format {
        if let Some(f) = self.format {
            return match f {
                FormatArg::Human => Format::Human,
                FormatArg::Short => Format::Short,
                FormatArg::Json => Format::Json(Rendered::Plain),
                FormatArg::Sarif => Format::Sarif,
                FormatArg::Github => Format::Github,
            };
        }
        message_format(&self.message_format).unwrap_or(Format::Human)
    }
}

/// The formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// rustc-style diagnostics with source snippets, and a summary line
    Human,
    /// One line per finding: `path:line:col: level[lint] message`
    Short,
    /// rustc's JSON diagnostics, one per line (what rust-analyzer reads)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers
    Sarif,
    /// GitHub Actions annotations, and a job summary when GITHUB_STEP_SUMMARY is set
    Github,
}

/// The values of `--message-format`, spelled as cargo spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
    JsonDiagnosticShort,
    JsonDiagnosticRenderedAnsi,
}

/// What a run writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json(Rendered),
    Sarif,
    Github,
}

impl Format {
    pub fn is_json(self) -> bool {
        matches!(self, Format::Json(_))
    }
}

/// Combines `--message-format` values as cargo does: the `json-diagnostic-*` modifiers imply
/// `json` and choose what its `rendered` field holds. `None` for no values; an error for a
/// mix of human, short and JSON.
fn message_format(values: &[MessageFormat]) -> Option<Format> {
    use MessageFormat::*;
    let (mut json, mut short_rendered, mut ansi, mut plain) = (false, false, false, None);
    for v in values {
        match v {
            Human => plain = Some(Format::Human),
            Short => plain = Some(Format::Short),
            Json => json = true,
            JsonDiagnosticShort => (json, short_rendered) = (true, true),
            JsonDiagnosticRenderedAnsi => (json, ansi) = (true, true),
        }
    }
    match (json, plain) {
        (false, plain) => plain,
        (true, Some(_)) => None,
        (true, None) => Some(Format::Json(match (short_rendered, ansi) {
            (false, false) => Rendered::Plain,
            (false, true) => Rendered::Ansi,
            (true, false) => Rendered::Short,
            (true, true) => Rendered::ShortAnsi,
        })),
    }
}

/// `--fail-on`: the least severe finding that makes the exit code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors only (lints at `deny`, or raised with -D)
    Error,
    /// Warnings and errors
    Warning,
    /// Never: exit 0 whenever a report was written
    Never,
}

/// Flags for editors and for `cargo check` run alongside.
#[derive(Debug, Args)]
#[command(next_help_heading = "rust-analyzer and cargo check")]
pub struct CheckArgs {
    /// Also run `cargo check --message-format=json` for the same packages and print its lines
    /// first, so an editor shows compiler errors too
    #[arg(long, conflicts_with = "paths")]
    pub with_check: bool,

    /// Passed on to cargo check (taskcheck always reads every target)
    #[arg(long)]
    pub all_targets: bool,

    /// Passed on to cargo check (taskcheck always goes on after a failing file)
    #[arg(long)]
    pub keep_going: bool,

    /// Passed on to cargo check (taskcheck reads code under every `cfg`)
    #[arg(short = 'F', long, value_name = "FEATURES")]
    pub features: Vec<String>,

    /// Passed on to cargo check
    #[arg(long)]
    pub all_features: bool,

    /// Passed on to cargo check
    #[arg(long)]
    pub no_default_features: bool,

    /// Passed on to cargo check
    #[arg(long, value_name = "TRIPLE")]
    pub target: Vec<String>,

    /// Passed on to cargo check
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How the analysis itself runs: the cache, and switches for testing and measuring taskcheck.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Cache")]
pub struct RunArgs {
    /// Analyse every file again, without reading or writing the per-file cache in
    /// <target>/taskcheck/
    #[arg(long)]
    pub no_cache: bool,

    /// Parse every file, also those no enabled lint can fire in (to check that the prefilter
    /// changes no finding; syntax errors in such files are then reported too)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
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
    let mut command = Cli::command();
    let matches = command.try_get_matches_from_mut(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.levels.ordered = ordered_levels(&matches);
    if !cli.output.message_format.is_empty() && message_format(&cli.output.message_format).is_none() {
        return Err(command.error(
            clap::error::ErrorKind::ArgumentConflict,
            "--message-format cannot mix `human` or `short` with the JSON formats",
        ));
    }
    Ok(cli)
}

/// Whether the raw arguments ask for JSON, read before (and whatever) clap makes of them: a
/// usage error must then still be a line of JSON, since editors read only JSON from stdout.
pub fn wants_json<T: AsRef<std::ffi::OsStr>>(args: &[T]) -> bool {
    let args: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    let mut json = false;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        let value = |flag: &str| {
            arg.strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_string)
                .or_else(|| (arg == flag).then(|| args.get(i + 1).cloned()).flatten())
        };
        if let Some(v) = value("--message-format") {
            json = v.split(',').any(|part| part.trim().starts_with("json"));
        } else if let Some(v) = value("--format") {
            json = v == "json";
        }
    }
    json
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
    fn formats_and_their_cargo_spellings() {
        let format = |args: &[&str]| parse_ok(&[&["cargo-taskcheck"], args].concat()).output.format();
        assert_eq!(format(&[]), Format::Human);
        assert_eq!(format(&["--format", "sarif"]), Format::Sarif);
        assert_eq!(format(&["--format=github"]), Format::Github);
        assert_eq!(format(&["--format", "json"]), Format::Json(Rendered::Plain));
        assert_eq!(format(&["--message-format=json"]), Format::Json(Rendered::Plain));
        assert_eq!(format(&["--message-format=json-diagnostic-rendered-ansi"]), Format::Json(Rendered::Ansi));
        assert_eq!(format(&["--message-format", "json-diagnostic-short"]), Format::Json(Rendered::Short));
        assert_eq!(
            format(&["--message-format=json-diagnostic-short,json-diagnostic-rendered-ansi"]),
            Format::Json(Rendered::ShortAnsi)
        );
        assert_eq!(
            format(&["--message-format=json", "--message-format=json-diagnostic-rendered-ansi"]),
            Format::Json(Rendered::Ansi)
        );
        assert_eq!(format(&["--message-format=short"]), Format::Short);
        assert_eq!(format(&["--message-format=human"]), Format::Human);
        for bad in [
            &["cargo-taskcheck", "--message-format=json,human"][..],
            &["cargo-taskcheck", "--message-format=xml"],
            &["cargo-taskcheck", "--format=sarif", "--message-format=json"],
            &["cargo-taskcheck", "--fail-on=sometimes"],
            &["cargo-taskcheck", "--with-check", "src/lib.rs"],
        ] {
            let err = parse(bad.iter().copied()).expect_err(&format!("{bad:?} must fail"));
            assert_eq!(err.exit_code(), 2, "{bad:?}");
        }
    }

    #[test]
    fn rust_analyzer_flags_are_accepted() {
        let cli = parse_ok(&[
            "cargo-taskcheck",
            "taskcheck",
            "--workspace",
            "--message-format=json-diagnostic-rendered-ansi",
            "--manifest-path",
            "/w/Cargo.toml",
            "--keep-going",
            "--all-targets",
            "--with-check",
        ]);
        assert!(cli.check.all_targets && cli.check.keep_going && cli.check.with_check && cli.input.workspace);
        assert_eq!(cli.output.format(), Format::Json(Rendered::Ansi));
        assert_eq!(cli.output.fail_on, FailOn::Warning);
        assert_eq!(parse_ok(&["cargo-taskcheck", "--fail-on", "never"]).output.fail_on, FailOn::Never);
        assert_eq!(
            parse_ok(&["cargo-taskcheck", "-o", "out.sarif"]).output.output.as_deref(),
            Some(std::path::Path::new("out.sarif"))
        );
    }

    #[test]
    fn json_is_recognised_before_parsing() {
        assert!(wants_json(&["x", "--message-format=json"]));
        assert!(wants_json(&["x", "--message-format", "json-diagnostic-rendered-ansi", "--bogus"]));
        assert!(wants_json(&["x", "--format", "json"]));
        assert!(wants_json(&["x", "--format=json"]));
        assert!(!wants_json(&["x", "--format=sarif"]));
        assert!(!wants_json(&["x", "--", "--format=json"]));
        assert!(!wants_json(&["x"]));
    }

    #[test]
    fn subcommands_and_paths() {
        assert!(matches!(parse_ok(&["cargo-taskcheck", "taskcheck", "list"]).command, Some(Command::List)));
        let cli = parse_ok(&["cargo-taskcheck", "explain", "detached_spawn"]);
        assert!(matches!(cli.command, Some(Command::Explain { lint }) if lint == "detached_spawn"));
        let cli = parse_ok(&["cargo-taskcheck", "src/", "tests/"]);
        assert!(cli.command.is_none());
        assert_eq!(cli.input.paths.len(), 2);
        let cli = parse_ok(&["cargo-taskcheck", "--fix", "--diff", "--baseline", "b.json", "--diff-base", "main"]);
        assert!(cli.adoption.fix && cli.adoption.diff);
        assert!(parse(["cargo-taskcheck", "--diff"]).is_err(), "--diff needs --fix");
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
