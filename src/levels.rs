//! Lint levels for a run: defaults, then the configuration, then `-W`/`-A`/`-D` flags in
//! command-line order. A name is a lint, a rule group (`rule-1` … `rule-12`, `labels`), `all`,
//! or (on the command line) `warnings`.

use crate::error::Error;
use crate::suggest;
use taskcheck_lints::{self as lints, registry, Level, Levels, Rule};

/// `warnings` names every lint whose level is `warn` at that point, as in rustc's `-D warnings`.
pub const WARNINGS_GROUP: &str = "warnings";

/// Every lint.
pub const ALL_GROUP: &str = "all";

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
            NameError::Unknown(None) => "`cargo taskcheck list` prints every lint; groups are `rule-1` … `rule-12`, \
                                         `labels` and `all`"
                .to_string(),
            NameError::Tool => "it reports a file taskcheck could not analyse, which is always an error".to_string(),
        }
    }

    fn into_error(self, name: &str) -> Error {
        Error::new(self.message(name)).with_help(self.help())
    }
}

/// The lints a name stands for: a lint, a rule group, `all` (and `warnings` when
/// `allow_warnings`, given the levels so far).
pub fn set(levels: &mut Levels, level: Level, name: &str, allow_warnings: bool) -> Result<(), NameError> {
    let targets: Vec<&'static lints::Lint> = if allow_warnings && name == WARNINGS_GROUP {
        lints::all_lints().filter(|l| levels.get(l) == Level::Warn).collect()
    } else if name == ALL_GROUP {
        lints::all_lints().collect()
    } else if let Some(rule) = Rule::parse(name) {
        lints::all_lints().filter(|l| l.rule == Some(rule)).collect()
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

/// Whether `name` is a rule group key (`rule-3`, `labels`) or `all`.
pub fn is_group(name: &str) -> bool {
    name == ALL_GROUP || Rule::parse(name).is_some()
}

fn closest(name: &str, with_warnings: bool) -> Option<&'static str> {
    let groups: Vec<&'static str> = Rule::ALL.iter().map(|r| group_key(*r)).collect();
    let known = lints::all_lints()
        .map(|l| l.name)
        .chain(groups)
        .chain([ALL_GROUP])
        .chain(with_warnings.then_some(WARNINGS_GROUP));
    suggest::closest(name, known)
}

/// `Rule::key` as a `'static` string.
fn group_key(rule: Rule) -> &'static str {
    const KEYS: [&str; 13] = [
        "rule-1", "rule-2", "rule-3", "rule-4", "rule-5", "rule-6", "rule-7", "rule-8", "rule-9", "rule-10", "rule-11",
        "rule-12", "labels",
    ];
    KEYS[rule as usize - 1]
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
        for rule in Rule::ALL {
            assert_eq!(group_key(rule), rule.key());
        }
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
