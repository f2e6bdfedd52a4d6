//! "Did you mean" suggestions for mistyped lint, package and configuration names.

/// The candidate closest to `name`, if it is close enough to be a likely typo: at most a third
/// of the name's length in edits (and at least one), the threshold rustc uses for lint names.
/// Case and `-` for `_` do not count as edits (`DOUBLE_LOCK`, `double-lock`).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let fold = |s: &str| s.to_lowercase().replace('-', "_");
    let name = fold(name);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name, &fold(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters, two rows at a time.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_dashes_are_no_edits() {
        assert_eq!(closest("DOUBLE_LOCK", ["double_lock", "lock_order_inversion"]), Some("double_lock"));
        assert_eq!(closest("double-lock", ["double_lock"]), Some("double_lock"));
        assert_eq!(closest("Detached_Spwn", ["detached_spawn"]), Some("detached_spawn"));
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("détached", "detached"), 1);
    }

    #[test]
    fn suggests_only_near_misses() {
        let lints = ["detached_spawn", "sleep_in_test", "static_mut"];
        assert_eq!(closest("detach_spawn", lints), Some("detached_spawn"));
        assert_eq!(closest("sleep-in-test", lints), Some("sleep_in_test"));
        assert_eq!(closest("unrelated", lints), None);
        assert_eq!(closest("x", ["y"]), Some("y"));
    }
}
