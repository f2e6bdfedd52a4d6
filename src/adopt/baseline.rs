//! Baselines: the findings a team accepts when it adopts taskcheck, so that only new ones are
//! reported.
//!
//! A finding's identity must survive unrelated edits, so it holds no line number: the lint,
//! the file's path (relative to the baseline file's folder), the flagged code with its
//! whitespace collapsed, the text of the line it starts on (likewise), and the occurrence index
//! of that key in the file, for identical findings. The file is JSON, versioned, its entries
//! sorted, so that it diffs well in review.

use super::is_tool_diagnostic;
use crate::config::normalize;
use crate::discover::shown_path;
use crate::emit::human::display_path;
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use taskcheck_lints::{Diagnostic, SourceMap};

/// The format's version; a file of another version is refused.
pub const VERSION: u32 = 1;

/// The flagged code is cut after this many characters: long spans (a whole function) would
/// make the file large, and their start identifies them well enough.
const CODE_CHARS: usize = 200;

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub lint: String,
    /// Relative to the baseline file's folder, `/`-separated.
    pub path: String,
    /// The primary span's text, whitespace collapsed.
    pub code: String,
    /// The primary span's first line, whitespace collapsed.
    pub line: String,
    /// Among findings of the same lint, path, code and line, in file order: which one.
    pub occurrence: usize,
}

/// Each lint finding's entry (`None` for the tool's own diagnostics), in the order given.
/// `diagnostics` must be sorted by file and position, as the run sorts them.
pub fn entries(diagnostics: &[Diagnostic], sources: &SourceMap, cwd: &Path, baseline: &Path) -> Vec<Option<Entry>> {
    let base = normalize(&cwd.join(baseline)).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            if is_tool_diagnostic(d) {
                return None;
            }
            let file = sources.get(d.primary.span.file);
            let absolute = normalize(&cwd.join(file.path()));
            let path = display_path(&shown_path(&absolute, &base));
            let code: String = collapse(file.snippet(d.primary.span)).chars().take(CODE_CHARS).collect();
            let line = collapse(file.line_text(file.line_index(file.clamp(d.primary.span.start as usize))));
            let key = (d.lint.name.to_string(), path, code, line);
            let occurrence = seen.entry(key.clone()).or_insert(0);
            let entry = Entry { lint: key.0, path: key.1, code: key.2, line: key.3, occurrence: *occurrence };
            *occurrence += 1;
            Some(entry)
        })
        .collect()
}

/// Whitespace runs become one space; leading and trailing whitespace goes.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes every lint finding to `path`; returns how many.
pub fn write(path: &Path, cwd: &Path, sources: &SourceMap, diagnostics: &[Diagnostic]) -> Result<usize, Error> {
    let mut findings: Vec<Entry> = entries(diagnostics, sources, cwd, path).into_iter().flatten().collect();
    findings.sort();
    let count = findings.len();
    let file = BaselineFile { version: VERSION, tool: "taskcheck".to_string(), findings };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| Error::new(format!("cannot encode the baseline: {e}")))?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| Error::new(format!("cannot write the baseline {}: {e}", display_path(path))))?;
    Ok(count)
}

/// A baseline read from disk.
#[derive(Debug, Default)]
pub struct Baseline {
    entries: HashSet<Entry>,
}

/// What [`Baseline::filter`] kept and left out.
#[derive(Debug, Default)]
pub struct Filtered {
    pub reported: Vec<Diagnostic>,
    pub in_baseline: usize,
    pub stale: usize,
}

/// Reads a baseline written by [`write`]. `shown` names it in messages.
pub fn read(path: &Path, shown: &str) -> Result<Baseline, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read the baseline {shown}: {e}")))?;
    parse(&text, shown)
}

pub fn parse(text: &str, shown: &str) -> Result<Baseline, Error> {
    #[derive(Deserialize)]
    struct Version {
        version: Option<serde_json::Value>,
    }
    let invalid = |e: serde_json::Error| {
        Error::new(format!("{shown}:{}:{}: not a taskcheck baseline: {e}", e.line(), e.column()))
            .with_help("write one with `cargo taskcheck --write-baseline FILE`")
    };
    let version: Version = serde_json::from_str(text).map_err(invalid)?;
    if version.version != Some(serde_json::Value::from(VERSION)) {
        let found = version.version.map(|v| v.to_string()).unwrap_or_else(|| "none".to_string());
        return Err(Error::new(format!("{shown}: baseline version {found} is not supported (expected {VERSION})"))
            .with_help("write it again with this version's `--write-baseline`"));
    }
    let file: BaselineFile = serde_json::from_str(text).map_err(invalid)?;
    Ok(Baseline { entries: file.findings.into_iter().collect() })
}

impl Baseline {
    /// Leaves out the findings the baseline has; counts the entries no finding matched.
    pub fn filter(mut self, diagnostics: Vec<Diagnostic>, cwd: &Path, sources: &SourceMap, path: &Path) -> Filtered {
        let keys = entries(&diagnostics, sources, cwd, path);
        let mut out = Filtered::default();
        for (d, key) in diagnostics.into_iter().zip(keys) {
            match key {
                Some(key) if self.entries.remove(&key) => out.in_baseline += 1,
                _ => out.reported.push(d),
            }
        }
        out.stale = self.entries.len();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_has_no_line_numbers() {
        assert_eq!(collapse("  tokio::spawn(\n\t async move {  "), "tokio::spawn( async move {");
        let err = parse("{\"version\": 2, \"tool\": \"taskcheck\", \"findings\": []}", "b.json").unwrap_err();
        assert!(err.message.contains("version 2 is not supported"), "{}", err.message);
        let err = parse("[", "b.json").unwrap_err();
        assert!(err.message.starts_with("b.json:1:1: not a taskcheck baseline"), "{}", err.message);
        assert!(parse("{\"version\": 1, \"tool\": \"taskcheck\", \"findings\": []}", "b.json").is_ok());
    }
}
