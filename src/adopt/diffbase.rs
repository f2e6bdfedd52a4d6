//! Pull-request mode: `--diff-base REV` keeps the findings whose primary span touches a line
//! added or changed since `REV`, from `git diff --unified=0 REV` run at the repository root
//! (the working tree against `REV`, uncommitted changes included). Files git does not track
//! yet count as added whole. Lines only deleted touch nothing.

use crate::config::normalize;
use crate::error::Error;
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;
use taskcheck_lints::{Diagnostic, SourceMap};

/// The changed lines of each file, by path relative to the repository root.
#[derive(Debug, Default)]
pub struct Changed {
    root: PathBuf,
    files: HashMap<String, Lines>,
}

#[derive(Debug, PartialEq, Eq)]
enum Lines {
    /// A file git does not track: every line is new.
    All,
    /// 1-based line ranges added or changed.
    Ranges(Vec<RangeInclusive<usize>>),
}

/// Runs git in the repository holding `cwd`.
pub fn changed_lines(rev: &str, cwd: &Path) -> Result<Changed, Error> {
    if rev.starts_with('-') {
        return Err(Error::new(format!("`{rev}` is not a git revision")));
    }
    let root = git(cwd, &["rev-parse", "--show-toplevel"])?;
    let root = PathBuf::from(root.trim_end_matches(['\n', '\r']));
    let diff =
        git(&root, &["-c", "core.quotepath=off", "diff", "--unified=0", "--no-color", "--no-ext-diff", rev, "--"])?;
    let mut changed = Changed { files: parse_diff(&diff), root };
    let untracked =
        git(&changed.root, &["-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z"])?;
    for path in untracked.split('\0').filter(|p| !p.is_empty()) {
        changed.files.insert(path.to_string(), Lines::All);
    }
    Ok(changed)
}

fn git(dir: &Path, args: &[&str]) -> Result<String, Error> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| Error::new(format!("cannot run git for --diff-base: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim();
        return Err(Error::new(format!("`git {}` failed: {}", args.join(" "), reason.trim_start_matches("fatal: ")))
            .with_help("--diff-base needs a git repository and a revision it knows (a branch, tag or commit)"));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The added line ranges of each file of a `git diff --unified=0` output.
fn parse_diff(diff: &str) -> HashMap<String, Lines> {
    let mut files: HashMap<String, Lines> = HashMap::new();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            let path = unquote(path);
            current = path.strip_prefix("b/").map(str::to_string);
            continue;
        }
        let Some(header) = line.strip_prefix("@@ ") else { continue };
        let Some(file) = &current else { continue };
        // `@@ -a,b +c,d @@`: the new side starts at line c and has d lines (1 when omitted).
        let Some(new_side) = header.split_whitespace().find_map(|part| part.strip_prefix('+')) else { continue };
        let mut numbers = new_side.splitn(2, ',');
        let start: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let count: usize = numbers.next().map_or(Some(1), |n| n.parse().ok()).unwrap_or(0);
        if count == 0 || start == 0 {
            continue;
        }
        let entry = files.entry(file.clone()).or_insert_with(|| Lines::Ranges(Vec::new()));
        if let Lines::Ranges(ranges) = entry {
            ranges.push(start..=start + count - 1);
        }
    }
    files
}

/// Paths git quotes (`"b/a\"b.rs"`), with the common escapes undone.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl Changed {
    /// Whether the finding's primary span is on a line added or changed.
    pub fn touches(&self, d: &Diagnostic, sources: &SourceMap, cwd: &Path) -> bool {
        let file = sources.get(d.primary.span.file);
        let absolute = normalize(&cwd.join(file.path()));
        let Ok(relative) = absolute.strip_prefix(&self.root) else { return false };
        let key = relative.to_string_lossy().replace('\\', "/");
        let first = file.line_col(d.primary.span.start as usize).line;
        let last =
            file.line_col((d.primary.span.end as usize).saturating_sub(1).max(d.primary.span.start as usize)).line;
        match self.files.get(&key) {
            Some(Lines::All) => true,
            Some(Lines::Ranges(ranges)) => ranges.iter().any(|r| *r.start() <= last && first <= *r.end()),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_from_a_zero_context_diff() {
        let diff = "\
diff --git a/src/lib.rs b/src/lib.rs
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -3 +3 @@ fn a() {
-old
+new
@@ -10,0 +11,2 @@
+x
+y
@@ -20,3 +21,0 @@
diff --git a/gone.rs b/gone.rs
--- a/gone.rs
+++ /dev/null
@@ -1,2 +0,0 @@
--- \"a/we\\\"ird.rs\"
+++ \"b/we\\\"ird.rs\"
@@ -0,0 +1 @@
+z
";
        let files = parse_diff(diff);
        assert_eq!(files.get("src/lib.rs"), Some(&Lines::Ranges(vec![3..=3, 11..=12])));
        assert_eq!(files.get("we\"ird.rs"), Some(&Lines::Ranges(vec![1..=1])));
        assert!(!files.contains_key("gone.rs"));
    }
}
