//! What a run's CI files say: whether CI runs a race checker (Miri, loom, ThreadSanitizer),
//! in a CI file itself, in a script it runs, or in a `make`/`just` target it invokes.
//!
//! Read by `missing_race_check`, which reports only when no race checker runs, and by the
//! prefilter, which reads no file for that lint when one does.

use crate::source::{FileId, SourceMap};

/// Task runner files: only the targets that CI runs count (see [`task_file_runs_race_check`]).
const TASK_FILES: &[&str] = &["Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".justfile"];

/// How many levels of prerequisites of a task target are followed.
const TARGET_DEPTH: usize = 4;

/// Whether CI runs a race checker: a CI file, or a script it runs, mentions one; or a `make` or
/// `just` target that one of them runs (or a prerequisite of it) does.
pub fn ci_runs_race_check(sources: &SourceMap, ci_files: &[FileId]) -> bool {
    let is_task_file = |id: &FileId| {
        sources.get(*id).path.file_name().and_then(|n| n.to_str()).is_some_and(|n| TASK_FILES.contains(&n))
    };
    let (tasks, plain): (Vec<FileId>, Vec<FileId>) = ci_files.iter().copied().partition(is_task_file);
    if plain.iter().any(|id| runs_race_check(&sources.get(*id).text)) {
        return true;
    }
    if tasks.is_empty() {
        return false;
    }
    let mut targets: Vec<String> = Vec::new();
    for id in &plain {
        targets.extend(invoked_targets(&sources.get(*id).text));
    }
    tasks.iter().any(|id| task_file_runs_race_check(&sources.get(*id).text, &targets))
}

/// The targets of `make`/`just` commands in uncommented lines: `make miri` → `miri`; a bare
/// `make` runs the default target, written as the empty string.
pub fn invoked_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = strip_comment(line);
        for command in code.split(['&', ';', '|']) {
            let words: Vec<&str> = command
                .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`'))
                .filter(|w| !w.is_empty())
                .collect();
            let Some(at) = words.iter().position(|w| matches!(*w, "make" | "gmake" | "just")) else { continue };
            let mut named = false;
            let mut skip_next = false;
            for word in &words[at + 1..] {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                if matches!(*word, "-C" | "-f" | "--directory" | "--file" | "--justfile" | "--working-directory") {
                    skip_next = true;
                    continue;
                }
                if word.starts_with('-') || word.contains('=') || word.starts_with('$') {
                    continue;
                }
                out.push(word.to_string());
                named = true;
            }
            if !named {
                out.push(String::new());
            }
        }
    }
    out
}

/// Whether one of `targets` of a Makefile or justfile (the empty string: the first one), or a
/// prerequisite of it, has a recipe line that runs a race checker.
pub fn task_file_runs_race_check(text: &str, targets: &[String]) -> bool {
    let rules = task_rules(text);
    let mut wanted: Vec<String> = targets
        .iter()
        .filter_map(
            |t| if t.is_empty() { rules.first().and_then(|r| r.names.first().cloned()) } else { Some(t.clone()) },
        )
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..=TARGET_DEPTH {
        let mut next = Vec::new();
        for name in wanted.drain(..) {
            if seen.contains(&name) {
                continue;
            }
            for rule in rules.iter().filter(|r| r.names.contains(&name)) {
                if rule.recipe.iter().any(|line| runs_race_check(line)) {
                    return true;
                }
                next.extend(rule.prerequisites.iter().cloned());
            }
            seen.push(name);
        }
        wanted = next;
    }
    false
}

/// One rule of a Makefile or justfile: `names: prerequisites` and its indented recipe lines.
struct TaskRule<'t> {
    names: Vec<String>,
    prerequisites: Vec<String>,
    recipe: Vec<&'t str>,
}

fn task_rules(text: &str) -> Vec<TaskRule<'_>> {
    let mut rules: Vec<TaskRule<'_>> = Vec::new();
    let mut in_rule = false;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if in_rule && !line.trim().is_empty() {
                if let Some(rule) = rules.last_mut() {
                    rule.recipe.push(line);
                }
            }
            continue;
        }
        let code = strip_comment(line);
        in_rule = false;
        let Some((head, rest)) = code.split_once(':') else { continue };
        // `X := y`, `X = a:b`, `X ?= a:b` are assignments (a justfile parameter's default,
        // `name p='a'`, is not); `.PHONY:` lists no recipe.
        let mut head_words = head.split_whitespace();
        let assignment = head_words.next().is_some_and(|w| w.contains('='))
            || head_words.next().is_some_and(|w| w.starts_with('=') || w.ends_with("="));
        if rest.starts_with('=') || assignment || head.trim_start().starts_with('.') {
            continue;
        }
        // A justfile recipe names itself first, then its parameters.
        let is_just_header = head.split_whitespace().skip(1).any(|w| w.contains('=') || w.starts_with('$'));
        let mut names: Vec<String> =
            head.split_whitespace().map(|w| w.trim_start_matches('@').to_string()).filter(|w| !w.is_empty()).collect();
        if is_just_header {
            names.truncate(1);
        }
        if names.is_empty() {
            continue;
        }
        let prerequisites = rest.split_whitespace().map(|w| w.trim_matches(['(', ')']).to_string()).collect();
        rules.push(TaskRule { names, prerequisites, recipe: Vec::new() });
        in_rule = true;
        // `target: ; recipe` on the header line.
        if let Some((_, inline)) = rest.split_once(';') {
            if let Some(rule) = rules.last_mut() {
                rule.recipe.push(inline);
            }
        }
    }
    rules
}

/// Whether a CI file runs Miri, loom or ThreadSanitizer, in an uncommented line.
pub fn runs_race_check(text: &str) -> bool {
    text.lines().any(|line| {
        let code = strip_comment(line).to_ascii_lowercase();
        has_word(&code, "miri")
            || code.contains("miriflags")
            || code.contains("-zmiri")
            || has_word(&code, "loom")
            || has_word(&code, "tsan")
            || code.contains("sanitizer=thread")
    })
}

/// A line without its YAML (`# …`) or Groovy (`// …`) comment.
fn strip_comment(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with("//") {
        return "";
    }
    match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `word` with no letter or digit on either side (`cargo miri`, `miri.sh`, `LOOM_MAX…`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn race_checks_in_ci_text() {
        assert!(runs_race_check("    - run: cargo +nightly miri test"));
        assert!(runs_race_check("      RUSTFLAGS: --cfg loom"));
        assert!(runs_race_check("  - run: ci/miri.sh"));
        assert!(runs_race_check("RUSTFLAGS: -Zsanitizer=thread cargo test"));
        assert!(runs_race_check("      LOOM_MAX_PREEMPTIONS: 2"));
        // A CI task runner that runs Miri, configured through `MIRIFLAGS`.
        assert!(runs_race_check("        MIRIFLAGS: -Zmiri-strict-provenance"));
        assert!(!runs_race_check("    # - run: cargo miri test"));
        assert!(!runs_race_check("  - run: cargo test # miri later"));
        assert!(!runs_race_check("  - run: cargo test --workspace"));
        assert!(!runs_race_check("  name: admiring the bloom"));
    }

    #[test]
    fn make_and_just_targets_ci_runs() {
        assert_eq!(invoked_targets("  - run: make -C crates/core test-unsafe && make lint"), ["test-unsafe", "lint"]);
        assert_eq!(invoked_targets("  - run: just --justfile ci.just sanitize"), ["sanitize"]);
        assert_eq!(invoked_targets("  - run: make"), [""]);
        assert!(invoked_targets("  # - run: make miri").is_empty());
        let makefile = "all: test\n\ntest:\n\tcargo test\n\nunsafe-check: setup\n\tcargo +nightly miri test\n\nsetup:\n\trustup component add miri\n";
        assert!(task_file_runs_race_check(makefile, &["unsafe-check".to_string()]));
        assert!(!task_file_runs_race_check(makefile, &["test".to_string()]), "the Miri target is not run");
        assert!(!task_file_runs_race_check(makefile, &[String::new()]), "the default target runs no race check");
        // Run through a prerequisite.
        let through = "ci: unit races\nunit:\n\tcargo test\nraces:\n\tRUSTFLAGS=-Zsanitizer=thread cargo test\n";
        assert!(task_file_runs_race_check(through, &["ci".to_string()]));
        let justfile = "default:\n    cargo test\n\nsanitize target='x86_64-unknown-linux-gnu':\n    RUSTFLAGS=-Zsanitizer=thread cargo +nightly test --target {{target}}\n";
        assert!(task_file_runs_race_check(justfile, &["sanitize".to_string()]));
        assert!(!task_file_runs_race_check(justfile, &[String::new()]));
    }
}
