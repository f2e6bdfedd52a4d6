//! The steps between the analysis and the report that let a team adopt taskcheck on a code
//! base that already has findings: a baseline of accepted findings ([`baseline`]), reporting
//! only what a change touches ([`diffbase`]), applying fixes ([`fix`]) and counting findings
//! ([`stats`]). Suppression comments are applied earlier, by the analysis itself.

pub mod baseline;
pub mod diffbase;
pub mod fix;
pub mod stats;

use crate::analysis::Analysis;
use crate::cli::AdoptionArgs;
use crate::emit::human::display_path;
use crate::error::Error;
use crate::outcome::Outcome;
use std::path::Path;
use taskcheck_lints::registry::tool;
use taskcheck_lints::suppress::Suppressed;
use taskcheck_lints::{Diagnostic, SourceMap};

/// What the run does after the adoption steps.
pub enum Next {
    /// Print the report of these findings.
    Report(Adopted),
    /// Nothing more to print (`--fix --diff` printed its diff).
    Done(Outcome),
    /// `--fix` changed this many findings' files: check again and report what is left.
    Fixed(usize),
}

/// The findings to report, and what happened to the others.
#[derive(Debug, Default)]
pub struct Adopted {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
    /// Findings left out because the baseline has them.
    pub in_baseline: usize,
    /// Baseline entries that match no current finding.
    pub stale: usize,
    /// Findings left out because they are on no line the diff touches.
    pub outside_diff: usize,
    /// `--write-baseline`: how many findings were written, and where.
    pub written: Option<(usize, String)>,
    /// `--fix`: findings fixed before this check.
    pub fixed: usize,
}

impl Adopted {
    /// The extras the report shows besides the findings.
    pub fn extras<'a>(&'a self, args: &AdoptionArgs) -> Extras<'a> {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut notes = Vec::new();
        if !self.suppressed.is_empty() {
            notes.push(format!("{} suppressed", self.suppressed.len()));
        }
        if self.in_baseline > 0 {
            notes.push(format!("{} in the baseline", self.in_baseline));
        }
        if self.stale > 0 {
            notes.push(format!(
                "{} no longer found (rewrite the baseline with --write-baseline)",
                plural(self.stale, "baseline entry", "baseline entries")
            ));
        }
        if self.outside_diff > 0 {
            notes.push(format!("{} outside the diff", self.outside_diff));
        }
        if self.fixed > 0 {
            notes.push(format!("{} fixed", self.fixed));
        }
        if let Some((count, path)) = &self.written {
            notes.push(format!("{} written to {path}", plural(*count, "finding", "findings")));
        }
        Extras {
            summary_notes: notes,
            suppressed: args.show_suppressed.then_some(&self.suppressed[..]),
            statistics: args.statistics.then(|| stats::Statistics::of(&self.diagnostics, self.suppressed.len())),
        }
    }
}

/// What the report shows besides the findings.
#[derive(Debug, Default)]
pub struct Extras<'a> {
    /// `3 suppressed`, `10 in the baseline`, …: in parentheses after the summary.
    pub summary_notes: Vec<String>,
    /// `--show-suppressed`.
    pub suppressed: Option<&'a [Suppressed]>,
    /// `--statistics`.
    pub statistics: Option<stats::Statistics>,
}

/// Applies `--write-baseline`, `--baseline`, `--diff-base` and (when `fix`) `--fix` to the
/// analysis.
pub fn adopt(
    args: &AdoptionArgs,
    fix: bool,
    sources: &SourceMap,
    analysis: Analysis,
    cwd: &Path,
) -> Result<Next, Error> {
    let Analysis { mut diagnostics, suppressed, .. } = analysis;
    let mut adopted = Adopted { suppressed, ..Adopted::default() };
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(&cwd.join(path), cwd, sources, &diagnostics)?;
        adopted.written = Some((count, display_path(path)));
        // The findings are now accepted; only files that could not be analysed are reported.
        diagnostics.retain(is_tool_diagnostic);
        adopted.diagnostics = diagnostics;
        return Ok(Next::Report(adopted));
    }
    if let Some(path) = &args.baseline {
        let accepted = baseline::read(&cwd.join(path), &display_path(path))?;
        let filtered = accepted.filter(diagnostics, cwd, sources, &cwd.join(path));
        diagnostics = filtered.reported;
        adopted.in_baseline = filtered.in_baseline;
        adopted.stale = filtered.stale;
    }
    if let Some(rev) = &args.diff_base {
        let changed = diffbase::changed_lines(rev, cwd)?;
        let before = diagnostics.len();
        diagnostics.retain(|d| is_tool_diagnostic(d) || changed.touches(d, sources, cwd));
        adopted.outside_diff = before - diagnostics.len();
    }
    if fix && args.fix {
        let plan = fix::plan(sources, &diagnostics);
        if args.diff {
            let diff = fix::unified_diff(&plan, sources);
            fix::print_diff(&diff)?;
            for note in plan.notes(sources, true) {
                eprintln!("{note}");
            }
            if diff.is_empty() {
                // stdout stays an empty diff (a valid input for `git apply`); the word is for
                // the person, who would otherwise not know whether anything ran.
                eprintln!("{}", nothing_to_fix(&diagnostics));
            }
            let incomplete = diagnostics.iter().any(is_tool_diagnostic);
            return Ok(Next::Done(if incomplete {
                Outcome::Incomplete
            } else if diff.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Findings
            }));
        }
        if !args.allow_dirty {
            let dirty = fix::uncommitted(&plan, sources, cwd);
            if !dirty.is_empty() {
                return Err(Error::new(format!(
                    "--fix would write to files with uncommitted changes: {}",
                    dirty.join(", ")
                ))
                .with_help(
                    "commit or stash them first, look at the fixes with `--fix --diff`, or pass `--allow-dirty`",
                ));
            }
        }
        let written = fix::write(&plan, sources, cwd)?;
        for note in plan.notes(sources, false) {
            eprintln!("{note}");
        }
        if written > 0 {
            // The files changed: the caller checks again and reports what is left.
            return Ok(Next::Fixed(plan.fixed_count()));
        }
    }
    adopted.diagnostics = diagnostics;
    Ok(Next::Report(adopted))
}

/// What `--fix --diff` says when its diff is empty.
fn nothing_to_fix(diagnostics: &[Diagnostic]) -> String {
    let findings = diagnostics.iter().filter(|d| !is_tool_diagnostic(d)).count();
    match findings {
        0 => "taskcheck: nothing to fix".to_string(),
        1 => "taskcheck: nothing to fix (1 finding has no automatic fix)".to_string(),
        n => format!("taskcheck: nothing to fix ({n} findings have no automatic fix)"),
    }
}

/// `parse_error`, `io_error`, `internal_error`: about the run, never filtered away.
pub fn is_tool_diagnostic(d: &Diagnostic) -> bool {
    tool::ALL.contains(&d.lint)
}
