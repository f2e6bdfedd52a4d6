//! How a run ends: the exit code, from the findings and `--fail-on`. Every way a run can end
//! (a report, `--fix --diff`, `explain`/`list`) gives an [`Outcome`].

use crate::cli::FailOn;
use std::process::ExitCode;
use taskcheck_lints::registry::tool;
use taskcheck_lints::{Diagnostic, Level};

/// How a run ended, as the exit code tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing that fails the run (no findings at or above `--fail-on`): exit 0.
    Clean,
    /// Lint findings at or above `--fail-on`: exit 1.
    Findings,
    /// A file could not be analysed (unreadable, unparsable, a taskcheck bug): exit 2, like a
    /// usage error, because the run did not check everything it was asked to.
    Incomplete,
}

impl Outcome {
    /// With `--fail-on never` every written report is `Clean`, files that could not be
    /// analysed included (they are in the report).
    pub fn of(diagnostics: &[Diagnostic], fail_on: FailOn) -> Outcome {
        let threshold = match fail_on {
            FailOn::Error => Level::Deny,
            FailOn::Warning => Level::Warn,
            FailOn::Never => return Outcome::Clean,
        };
        if diagnostics.iter().any(|d| tool::ALL.contains(&d.lint)) {
            Outcome::Incomplete
        } else if diagnostics.iter().any(|d| d.level >= threshold) {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }

    /// A failed `cargo check` (`--with-check`) makes a clean run exit 1.
    pub fn with_check(self, check_succeeded: bool) -> Outcome {
        match self {
            Outcome::Clean if !check_succeeded => Outcome::Findings,
            other => other,
        }
    }

    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Incomplete => 2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_support;

    #[test]
    fn fail_on_sets_the_threshold() {
        let sources = test_support::sources();
        let all = test_support::diagnostics(&sources);
        let findings: Vec<Diagnostic> = all.iter().filter(|d| d.lint.rule.is_some()).cloned().collect();
        let warnings: Vec<Diagnostic> = findings.iter().filter(|d| d.level == Level::Warn).cloned().collect();
        assert_eq!(Outcome::of(&[], FailOn::Warning), Outcome::Clean);
        assert_eq!(Outcome::of(&warnings, FailOn::Warning), Outcome::Findings);
        assert_eq!(Outcome::of(&warnings, FailOn::Error), Outcome::Clean);
        assert_eq!(Outcome::of(&findings, FailOn::Error), Outcome::Findings);
        assert_eq!(Outcome::of(&all, FailOn::Error), Outcome::Incomplete);
        assert_eq!(Outcome::of(&all, FailOn::Never), Outcome::Clean);
        assert_eq!(Outcome::of(&[], FailOn::Never).with_check(false), Outcome::Findings);
        assert_eq!(Outcome::of(&all, FailOn::Warning).with_check(false), Outcome::Incomplete);
    }
}
