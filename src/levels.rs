//! Lint levels for a run: defaults, then the configuration, then `-W`/`-A`/`-D` flags in
//! command-line order. A name is a lint, a category (`correctness`, `suspicious`,
//! `documentation`, `pedantic`, `nursery`), a rule group (`rule-1` … `rule-12`, `labels`),
//! `all`, or (on the command line) `warnings`. Groups are resolved by
//! [`registry::group`], which suppression comments share.

use crate::error::Error;
use crate::suggest;
use taskcheck_lints::{self as lints, registry, Level, Levels};

/// `warnings` names every lint whose level is `warn` at that point, as in rustc's `-D warnings`.
pub const WARNINGS_GROUP: &str = "warnings";

/// Every lint.
pub const ALL_GROUP: &str = registry::ALL_GROUP;

/// Applies the overrides in order over `base`; a later flag wins for the same lint. An unknown
/// name is a usage error with the closest known name as a suggestion.
pub fn resolve_over(base: &Levels, ordered: &[(Level, String)]) -> Result<Levels, Error> {
    let mut levels = base.clone();
    for (level, name) in ordered {
        set(&mut levels, *level, name, true).map_err(|e| e.into_error(name))?;
    }
    Ok(levels)
}

/// [`resolve_over`] the defaults.
pub fn resolve(ordered: &[(Level, String)]) -> Result<Levels, Error> {
    resolve_over(&Levels::default(), ordered)
}

/// Why a name cannot be given a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Not a lint or group; the closest known name, if any.
    Unknown(Option<&'static str>),
    /// A tool diagnostic (`parse_error`, …).
    Tool,
}

impl NameError {
    pub fn message(&self, name: &str) -> String {
        match self {
            NameError::Unknown(_) => format!("unknown lint `{name}`"),
            NameError::Tool => format!("`{name}` cannot be given a level"),
        }
    }

    pub fn help(&self) -> String {
        match self {
            NameError::Unknown(Some(close)) => format!("did you mean `{close}`?"),
            NameError::Unknown(None) => "`cargo taskcheck list` prints every lint; groups are the categories \
                                         (`correctness`, `suspicious`, `documentation`, `pedantic`, `nursery`), \
                                         `rule-1` … `rule-12`, `labels` and `all`"
                .to_string(),
            NameError::Tool => "it reports a file taskcheck could not analyse, which is always an error".to_string(),
        }
    }

    fn into_error(self, name: &str) -> Error {
        Error::new(self.message(name)).with_help(self.help())
    }
}

/// The lints a name stands for: a lint, a category, a rule group, `all` (and `warnings` when
/// `allow_warnings`, given the levels so far).
pub fn set(levels: &mut Levels, level: Level, name: &str, allow_warnings: bool) -> Result<(), NameError> {
    let targets: Vec<&'static lints::Lint> = if allow_warnings && name == WARNINGS_GROUP {
        lints::all_lints().filter(|l| levels.get(l) == Level::Warn).collect()
    } else if let Some(group) = registry::group(name) {
        group
    } else {
        match lints::find_lint(name) {
            Some(lint) if registry::tool::ALL.contains(&lint) => return Err(NameError::Tool),
            Some(lint) => vec![lint],
            None => return Err(NameError::Unknown(closest(name, allow_warnings))),
        }
    };
    for lint in targets {
        levels.set(lint, level);
    }
    Ok(())
}

/// Whether `name` is a group: `all`, a category or a rule group.
pub fn is_group(name: &str) -> bool {
    registry::GroupKind::of(name).is_some()
}

/// How specific a name is, for the configuration, where the more specific name wins whatever
/// the order of the keys: `all` 0, a category 1, a rule group 2, a lint 3. On the command
/// line the order of the flags decides instead, as with rustc.
pub fn specificity(name: &str) -> u8 {
    registry::GroupKind::of(name).map_or(3, registry::GroupKind::specificity)
}

fn closest(name: &str, with_warnings: bool) -> Option<&'static str> {
    let known = lints::all_lints()
        .map(|l| l.name)
        .chain(registry::group_names())
        .chain(with_warnings.then_some(WARNINGS_GROUP));
    suggest::closest(name, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(list: &[(Level, &str)]) -> Vec<(Level, String)> {
        list.iter().map(|(l, n)| (*l, n.to_string())).collect()
    }

    #[test]
    fn later_flags_win() {
        let lint = lints::find_lint("detached_spawn").expect("lint exists");
        let levels = resolve(&flags(&[(Level::Deny, "detached_spawn"), (Level::Allow, "detached_spawn")])).unwrap();
        assert_eq!(levels.get(lint), Level::Allow);
    }

    #[test]
    fn warnings_group_raises_warn_lints_only() {
        let warn_lint = lints::all_lints().find(|l| l.default_level == Level::Warn).expect("a warn lint");
        let levels = resolve(&flags(&[(Level::Allow, warn_lint.name), (Level::Deny, WARNINGS_GROUP)])).unwrap();
        assert_eq!(levels.get(warn_lint), Level::Allow, "allowed before the group: stays allowed");
        let levels = resolve(&flags(&[(Level::Deny, WARNINGS_GROUP)])).unwrap();
        assert_eq!(levels.get(warn_lint), Level::Deny);
    }

    #[test]
    fn rule_groups_and_all() {
        let detached = lints::find_lint("detached_spawn").expect("lint exists");
        let sleep = lints::find_lint("sleep_in_test").expect("lint exists");
        let levels = resolve(&flags(&[(Level::Deny, "rule-1")])).unwrap();
        assert_eq!((levels.get(detached), levels.get(sleep)), (Level::Deny, Level::Warn));
        let levels = resolve(&flags(&[(Level::Allow, "all"), (Level::Warn, "rule-8")])).unwrap();
        assert_eq!((levels.get(detached), levels.get(sleep)), (Level::Allow, Level::Warn));
        assert!(is_group("labels") && is_group("rule-12") && !is_group("rule-13"));
        assert!(is_group("pedantic") && is_group("correctness") && !is_group("detached_spawn"));
    }

    #[test]
    fn categories_are_groups() {
        let channel = lints::find_lint("unbounded_channel").expect("lint exists");
        let shared = lints::find_lint("undocumented_shared_type").expect("lint exists");
        let double = lints::find_lint("double_lock").expect("lint exists");
        let levels = resolve(&flags(&[(Level::Warn, "pedantic"), (Level::Allow, "documentation")])).unwrap();
        assert_eq!((levels.get(channel), levels.get(shared)), (Level::Warn, Level::Allow));
        let levels = resolve(&flags(&[(Level::Warn, "correctness")])).unwrap();
        assert_eq!(levels.get(double), Level::Warn);
        // Same specificity on the command line: the later flag wins.
        let levels = resolve(&flags(&[(Level::Deny, "rule-11"), (Level::Allow, "documentation")])).unwrap();
        assert_eq!(levels.get(shared), Level::Allow);
        let levels = resolve(&flags(&[(Level::Allow, "documentation"), (Level::Deny, "rule-11")])).unwrap();
        assert_eq!(levels.get(shared), Level::Deny);
        let err = resolve(&flags(&[(Level::Warn, "pedantik")])).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `pedantic`?"));
        assert!(specificity("all") < specificity("pedantic") && specificity("pedantic") < specificity("rule-3"));
        assert!(specificity("rule-3") < specificity("detached_spawn"));
    }

    #[test]
    fn unknown_and_tool_lints_are_rejected() {
        let err = resolve(&flags(&[(Level::Warn, "detached_spwn")])).unwrap_err();
        assert_eq!(err.message, "unknown lint `detached_spwn`");
        assert_eq!(err.help.as_deref(), Some("did you mean `detached_spawn`?"));
        let err = resolve(&flags(&[(Level::Warn, "rule_1")])).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `rule-1`?"));
        assert!(resolve(&flags(&[(Level::Allow, "parse_error")])).is_err());
    }
}
