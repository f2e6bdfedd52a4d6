//! Turns `-W`/`-A`/`-D` flags into the run's [`Levels`], checking every lint name.

use crate::error::Error;
use crate::suggest;
use taskcheck_lints::{self as lints, registry, Level, Levels};

/// `warnings` names every lint whose level is `warn` at that point, as in rustc's `-D warnings`.
pub const WARNINGS_GROUP: &str = "warnings";

/// Applies the overrides in order; a later flag wins for the same lint. An unknown name is a
/// usage error with the closest known name as a suggestion.
pub fn resolve(ordered: &[(Level, String)]) -> Result<Levels, Error> {
    let mut levels = Levels::default();
    for (level, name) in ordered {
        if name == WARNINGS_GROUP {
            let warned: Vec<_> = lints::all_lints().filter(|l| levels.get(l) == Level::Warn).collect();
            for lint in warned {
                levels.set(lint, *level);
            }
            continue;
        }
        match lints::find_lint(name) {
            Some(lint) if registry::tool::ALL.contains(&lint) => {
                return Err(Error::new(format!("`{name}` cannot be given a level"))
                    .with_help("it reports a file taskcheck could not analyse, which is always an error"));
            }
            Some(lint) => levels.set(lint, *level),
            None => return Err(unknown_lint(name)),
        }
    }
    Ok(levels)
}

fn unknown_lint(name: &str) -> Error {
    let known = lints::all_lints().map(|l| l.name).chain([WARNINGS_GROUP]);
    let error = Error::new(format!("unknown lint `{name}`"));
    match suggest::closest(name, known) {
        Some(close) => error.with_help(format!("did you mean `{close}`?")),
        None => error.with_help("the README lists every lint"),
    }
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
    fn unknown_and_tool_lints_are_rejected() {
        let err = resolve(&flags(&[(Level::Warn, "detached_spwn")])).unwrap_err();
        assert_eq!(err.message, "unknown lint `detached_spwn`");
        assert_eq!(err.help.as_deref(), Some("did you mean `detached_spawn`?"));
        assert!(resolve(&flags(&[(Level::Allow, "parse_error")])).is_err());
    }
}
