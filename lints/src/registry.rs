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

    /// The rule as a table row shows it: `7 locks and channels`, and `thread labels` for the
    /// advice that has no number.
    pub fn heading(self) -> String {
        match self {
            Rule::Labels => self.title().to_string(),
            other => format!("{} {}", other.number(), other.title()),
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

/// How far a lint's findings can be trusted, Clippy-style; a lint's default level is its
/// category's (see [`Category::default_level`]), so the two cannot disagree. Moving a lint to
/// another category is a one-word change in its `declare_lint!`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// A finding means a certain hang or abort, and the lint's blind-reviewed precision is at
    /// least 98 %: `deny`.
    Correctness,
    /// Likely a bug (a leak, a race, a lost panic), precision at least 95 %: `warn`.
    Suspicious,
    /// A concurrency contract that is not written down (rule 11): `warn`.
    Documentation,
    /// Advice, or a lint below the precision bar of a default-on lint: `allow`.
    Pedantic,
    /// New or still being tuned: `allow`.
    Nursery,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::Correctness, Category::Suspicious, Category::Documentation, Category::Pedantic, Category::Nursery];

    /// The level every lint of the category has unless configured otherwise.
    pub const fn default_level(self) -> Level {
        match self {
            Category::Correctness => Level::Deny,
            Category::Suspicious | Category::Documentation => Level::Warn,
            Category::Pedantic | Category::Nursery => Level::Allow,
        }
    }

    /// The group name, as used with `-W`/`-A`/`-D`, in `[lints]` and in `list`.
    pub const fn name(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Suspicious => "suspicious",
            Category::Documentation => "documentation",
            Category::Pedantic => "pedantic",
            Category::Nursery => "nursery",
        }
    }

    /// What a finding of the category means, in one clause.
    pub const fn description(self) -> &'static str {
        match self {
            Category::Correctness => "a certain hang or abort",
            Category::Suspicious => "likely a leak, a race or a lost panic",
            Category::Documentation => "a concurrency contract that is not written down",
            Category::Pedantic => "advice, or findings too often debatable to be on by default",
            Category::Nursery => "new lints still being tuned",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What a true finding costs, from the rule catalogue's cost model: output orders findings
/// by it (most costly first), so that many cheap findings never hide a deadlock. Independent
/// of the [`Category`], which says how far a finding can be trusted, not what it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cost {
    /// The program hangs, deadlocks, stalls its executor or aborts.
    Hang,
    /// Work leaks or is lost, memory grows without bound, a race, a hidden panic, a flaky test.
    Leak,
    /// A safety argument or concurrency contract is not written down, or a suppression comment
    /// says something untrue.
    Documentation,
    /// Advice: nothing breaks.
    Advice,
}

impl Cost {
    pub const fn description(self) -> &'static str {
        match self {
            Cost::Hang => "a hang, a deadlock or an abort",
            Cost::Leak => "a leak, a race or a lost panic",
            Cost::Documentation => "missing documentation",
            Cost::Advice => "advice",
        }
    }
}

/// Each lint's measured precision (`lints/precision.toml`, see `docs/precision.md`), as TOML;
/// the driver parses it for `explain`, the lint pages and the README table.
pub const PRECISION_TOML: &str = include_str!("../precision.toml");

/// A lint's identity and documentation. One `static` per lint, declared with [`declare_lint!`].
#[derive(Debug)]
pub struct Lint {
    /// Stable `snake_case` name, as used in configuration and suppressions.
    pub name: &'static str,
    /// `None` for the tool's own diagnostics (`parse_error`, `io_error`).
    pub rule: Option<Rule>,
    /// `None` for the tool's own diagnostics only.
    pub category: Option<Category>,
    /// Always the category's default level; the tool's diagnostics are `Deny`.
    pub default_level: Level,
    /// What a true finding costs; `None` for the tool's own diagnostics.
    pub cost: Option<Cost>,
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

/// Declares a lint `static` whose docs are its doc comment. A lint names its `category` (its
/// default level follows) and its `cost`; only the tool's own diagnostics give a `level`.
#[macro_export]
macro_rules! declare_lint {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            name: $name:literal,
            rule: $rule:expr,
            category: $category:ident,
            cost: $cost:ident,
            summary: $summary:literal,
            why: $why:literal $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::registry::Lint = $crate::registry::Lint {
            name: $name,
            rule: $rule,
            category: Some($crate::registry::Category::$category),
            default_level: $crate::registry::Category::$category.default_level(),
            cost: Some($crate::registry::Cost::$cost),
            summary: $summary,
            why: $why,
            docs: concat!($($doc, "\n"),*),
        };
    };
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
            category: None,
            default_level: $crate::diagnostic::Level::$level,
            cost: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_level_is_the_category_level() {
        for lint in crate::all_lints() {
            let category = lint.category.unwrap_or_else(|| panic!("`{}` declares a level, not a category", lint.name));
            assert_eq!(lint.default_level, category.default_level(), "{}", lint.name);
            assert!(lint.cost.is_some(), "{}", lint.name);
        }
        for lint in tool::ALL {
            assert_eq!((lint.category, lint.cost, lint.default_level), (None, None, Level::Deny), "{}", lint.name);
        }
    }

    #[test]
    fn correctness_means_a_hang_or_an_abort() {
        for lint in crate::all_lints().filter(|l| l.category == Some(Category::Correctness)) {
            assert_eq!(lint.cost, Some(Cost::Hang), "{} is `correctness` but its cost is not a hang", lint.name);
        }
    }
}
