//! What a run's root manifest says: its `panic = "abort"` profiles.
//!
//! Read by `catch_unwind_under_abort`, which reports on those lines, and by the prefilter,
//! which reads no file for that lint when there are none.

/// A `panic = "abort"` setting in the root manifest: the profile's name and the span of the
/// `panic = "abort"` key-value.
pub fn abort_profiles(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let Ok(doc) = toml::de::DeTable::parse(text) else { return Vec::new() };
    let mut out = Vec::new();
    let Some(profiles) = doc.get_ref().get("profile").and_then(|p| p.get_ref().as_table()) else { return out };
    for (name, profile) in profiles.iter() {
        let Some(table) = profile.get_ref().as_table() else { continue };
        for (key, value) in table.iter() {
            if key.get_ref() == "panic" && value.get_ref().as_str() == Some("abort") {
                out.push((name.get_ref().to_string(), key.span().start..value.span().end));
            }
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::abort_profiles;

    #[test]
    fn finds_abort_lines_in_any_profile_form() {
        let text =
            "[package]\nname = \"x\"\n\n[profile.release]\npanic = \"abort\"\n\n[profile.dev]\npanic = \"unwind\"\n";
        let found = abort_profiles(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "release");
        assert_eq!(&text[found[0].1.clone()], "panic = \"abort\"");
        let dotted = "profile.dist.panic = 'abort'\n";
        assert_eq!(abort_profiles(dotted)[0].0, "dist");
        let inline = "[profile]\nbench = { panic = \"abort\", lto = true }\n";
        let found = abort_profiles(inline);
        assert_eq!(&inline[found[0].1.clone()], "panic = \"abort\"");
        assert!(abort_profiles("not toml [").is_empty());
    }
}
