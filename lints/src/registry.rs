//! Lint metadata and the registry of every lint taskcheck knows.

use crate::diagnostic::Level;

/// The Go rule (or the labels advice) a lint carries over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    ClearExit = 1,
    JoinAccounting = 2,
    CapturedState = 3,
    Cancellation = 4,
    Panics = 5,
    FallibleGroups = 6,
    LocksAndChannels = 7,
    SleepInTests = 8,
    RaceChecks = 9,
    BoundConcurrency = 10,
    DocumentedSafety = 11,
    LeakDetection = 12,
    Labels = 13,
}

impl Rule {
    pub const ALL: [Rule; 13] = [
        Rule::ClearExit,
        Rule::JoinAccounting,
        Rule::CapturedState,
        Rule::Cancellation,
        Rule::Panics,
        Rule::FallibleGroups,
        Rule::LocksAndChannels,
        Rule::SleepInTests,
        Rule::RaceChecks,
        Rule::BoundConcurrency,
        Rule::DocumentedSafety,
        Rule::LeakDetection,
        Rule::Labels,
    ];

    /// `rule-1` … `rule-12`, and `labels` for the thread-naming advice.
    pub fn key(self) -> String {
        match self {
            Rule::Labels => "labels".to_string(),
            other => format!("rule-{}", other as u8),
        }
    }

    /// The number shown to users; the labels advice is numbered 13 internally only.
    pub fn number(self) -> String {
        match self {
            Rule::Labels => "labels".to_string(),
            other => (other as u8).to_string(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Rule::ClearExit => "clear exit",
            Rule::JoinAccounting => "join accounting",
            Rule::CapturedState => "captured state",
            Rule::Cancellation => "cancellation",
            Rule::Panics => "panics",
            Rule::FallibleGroups => "groups of fallible tasks",
            Rule::LocksAndChannels => "locks and channels",
            Rule::SleepInTests => "no sleep in tests",
            Rule::RaceChecks => "race checks",
            Rule::BoundConcurrency => "bound concurrency",
            Rule::DocumentedSafety => "documented safety",
            Rule::LeakDetection => "leak detection in tests",
            Rule::Labels => "thread labels",
        }
    }

    pub fn parse(key: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A lint's identity and documentation. One `static` per lint, declared with [`declare_lint!`].
#[derive(Debug)]
pub struct Lint {
    /// Stable `snake_case` name, as used in configuration and suppressions.
    pub name: &'static str,
    /// `None` for the tool's own diagnostics (`parse_error`, `io_error`).
    pub rule: Option<Rule>,
    pub default_level: Level,
    /// One-line summary, for `taskcheck list` and SARIF's short description.
    pub summary: &'static str,
    /// Why the finding matters, in one clause; shown as the rule note of every finding.
    pub why: &'static str,
    /// The Clippy-style documentation (Markdown), from the lint's doc comment.
    pub docs: &'static str,
}

impl PartialEq for Lint {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Lint {}

impl Lint {
    /// The doc comment with the one leading space of each `///` line removed.
    pub fn docs_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a lint `static` whose docs are its doc comment.
#[macro_export]
macro_rules! declare_lint {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            name: $name:literal,
            rule: $rule:expr,
            level: $level:ident,
            summary: $summary:literal,
            why: $why:literal $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::registry::Lint = $crate::registry::Lint {
            name: $name,
            rule: $rule,
            default_level: $crate::diagnostic::Level::$level,
            summary: $summary,
            why: $why,
            docs: concat!($($doc, "\n"),*),
        };
    };
}

/// The tool's own diagnostics: not lints, cannot be allowed, always errors.
pub mod tool {
    use super::Lint;

    crate::declare_lint! {
        /// A file that is not valid Rust syntax. taskcheck reports it and goes on with the others.
        pub static PARSE_ERROR = {
            name: "parse_error",
            rule: None,
            level: Deny,
            summary: "a file could not be parsed",
            why: "",
        };
    }

    crate::declare_lint! {
        /// A file that could not be read, or is not UTF-8.
        pub static IO_ERROR = {
            name: "io_error",
            rule: None,
            level: Deny,
            summary: "a file could not be read",
            why: "",
        };
    }

    crate::declare_lint! {
        /// taskcheck itself failed on a file: a bug to report.
        pub static INTERNAL_ERROR = {
            name: "internal_error",
            rule: None,
            level: Deny,
            summary: "taskcheck failed while analysing a file",
            why: "",
        };
    }

    pub static ALL: &[&Lint] = &[&PARSE_ERROR, &IO_ERROR, &INTERNAL_ERROR];
}

/// Serde for `&'static Lint` fields: a lint is written as its name and read back by looking
/// the name up, so a stored diagnostic points at the same `static` as a fresh one.
pub mod by_name {
    use super::Lint;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(lint: &&'static Lint, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(lint.name)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static Lint, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        crate::find_lint(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown lint `{name}`")))
    }
}
