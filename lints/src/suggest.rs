//! "Did you mean" suggestions for mistyped lint, package and configuration names.

/// The candidate closest to `name`, if it is close enough to be a likely typo: at most a third
/// of the name's length in edits (and at least one), the threshold rustc uses for lint names.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
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
