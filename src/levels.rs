//! Lint levels for a run: defaults, then the configuration, then `-W`/`-A`/`-D` flags in
//! command-line order. A name is what [`taskcheck_lints::names`] resolves (a lint, a category
//! such as `pedantic`, a rule group such as `rule-8`, `all`), or (on the command line)
//! `warnings`. Flags apply in order (the last wins); in a `[lints]` table the most specific
//! name wins whatever the order of the keys (`all` < category < rule group < lint).

use crate::error::Error;
use taskcheck_lints::names::{self, Named};
use taskcheck_lints::{self as lints, Level, Levels};

pub use taskcheck_lints::names::NameError;

/// `warnings` names every lint whose level is `warn` at that point, as in rustc's `-D warnings`.
pub const WARNINGS_GROUP: &str = "warnings";

/// Applies the overrides in order over `base`; a later flag wins for the same lint. An unknown
/// name is a usage error with the closest known name as a suggestion.
pub fn resolve_over(base: &Levels, ordered: &[(Level, String)]) -> Result<Levels, Error> {
    let mut levels = base.clone();
    for (level, name) in ordered {
        set(&mut levels, *level, name, true).map_err(|e| Error::new(message(&e, name)).with_help(e.help()))?;
    }
    Ok(levels)
}

/// [`resolve_over`] the defaults.
pub fn resolve(ordered: &[(Level, String)]) -> Result<Levels, Error> {
    resolve_over(&Levels::default(), ordered)
}

/// Why `name` cannot be given a level, as a message.
pub fn message(error: &NameError, name: &str) -> String {
    match error {
        NameError::Unknown(_) => format!("unknown lint `{name}`"),
        NameError::Tool(_) => format!("`{name}` cannot be given a level"),
    }
}

/// Sets the lints `name` stands for to `level` (with `warnings` when `allow_warnings`, given
/// the levels so far).
pub fn set(levels: &mut Levels, level: Level, name: &str, allow_warnings: bool) -> Result<(), NameError> {
    let targets: Vec<&'static lints::Lint> = if allow_warnings && name == WARNINGS_GROUP {
        lints::all_lints().filter(|l| levels.get(l) == Level::Warn).collect()
    } else {
        match names::resolve(name) {
            Ok(named) => named.lints(),
            Err(NameError::Unknown(_)) if allow_warnings => {
                return Err(NameError::Unknown(names::closest(name, &[WARNINGS_GROUP])))
            }
            Err(e) => return Err(e),
        }
    };
    for lint in targets {
        levels.set(lint, level);
    }
    Ok(())
}

/// How general a valid name is: 0 for `all`, 1 for a category, 2 for a rule group, 3 for a
/// lint.
pub fn generality(name: &str) -> u8 {
    names::resolve(name).map_or(3, Named::generality)
}

/// Whether `name` is a group (`rule-3`, `labels`, `all`, …).
pub fn is_group(name: &str) -> bool {
    matches!(names::resolve(name), Ok(Named::Group(_)))
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
        assert!(is_group("labels") && is_group("rule-12") && is_group("all") && !is_group("rule-13"));
        assert!(is_group("pedantic") && is_group("correctness") && !is_group("detached_spawn"));
        assert_eq!(
            (generality("all"), generality("pedantic"), generality("rule-1"), generality("detached_spawn")),
            (0, 1, 2, 3)
        );
    }

    #[test]
    fn categories_are_groups() {
        let channel = lints::find_lint("unbounded_channel").expect("lint exists");
        let shared = lints::find_lint("undocumented_unsafe_send_sync").expect("lint exists");
        let double = lints::find_lint("double_lock").expect("lint exists");
        let levels = resolve(&flags(&[(Level::Warn, "pedantic"), (Level::Allow, "documentation")])).unwrap();
        assert_eq!((levels.get(channel), levels.get(shared)), (Level::Warn, Level::Allow));
        let levels = resolve(&flags(&[(Level::Warn, "correctness")])).unwrap();
        assert_eq!(levels.get(double), Level::Warn);
        // On the command line the later flag wins, whatever the kinds of name.
        let levels = resolve(&flags(&[(Level::Deny, "rule-11"), (Level::Allow, "documentation")])).unwrap();
        assert_eq!(levels.get(shared), Level::Allow);
        let levels = resolve(&flags(&[(Level::Allow, "documentation"), (Level::Deny, "rule-11")])).unwrap();
        assert_eq!(levels.get(shared), Level::Deny);
        let err = resolve(&flags(&[(Level::Warn, "pedantik")])).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `pedantic`?"));
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
