//! `--fix`: applies the machine-applicable suggestions of the reported findings.
//!
//! Per file, suggestions are taken in source order; one that overlaps an edit already taken is
//! skipped (a later `--fix` run may apply it). The fixed text of a Rust file must parse with
//! syn, and a TOML file's with `toml`: if it does not, the suggestions are tried one at a time
//! and each one that would break the file is refused. Files are written atomically: a
//! temporary file in the same folder, then a rename over the original. `--fix --diff` prints a
//! unified diff instead of writing.

use crate::emit::human::display_path;
use crate::error::Error;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use taskcheck_lints::{Applicability, Diagnostic, Edit, FileId, SourceMap};

/// The fixes of one file.
#[derive(Debug)]
pub struct FileFix {
    pub file: FileId,
    /// The fixed text.
    pub text: String,
    /// Indices (into the diagnostics given to [`plan`]) of the findings fixed.
    pub fixed: Vec<usize>,
    /// Suggestions skipped because they overlap one taken.
    pub overlapping: usize,
    /// Suggestions refused because the file would not parse.
    pub refused: usize,
}

/// Every file's fixes.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// Files whose text changes, by path order.
    pub files: Vec<FileFix>,
    /// Files with suggestions none of which could be applied.
    pub unchanged: Vec<FileFix>,
}

impl FixPlan {
    /// How many findings the plan fixes.
    pub fn fixed_count(&self) -> usize {
        self.files.iter().map(|f| f.fixed.len()).sum()
    }

    /// What happened, one line per file, for stderr; `dry` for `--diff`, which writes nothing.
    pub fn notes(&self, sources: &SourceMap, dry: bool) -> Vec<String> {
        let mut out = Vec::new();
        for f in self.files.iter().chain(&self.unchanged) {
            let path = display_path(sources.get(f.file).path());
            if !f.fixed.is_empty() {
                let n = f.fixed.len();
                let verb = if dry { "would fix" } else { "fixed" };
                out.push(format!("taskcheck: {verb} {path} ({n} {})", if n == 1 { "fix" } else { "fixes" }));
            }
            if f.refused > 0 {
                out.push(format!(
                    "taskcheck: refused {} fix(es) in {path}: the file would not parse; please report it",
                    f.refused
                ));
            }
            if f.overlapping > 0 {
                out.push(format!(
                    "taskcheck: skipped {} overlapping fix(es) in {path}; run --fix again to apply them",
                    f.overlapping
                ));
            }
        }
        out
    }
}

/// One suggestion to apply: the finding it fixes and its edits, sorted, all in one file.
struct Candidate {
    diagnostic: usize,
    edits: Vec<Edit>,
}

/// The fixes the machine-applicable suggestions of `diagnostics` make (the first such
/// suggestion of each finding).
pub fn plan(sources: &SourceMap, diagnostics: &[Diagnostic]) -> FixPlan {
    let mut by_file: BTreeMap<FileId, Vec<Candidate>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(s) = d.suggestions.iter().find(|s| s.applicability == Applicability::MachineApplicable) else {
            continue;
        };
        let Some(first) = s.edits.first() else { continue };
        let file = first.span.file;
        let text = &sources.get(file).text;
        let valid = |e: &Edit| {
            e.span.file == file
                && e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
        };
        if !s.edits.iter().all(valid) {
            continue;
        }
        let mut edits = s.edits.clone();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        if edits.windows(2).any(|w| overlaps(&w[0], &w[1])) {
            continue;
        }
        by_file.entry(file).or_default().push(Candidate { diagnostic: i, edits });
    }
    let mut plan = FixPlan::default();
    for (file, mut candidates) in by_file {
        candidates.sort_by_key(|c| (c.edits[0].span.start, c.edits[0].span.end, c.diagnostic));
        let original: &str = &sources.get(file).text;
        let kind = Kind::of(sources.get(file).path());
        let mut taken: Vec<&Candidate> = Vec::new();
        let mut fix = FileFix { file, text: String::new(), fixed: Vec::new(), overlapping: 0, refused: 0 };
        for c in &candidates {
            let edits = taken.iter().flat_map(|t| &t.edits);
            if c.edits.iter().all(|e| edits.clone().any(|t| t == e)) {
                // The same edits as a suggestion taken (two findings, one fix).
                fix.fixed.push(c.diagnostic);
            } else if c.edits.iter().any(|e| edits.clone().any(|t| overlaps(t, e))) {
                fix.overlapping += 1;
            } else {
                taken.push(c);
                fix.fixed.push(c.diagnostic);
            }
        }
        let mut text = apply(original, taken.iter().flat_map(|c| &c.edits));
        if !kind.parses(&text) {
            // Find the suggestions that break the file: take them one at a time.
            let mut kept: Vec<&Candidate> = Vec::new();
            fix.fixed.clear();
            for c in taken {
                let trial = apply(original, kept.iter().chain([&c]).flat_map(|k| &k.edits));
                if kind.parses(&trial) {
                    kept.push(c);
                } else {
                    fix.refused += 1;
                }
            }
            fix.fixed =
                candidates.iter().filter(|c| kept.iter().any(|k| k.edits == c.edits)).map(|c| c.diagnostic).collect();
            text = apply(original, kept.iter().flat_map(|c| &c.edits));
        }
        fix.fixed.sort_unstable();
        if text != original {
            fix.text = text;
            plan.files.push(fix);
        } else {
            fix.fixed.clear();
            plan.unchanged.push(fix);
        }
    }
    plan
}

/// Two edits conflict when their ranges intersect, or both insert at the same place (their
/// order would be a guess).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return true;
    }
    let (a0, a1, b0, b1) = (a.span.start, a.span.end, b.span.start, b.span.end);
    (a0 < b1 && b0 < a1) || (a0 == b0 && (a0 == a1 || b0 == b1))
}

/// `original` with non-overlapping `edits` applied.
fn apply<'e>(original: &str, edits: impl Iterator<Item = &'e Edit>) -> String {
    let mut edits: Vec<&Edit> = edits.collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(original.len());
    let mut at = 0;
    for e in edits {
        let (start, end) = (e.span.start as usize, e.span.end as usize);
        if start < at {
            continue;
        }
        out.push_str(&original[at..start]);
        out.push_str(&e.replacement);
        at = end;
    }
    out.push_str(&original[at..]);
    out
}

/// How a fixed file is checked before it is written.
#[derive(Clone, Copy)]
enum Kind {
    Rust,
    Toml,
    Other,
}

impl Kind {
    fn of(path: &Path) -> Kind {
        match path.extension().and_then(|e| e.to_str()) {
            Some("rs") => Kind::Rust,
            Some("toml") => Kind::Toml,
            _ => Kind::Other,
        }
    }

    fn parses(self, text: &str) -> bool {
        match self {
            Kind::Rust => taskcheck_lints::is_valid_rust(text),
            Kind::Toml => text.parse::<toml::Table>().is_ok(),
            Kind::Other => true,
        }
    }
}

/// Writes every fixed file; returns how many. A file that changed on disk since it was read is
/// left alone.
pub fn write(plan: &FixPlan, sources: &SourceMap, cwd: &Path) -> Result<usize, Error> {
    let mut written = 0;
    for f in &plan.files {
        let source = sources.get(f.file);
        let path = cwd.join(source.path());
        let shown = display_path(source.path());
        match std::fs::read_to_string(&path) {
            Ok(now) if *now == *source.text => {}
            _ => {
                eprintln!("taskcheck: {shown} changed while taskcheck ran; not fixed");
                continue;
            }
        }
        write_atomically(&path, &f.text).map_err(|e| Error::new(format!("cannot write the fixes to {shown}: {e}")))?;
        written += 1;
    }
    Ok(written)
}

/// The files the plan would write that git shows changes in since the last commit (modified,
/// staged or untracked), as shown: `--fix` leaves those alone, as `cargo fix` does, so that a
/// fix never mixes with work not yet saved in the repository. None when git is not installed
/// or the folder is not in a repository: there is nothing to compare with.
pub fn uncommitted(plan: &FixPlan, sources: &SourceMap, cwd: &Path) -> Vec<String> {
    let mut dirty = Vec::new();
    for f in &plan.files {
        let source = sources.get(f.file);
        let output = std::process::Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=all", "--"])
            .arg(cwd.join(source.path()))
            .current_dir(cwd)
            .output();
        match output {
            Ok(o) if o.status.success() => {
                if !o.stdout.is_empty() {
                    dirty.push(display_path(source.path()));
                }
            }
            // No git, or not a repository: every other file would say the same.
            _ => return Vec::new(),
        }
    }
    dirty
}

/// Writes `text` to a temporary file beside `path`, with `path`'s permissions, then renames it
/// over `path`: a reader sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let permissions = std::fs::metadata(path)?.permissions();
    let mut attempt = 0;
    let (temp, mut file) = loop {
        let temp: PathBuf = dir.join(format!(".{name}.taskcheck-fix-{}-{attempt}", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The plan as a unified diff, `a/` and `b/` prefixed paths as shown, files in path order.
pub fn unified_diff(plan: &FixPlan, sources: &SourceMap) -> String {
    let mut out = String::new();
    for f in &plan.files {
        let source = sources.get(f.file);
        let path = display_path(source.path());
        let diff = similar::TextDiff::from_lines(&*source.text, f.text.as_str());
        out.push_str(
            &diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string(),
        );
    }
    out
}

pub fn print_diff(diff: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(diff.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::new(format!("cannot write the diff: {e}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taskcheck_lints::{find_lint, SourceFile, Span};

    fn diagnostic(file: u32, start: usize, end: usize, replacement: &str) -> Diagnostic {
        let lint = find_lint("unused_suppression").expect("lint");
        let span = Span::new(FileId(file), start, end);
        Diagnostic::new(lint, span, "m").suggest("fix", span, replacement, Applicability::MachineApplicable)
    }

    #[test]
    fn applies_skips_overlaps_and_refuses_what_would_not_parse() {
        let mut sources = SourceMap::default();
        let text = "fn a() {}\nfn b() {}\n";
        sources.add(SourceFile::new("a.rs", text));
        let ds = vec![
            diagnostic(0, 3, 4, "x"),   // a → x
            diagnostic(0, 3, 4, "x"),   // the same fix again: fixed too
            diagnostic(0, 3, 5, "y"),   // overlaps the first
            diagnostic(0, 13, 14, "z"), // b → z
            diagnostic(0, 15, 16, "{"), // ( → {: would not parse
        ];
        let plan = plan(&sources, &ds);
        assert_eq!(plan.files.len(), 1);
        let f = &plan.files[0];
        assert_eq!(f.text, "fn x() {}\nfn z() {}\n");
        assert_eq!(f.fixed, [0, 1, 3]);
        assert_eq!((f.overlapping, f.refused), (1, 1));
        let diff = unified_diff(&plan, &sources);
        assert!(diff.starts_with("--- a/a.rs\n+++ b/a.rs\n@@"), "{diff}");
    }

    #[test]
    fn atomic_write_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.rs");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }
}
