//! One run, start to end: discovery, configuration and lint levels, the analysis
//! ([`crate::analysis`]), the adoption steps (baseline, diff, fix), output, and the exit code.
//! Only this module ties the driver's steps together; none of them depends on it.

use crate::analysis::{analyse_with, AnalyseOptions};
use crate::check;
use crate::cli::Cli;
use crate::config::Settings;
use crate::discover;
use crate::emit::Report;
use crate::error::Error;
use crate::outcome::Outcome;
use crate::{adopt, commands, output};
use taskcheck_lints::SourceMap;

pub fn run(cli: &Cli) -> Result<Outcome, Error> {
    if let Some(command) = &cli.command {
        return commands::run(command);
    }
    let cwd = std::env::current_dir().map_err(|e| Error::new(format!("cannot read the current directory: {e}")))?;
    // The compiler's lines come first, as the editor would get them from `cargo check`.
    let mut check_succeeded = None;
    let mut fixed = None;
    loop {
        let mut sources = SourceMap::default();
        let mut plan = discover::discover(&cli.input, &cwd, &mut sources, !cli.run.no_cache)?;
        if fixed.is_none() {
            for warning in &plan.warnings {
                eprintln!("warning: {warning}");
            }
        }
        let settings = Settings::load(&mut plan, &sources, &cwd, &cli.levels.ordered)?;
        settings.exclude(&mut plan, &cwd);
        if check_succeeded.is_none() {
            check_succeeded = Some(if cli.check.with_check { check::run(cli)? } else { true });
        }
        let options = AnalyseOptions { prefilter: !cli.run.no_prefilter, cache: !cli.run.no_cache };
        let analysis = analyse_with(&plan, &mut sources, &settings, &options)?;
        let mut adopted = match adopt::adopt(&cli.adoption, fixed.is_none(), &sources, analysis, &cwd)? {
            adopt::Next::Report(adopted) => adopted,
            adopt::Next::Done(outcome) => return Ok(outcome),
            // `--fix` changed files: check them again (without fixing) and report what is left.
            adopt::Next::Fixed(count) => {
                fixed = Some(count);
                continue;
            }
        };
        adopted.fixed = fixed.unwrap_or(0);
        let report = Report { sources: &sources, diagnostics: &adopted.diagnostics, files_checked: plan.files.len() };
        output::print(&cli.output, &report, &cwd, &adopted.extras(&cli.adoption))?;
        let outcome = Outcome::of(&adopted.diagnostics, cli.output.fail_on);
        return Ok(outcome.with_check(check_succeeded.unwrap_or(true)));
    }
}
