//! What a name stands for, wherever a user writes one: a lint (`detached_spawn`), a group of
//! lints (a category such as `pedantic`, a rule group such as `rule-8` or `labels`) or `all`. Level flags (`-W`/`-A`/`-D`), the `[lints]` table of
//! the configuration and `// taskcheck: allow(…)` comments all resolve names here, so a new
//! kind of group is a new [`Group`] variant (its names in [`Group::every`] and its lints in
//! [`Group::contains`]) and works in all three at once.

use crate::registry::{tool, Category, Lint, Rule};

/// The name of the group of every lint.
pub const ALL: &str = "all";

/// A name that stands for several lints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Every lint.
    All,
    /// The lints of one category: `correctness`, `suspicious`, `documentation`, `pedantic`,
    /// `nursery`.
    Category(Category),
    /// The lints of one rule: `rule-1` … `rule-12`, `labels`.
    Rule(Rule),
}

impl Group {
    /// Every group: `all`, the categories, the rule groups.
    pub fn every() -> impl Iterator<Item = Group> {
        std::iter::once(Group::All)
            .chain(Category::ALL.into_iter().map(Group::Category))
            .chain(Rule::ALL.into_iter().map(Group::Rule))
    }

    /// The name users write.
    pub fn name(self) -> &'static str {
        match self {
            Group::All => ALL,
            Group::Category(category) => category.name(),
            Group::Rule(rule) => rule_key(rule),
        }
    }

    pub fn parse(name: &str) -> Option<Group> {
        Group::every().find(|g| g.name() == name)
    }

    /// Whether the group holds `lint`. No group holds the tool's own diagnostics.
    pub fn contains(self, lint: &Lint) -> bool {
        match self {
            Group::All => !tool::ALL.contains(&lint),
            Group::Category(category) => lint.category == Some(category),
            Group::Rule(rule) => lint.rule == Some(rule),
        }
    }

    /// The lints of the group.
    pub fn lints(self) -> impl Iterator<Item = &'static Lint> {
        crate::all_lints().filter(move |l| self.contains(l))
    }

    /// How general the group is, for applying a table of levels from the general to the
    /// specific (a lint's own name is more specific than any group): `all` is 0, a category 1,
    /// a rule group 2. A category is a bar of trust that spans rules; a rule group names one
    /// subject, the narrower intention, so it is the more specific of the two.
    pub fn generality(self) -> u8 {
        match self {
            Group::All => 0,
            Group::Category(_) => 1,
            Group::Rule(_) => 2,
        }
    }
}

/// What a name resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    Lint(&'static Lint),
    Group(Group),
}

impl Named {
    /// Whether the name covers `lint`.
    pub fn covers(self, lint: &Lint) -> bool {
        match self {
            Named::Lint(own) => own == lint,
            Named::Group(group) => group.contains(lint),
        }
    }

    /// The lints the name stands for.
    pub fn lints(self) -> Vec<&'static Lint> {
        match self {
            Named::Lint(lint) => vec![lint],
            Named::Group(group) => group.lints().collect(),
        }
    }

    /// 0 for `all`, 1 for a category, 2 for a rule group, 3 for a lint: the order a table
    /// applies them in.
    pub fn generality(self) -> u8 {
        match self {
            Named::Lint(_) => 3,
            Named::Group(group) => group.generality(),
        }
    }
}

/// Why a name stands for no lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// Not a lint or a group; the closest known name, if one is close.
    Unknown(Option<&'static str>),
    /// A tool diagnostic (`parse_error`, `io_error`, `internal_error`): it reports a file that
    /// could not be analysed, which no level or comment can hide.
    Tool(&'static Lint),
}

impl NameError {
    /// The help a user gets with an unknown name.
    pub fn help(&self) -> String {
        match self {
            NameError::Unknown(Some(close)) => format!("did you mean `{close}`?"),
            NameError::Unknown(None) => format!(
                "`cargo taskcheck list` prints every lint; the groups are {}",
                Group::every().map(|g| format!("`{}`", g.name())).collect::<Vec<_>>().join(", ")
            ),
            NameError::Tool(_) => "it reports a file taskcheck could not analyse, which is always an error".to_string(),
        }
    }
}

/// What `name` stands for.
pub fn resolve(name: &str) -> Result<Named, NameError> {
    if let Some(group) = Group::parse(name) {
        return Ok(Named::Group(group));
    }
    match crate::find_lint(name) {
        Some(lint) if tool::ALL.contains(&lint) => Err(NameError::Tool(lint)),
        Some(lint) => Ok(Named::Lint(lint)),
        None => Err(NameError::Unknown(closest(name, &[]))),
    }
}

/// The lint or group name closest to `name`, among those and the `extra` names a caller
/// accepts besides (the command line's `warnings`).
pub fn closest(name: &str, extra: &[&'static str]) -> Option<&'static str> {
    let known = crate::all_lints().map(|l| l.name).chain(Group::every().map(Group::name)).chain(extra.iter().copied());
    crate::suggest::closest(name, known)
}

/// `Rule::key` as a `'static` string.
fn rule_key(rule: Rule) -> &'static str {
    const KEYS: [&str; 13] = [
        "rule-1", "rule-2", "rule-3", "rule-4", "rule-5", "rule-6", "rule-7", "rule-8", "rule-9", "rule-10", "rule-11",
        "rule-12", "labels",
    ];
    KEYS[rule as usize - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_lints_and_groups() {
        let detached = crate::find_lint("detached_spawn").expect("lint");
        let sleep = crate::find_lint("sleep_in_test").expect("lint");
        assert_eq!(resolve("detached_spawn"), Ok(Named::Lint(detached)));
        assert_eq!(resolve("rule-8"), Ok(Named::Group(Group::Rule(Rule::SleepInTests))));
        assert_eq!(resolve("labels"), Ok(Named::Group(Group::Rule(Rule::Labels))));
        assert!(resolve("all").is_ok_and(|n| n.covers(detached) && n.covers(sleep)));
        assert!(resolve("rule-8").is_ok_and(|n| n.covers(sleep) && !n.covers(detached)));
        assert_eq!(resolve("rule-13"), Err(NameError::Unknown(Some("rule-1"))));
        assert_eq!(resolve("rule_8"), Err(NameError::Unknown(Some("rule-8"))));
        assert_eq!(resolve("detached_spwn"), Err(NameError::Unknown(Some("detached_spawn"))));
        assert!(matches!(resolve("parse_error"), Err(NameError::Tool(_))));
        assert!(!Named::Group(Group::All).covers(&tool::PARSE_ERROR));
        assert_eq!(resolve("pedantic"), Ok(Named::Group(Group::Category(Category::Pedantic))));
        assert_eq!(resolve("pedantik"), Err(NameError::Unknown(Some("pedantic"))));
    }

    #[test]
    fn categories_partition_the_lints() {
        let names = |g: &str| resolve(g).unwrap().lints().iter().map(|l| l.name).collect::<Vec<_>>();
        assert!(names("correctness").contains(&"double_lock"));
        assert!(names("pedantic").contains(&"unbounded_channel") && !names("pedantic").contains(&"double_lock"));
        assert_eq!(names("rule-11").len(), 4);
        let by_category: usize = Category::ALL.iter().map(|c| names(c.name()).len()).sum();
        assert_eq!(by_category, names("all").len(), "every lint is in exactly one category");
        let rank = |n: &str| resolve(n).map(Named::generality);
        assert_eq!(
            (rank("all"), rank("pedantic"), rank("rule-8"), rank("labels"), rank("double_lock")),
            (Ok(0), Ok(1), Ok(2), Ok(2), Ok(3))
        );
    }

    #[test]
    fn every_group_has_a_distinct_name_that_is_no_lint() {
        let names: Vec<&str> = Group::every().map(Group::name).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "`{name}` twice");
            assert!(crate::find_lint(name).is_none(), "`{name}` is also a lint");
            assert_eq!(Group::parse(name).map(Group::name), Some(*name));
        }
        for rule in Rule::ALL {
            assert_eq!(rule_key(rule), rule.key());
        }
    }
}
