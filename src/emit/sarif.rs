//! SARIF 2.1.0, the format GitHub code scanning ingests and the VS Code SARIF viewer opens.
//!
//! The log is serialized from the typed structures below, which cover the subset of the
//! schema taskcheck writes (a hand-written subset rather than a generated crate: the
//! generated ones type enumerations and property bags as untyped JSON, and build the whole
//! schema at compile time). What GitHub relies on, and what its ingestion rules
//! (`sarif-multitool validate --rule-kind Ghas`) check:
//!
//! - `tool.driver`: name, semantic version, information URI, and every lint as a rule with
//!   short and full descriptions, help (text and Markdown, from the lint's documentation), a
//!   help URI, the default level, tags (the rule number and the lint's category), precision
//!   (from the lint's measured precision where there is one) and `problem.severity`;
//! - results with `ruleId`, `ruleIndex`, `level`, `message.text`, exactly one primary location
//!   with a region, related locations for the secondary labels (linked from the message),
//!   `partialFingerprints`, and `fixes` for machine-applicable suggestions;
//! - columns counted in UTF-16 code units (`columnKind: utf16CodeUnits`);
//! - paths relative to the repository root with `uriBaseId: %SRCROOT%`;
//! - one invocation whose `toolExecutionNotifications` list the files that could not be
//!   analysed (`parse_error`, `io_error`, `internal_error`: the tool's own diagnostics are
//!   notifications, not results).

use super::{is_tool_diagnostic, RepoPaths, Report};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use taskcheck_lints::registry::tool;
use taskcheck_lints::{Applicability, Diagnostic, Level, Lint, SourceMap, Span};

/// The OASIS schema URI of SARIF 2.1.0 (the final, errata 01 version).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `uriBaseId` every result location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of taskcheck's own partial fingerprint.
pub const FINGERPRINT_KEY: &str = "taskcheck/v1";

// ---------------------------------------------------------------------------------------------
// The typed subset of SARIF 2.1.0.

#[derive(Serialize)]
pub struct SarifLog {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    pub invocations: Vec<Invocation>,
    pub original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    pub results: Vec<SarifResult>,
    pub column_kind: &'static str,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: ToolComponent,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolComponent {
    pub name: &'static str,
    pub full_name: String,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub information_uri: String,
    pub rules: Vec<ReportingDescriptor>,
    pub notifications: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: &'static str,
    pub name: String,
    pub short_description: MultiformatMessage,
    pub full_description: MultiformatMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<MultiformatMessage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: ReportingConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<RuleProperties>,
}

#[derive(Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
}

#[derive(Serialize)]
pub struct ReportingConfiguration {
    pub level: SarifLevel,
}

#[derive(Serialize)]
pub struct RuleProperties {
    pub tags: Vec<String>,
    pub precision: &'static str,
    #[serde(rename = "problem.severity")]
    pub problem_severity: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SarifLevel {
    None,
    Note,
    Warning,
    Error,
}

impl SarifLevel {
    fn of(level: Level) -> SarifLevel {
        match level {
            Level::Deny => SarifLevel::Error,
            Level::Warn => SarifLevel::Warning,
            Level::Allow => SarifLevel::None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: SarifLevel,
    pub message: Message,
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    pub partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
}

#[derive(Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<ArtifactContent>,
}

#[derive(Serialize)]
pub struct ArtifactContent {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub description: Message,
    pub artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange {
    pub artifact_location: ArtifactLocation,
    pub replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub deleted_region: Region,
    pub inserted_content: ArtifactContent,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
pub struct Notification {
    pub level: SarifLevel,
    pub message: Message,
    pub locations: Vec<Location>,
    pub descriptor: DescriptorReference,
}

#[derive(Serialize)]
pub struct DescriptorReference {
    pub id: &'static str,
    pub index: usize,
}

// ---------------------------------------------------------------------------------------------
// Building the log.

/// Every lint as a SARIF rule, in registry order, then any other lint the report has (none
/// today; a finding is never dropped for want of a rule): a result's `ruleIndex` indexes this.
fn rule_lints(report: &Report<'_>) -> Vec<&'static Lint> {
    let mut lints: Vec<&'static Lint> = taskcheck_lints::all_lints().collect();
    for d in report.findings() {
        if !lints.iter().any(|l| l.name == d.lint.name) {
            lints.push(d.lint);
        }
    }
    lints
}

/// `detached_spawn` → `DetachedSpawn`, the "friendly name" form SARIF recommends.
fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The text of one `### Heading` section of a lint's documentation, as one paragraph.
fn doc_section(docs: &str, heading: &str) -> Option<String> {
    let mut lines = docs
        .lines()
        .map(str::trim)
        .skip_while(|l| !(l.starts_with("###") && l.trim_start_matches('#').trim() == heading));
    lines.next()?;
    let text: Vec<&str> =
        lines.take_while(|l| !l.starts_with("###") && !l.starts_with("```")).filter(|l| !l.is_empty()).collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// Markdown for GitHub: rustdoc's `rust,ignore` fences become plain `rust` fences, which
/// GitHub highlights.
fn help_markdown(lint: &Lint) -> String {
    let md = lint.docs_markdown();
    md.lines().map(|l| if l.trim_start().starts_with("```rust") { "```rust" } else { l }).collect::<Vec<_>>().join("\n")
}

fn help_uri(lint: &Lint) -> String {
    crate::docs::lint_url(lint)
}

fn descriptor(lint: &'static Lint) -> ReportingDescriptor {
    let what = doc_section(lint.docs, "What it does").unwrap_or_else(|| lint.summary.to_string());
    let full = if lint.why.is_empty() { what } else { format!("{what} Why: {}.", lint.why) };
    let mut tags = vec!["concurrency".to_string()];
    if let Some(rule) = lint.rule {
        tags.push(rule.key());
        tags.push(rule.title().to_string());
    }
    if let Some(category) = lint.category {
        tags.push(category.name().to_string());
    }
    let markdown = help_markdown(lint);
    // Lints of no rule (`unused_suppression`) are lints too; the tool's diagnostics are not.
    let is_lint = !taskcheck_lints::registry::tool::ALL.contains(&lint);
    ReportingDescriptor {
        id: lint.name,
        name: pascal_case(lint.name),
        short_description: MultiformatMessage { text: lint.summary.to_string(), markdown: None },
        full_description: MultiformatMessage { text: full, markdown: None },
        help: Some(MultiformatMessage { text: lint.docs_markdown(), markdown: Some(markdown) }),
        help_uri: is_lint.then(|| help_uri(lint)),
        default_configuration: ReportingConfiguration { level: SarifLevel::of(lint.default_level) },
        properties: is_lint.then(|| RuleProperties {
            tags,
            precision: precision(lint),
            problem_severity: match lint.default_level {
                Level::Deny => "error",
                Level::Warn => "warning",
                Level::Allow => "recommendation",
            },
        }),
    }
}

/// SARIF's precision scale from the lint's blind-reviewed precision (docs/precision.md): the
/// bars of a `deny` and a default-on lint are `very-high` and `high`. Unmeasured, default-on
/// lints are meant to be precise enough to run everywhere (Clippy's bar) and opt-in ones are
/// noisier.
fn precision(lint: &Lint) -> &'static str {
    match crate::precision::of(lint).map(|m| m.percent()) {
        Some(98..) => "very-high",
        Some(95..) => "high",
        Some(80..) => "medium",
        Some(_) => "low",
        None if lint.default_level == Level::Allow => "medium",
        None => "high",
    }
}

/// Percent-encodes a `/`-separated path for a URI: everything but unreserved characters and
/// `/` (and `:` when `keep_colon`, for a drive letter in an absolute `file` URI).
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            b':' if keep_colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `file:///abs/path` (with a trailing `/` when `dir`).
fn file_uri(path: &Path, dir: bool) -> String {
    let mut p = slashes(path);
    if !p.starts_with('/') {
        p.insert(0, '/'); // `C:/x` → `/C:/x`
    }
    if dir && !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", encode_path(&p, true))
}

/// Maps the report's paths to artifact locations relative to the repository root.
struct Locator<'a> {
    paths: &'a RepoPaths,
    root: std::path::PathBuf,
    cache: std::cell::RefCell<BTreeMap<u32, ArtifactLocation>>,
}

impl<'a> Locator<'a> {
    fn new(paths: &'a RepoPaths) -> Locator<'a> {
        Locator { paths, root: paths.root(), cache: Default::default() }
    }

    fn artifact(&self, sources: &SourceMap, span: Span) -> ArtifactLocation {
        if let Some(hit) = self.cache.borrow().get(&span.file.0) {
            return hit.clone();
        }
        let shown = &sources.get(span.file).path;
        let location = match self.paths.relative(shown) {
            Some(rel) => ArtifactLocation { uri: encode_path(&rel, false), uri_base_id: Some(SRCROOT) },
            // Outside the repository: only an absolute URI can say where.
            None => ArtifactLocation { uri: file_uri(&self.paths.absolute(shown), false), uri_base_id: None },
        };
        self.cache.borrow_mut().insert(span.file.0, location.clone());
        location
    }

    fn uri_of(&self, sources: &SourceMap, span: Span) -> String {
        self.artifact(sources, span).uri
    }
}

fn region(sources: &SourceMap, span: Span, with_snippet: bool) -> Region {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col((span.end as usize).max(span.start as usize));
    let snippet =
        with_snippet.then(|| ArtifactContent { text: file.snippet(span).to_string() }).filter(|s| !s.text.is_empty());
    Region {
        start_line: start.line,
        start_column: start.col_utf16,
        end_line: end.line,
        end_column: end.col_utf16,
        snippet,
    }
}

/// `[`, `]` and `\` are escaped in the text of an embedded link (SARIF §3.11.6).
fn link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The result message: the diagnostic's message, then its labels as embedded links to the
/// related locations (GitHub shows related locations only when the message links them), then
/// its help.
fn result_message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for (i, label) in d.labels.iter().enumerate() {
        let words = if label.message.is_empty() { "related location" } else { &label.message };
        text.push_str(&format!("\n[{}]({})", link_text(words), i + 1));
    }
    for h in &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    text
}

/// The flagged text with runs of white space collapsed, so that reformatting or moving it does
/// not change its identity; the whole line for an empty span.
fn normalized_text(sources: &SourceMap, span: Span) -> String {
    let file = sources.get(span.file);
    let snippet = file.snippet(span);
    let text = if snippet.trim().is_empty() {
        file.line_text(file.line_index(file.clamp(span.start as usize)))
    } else {
        snippet
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 64-bit FNV-1a: small, stable across platforms and releases (unlike `std`'s hasher).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn fix(sources: &SourceMap, locator: &Locator<'_>, s: &taskcheck_lints::Suggestion) -> Fix {
    let mut changes: Vec<ArtifactChange> = Vec::new();
    for e in &s.edits {
        let location = locator.artifact(sources, e.span);
        let replacement = Replacement {
            deleted_region: region(sources, e.span, false),
            inserted_content: ArtifactContent { text: e.replacement.clone() },
        };
        match changes.iter_mut().find(|c| c.artifact_location.uri == location.uri) {
            Some(change) => change.replacements.push(replacement),
            None => changes.push(ArtifactChange { artifact_location: location, replacements: vec![replacement] }),
        }
    }
    Fix { description: Message { text: s.message.clone() }, artifact_changes: changes }
}

fn notification(sources: &SourceMap, locator: &Locator<'_>, d: &Diagnostic) -> Notification {
    let file = sources.get(d.primary.span.file);
    // A file that could not be read has no text, so no region to point at.
    let region = (!file.text.is_empty()).then(|| region(sources, d.primary.span, false));
    let location = Location {
        id: None,
        physical_location: PhysicalLocation { artifact_location: locator.artifact(sources, d.primary.span), region },
        message: None,
    };
    let index = tool::ALL.iter().position(|l| l.name == d.lint.name).unwrap_or(0);
    let mut text = d.message.clone();
    for h in &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    Notification {
        level: SarifLevel::Error,
        message: Message { text },
        locations: vec![location],
        descriptor: DescriptorReference { id: tool::ALL[index].name, index },
    }
}

/// Builds the SARIF log of a report.
pub fn log(report: &Report<'_>, paths: &RepoPaths) -> SarifLog {
    let sources = report.sources;
    let lints = rule_lints(report);
    let locator = Locator::new(paths);
    let mut occurrences: BTreeMap<(&str, String, String), usize> = BTreeMap::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for d in report.diagnostics {
        if is_tool_diagnostic(d) {
            notifications.push(notification(sources, &locator, d));
            continue;
        }
        let Some(rule_index) = lints.iter().position(|l| l.name == d.lint.name) else { continue };
        let uri = locator.uri_of(sources, d.primary.span);
        let text = normalized_text(sources, d.primary.span);
        let hash = fnv1a(&[d.lint.name, &uri, &text]);
        let occurrence = occurrences.entry((d.lint.name, uri, text)).or_insert(0);
        *occurrence += 1;
        let primary = Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: locator.artifact(sources, d.primary.span),
                region: Some(region(sources, d.primary.span, true)),
            },
            message: (!d.primary.message.is_empty()).then(|| Message { text: d.primary.message.clone() }),
        };
        let related_locations = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| Location {
                id: Some(i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: locator.artifact(sources, l.span),
                    region: Some(region(sources, l.span, false)),
                },
                message: Some(Message {
                    text: if l.message.is_empty() { "related location".into() } else { l.message.clone() },
                }),
            })
            .collect();
        let fixes = d
            .suggestions
            .iter()
            .filter(|s| s.applicability == Applicability::MachineApplicable && !s.edits.is_empty())
            .map(|s| fix(sources, &locator, s))
            .collect();
        results.push(SarifResult {
            rule_id: d.lint.name,
            rule_index,
            level: SarifLevel::of(d.level),
            message: Message { text: result_message(d) },
            locations: vec![primary],
            related_locations,
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, format!("{hash:016x}:{occurrence}"))]),
            fixes,
        });
    }
    let execution_successful = !report.diagnostics.iter().any(|d| d.lint.name == tool::INTERNAL_ERROR.name);
    let root = ArtifactLocation { uri: file_uri(&locator.root, true), uri_base_id: None };
    SarifLog {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: ToolComponent {
                    name: "taskcheck",
                    full_name: format!("taskcheck {}", env!("CARGO_PKG_VERSION")),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY").to_string(),
                    rules: lints.into_iter().map(descriptor).collect(),
                    notifications: tool::ALL.iter().map(|l| descriptor(l)).collect(),
                },
            },
            invocations: vec![Invocation { execution_successful, tool_execution_notifications: notifications }],
            original_uri_base_ids: BTreeMap::from([(SRCROOT, root)]),
            results,
            column_kind: "utf16CodeUnits",
        }],
    }
}

/// Writes the SARIF log, pretty-printed, with a final newline.
pub fn emit(out: &mut dyn Write, report: &Report<'_>, paths: &RepoPaths) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, paths))?;
    out.write_all(b"\n")
}

/// [`emit`] into a string.
pub fn render(report: &Report<'_>, paths: &RepoPaths) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail, and every value here serializes.
    let _ = emit(&mut buf, report, paths);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_support;
    use serde_json::Value;
    use std::path::PathBuf;
    use taskcheck_lints::{SourceFile, SourceMap};

    fn paths() -> RepoPaths {
        RepoPaths { cwd: PathBuf::from("/repo/crates/app"), root: Some(PathBuf::from("/repo")) }
    }

    fn sarif(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Value {
        let report = Report { sources, diagnostics, files_checked: 2 };
        serde_json::from_str(&render(&report, &paths())).unwrap()
    }

    fn fixture() -> Value {
        let sources = test_support::sources();
        let diagnostics = test_support::diagnostics(&sources);
        sarif(&sources, &diagnostics)
    }

    #[test]
    fn driver_lists_every_lint_as_a_rule() {
        let v = fixture();
        assert_eq!(v["$schema"], SCHEMA_URI);
        assert_eq!(v["version"], "2.1.0");
        let driver = &v["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "taskcheck");
        assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), taskcheck_lints::all_lints().count());
        let detached = rules.iter().find(|r| r["id"] == "detached_spawn").unwrap();
        assert_eq!(detached["name"], "DetachedSpawn");
        assert!(detached["shortDescription"]["text"].as_str().unwrap().contains("runs forever"));
        assert!(detached["fullDescription"]["text"].as_str().unwrap().starts_with("Finds a thread or task"));
        assert!(detached["help"]["markdown"].as_str().unwrap().contains("### Why is this bad"));
        assert!(detached["help"]["markdown"].as_str().unwrap().contains("```rust\n"));
        assert!(!detached["help"]["text"].as_str().unwrap().is_empty());
        assert_eq!(
            detached["helpUri"],
            format!("{}/blob/main/docs/lints/detached_spawn.md", env!("CARGO_PKG_REPOSITORY"))
        );
        assert_eq!(detached["defaultConfiguration"]["level"], "warning");
        let tags: Vec<&str> =
            detached["properties"]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert!(tags.contains(&"rule-1") && tags.contains(&"suspicious"), "{tags:?}");
        assert!(["very-high", "high", "medium", "low"].contains(&detached["properties"]["precision"].as_str().unwrap()));
        assert_eq!(detached["properties"]["problem.severity"], "warning");
        let notifications: Vec<&str> =
            driver["notifications"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert_eq!(notifications, vec!["parse_error", "io_error", "internal_error"]);
    }

    #[test]
    fn results_point_into_the_repository_with_utf16_columns() {
        let v = fixture();
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2, "the parse error is a notification, not a result");
        let r = results.iter().find(|r| r["ruleId"] == "detached_spawn").unwrap();
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], "detached_spawn");
        assert_eq!(r["level"], "warning");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "crates/app/src/lib.rs");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // `    let s = "é😀"; ` is 18 scalar values but 19 UTF-16 code units: the emoji is two.
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 20);
        assert_eq!(loc["region"]["endColumn"], 33);
        assert_eq!(loc["region"]["snippet"]["text"], "thread::spawn");
        assert_eq!(r["locations"][0]["message"]["text"], "the `JoinHandle` is dropped here");
        assert_eq!(r["locations"].as_array().unwrap().len(), 1);
        let related = &r["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(related["message"]["text"], "this loop has no exit");
        let msg = r["message"]["text"].as_str().unwrap();
        assert!(
            msg.starts_with("spawned thread runs forever, 100% detached\n[this loop has no exit](1)\nhelp: keep"),
            "{msg}"
        );
        let manifest = results.iter().find(|r| r["ruleId"] == "sleep_in_test").unwrap();
        assert_eq!(manifest["level"], "error");
        assert_eq!(manifest["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "crates/app/Cargo.toml");
        assert_eq!(manifest["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    }

    #[test]
    fn machine_applicable_suggestions_become_fixes() {
        let v = fixture();
        let r = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "detached_spawn")
            .unwrap()
            .clone();
        let fixes = r["fixes"].as_array().unwrap();
        assert_eq!(fixes.len(), 1, "the has-placeholders suggestion is not a fix");
        assert_eq!(fixes[0]["description"]["text"], "bind the handle");
        let change = &fixes[0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "crates/app/src/lib.rs");
        let rep = &change["replacements"][0];
        assert_eq!(rep["deletedRegion"]["startColumn"], 20);
        assert_eq!(rep["deletedRegion"]["endColumn"], 20);
        assert_eq!(rep["insertedContent"]["text"], "let _worker = ");
    }

    #[test]
    fn unanalysed_files_are_tool_notifications() {
        let v = fixture();
        let inv = &v["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(n["descriptor"]["id"], "parse_error");
        assert_eq!(n["descriptor"]["index"], 0);
        assert_eq!(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "crates/app/src/broken.rs");
        assert!(n["message"]["text"].as_str().unwrap().starts_with("could not parse this file"));

        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new("gone.rs", ""));
        let d = Diagnostic::new(&tool::INTERNAL_ERROR, Span::new(id, 0, 0), "taskcheck failed");
        let v = sarif(&sources, &[d]);
        let inv = &v["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert!(inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"].get("region").is_none());
    }

    fn fingerprints(text: &str) -> Vec<String> {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new("src/lib.rs", text));
        let lint = test_support::lint("detached_spawn");
        let mut diagnostics = Vec::new();
        for (start, _) in text.match_indices("spawn(job)") {
            diagnostics.push(Diagnostic::new(lint, Span::new(id, start, start + "spawn(job)".len()), "m"));
        }
        let v = sarif(&sources, &diagnostics);
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn fingerprints_survive_lines_added_above() {
        let before = fingerprints("fn f() {\n    spawn(job);\n    spawn(job);\n}\n");
        let after = fingerprints("// a new comment\nuse x::y;\n\nfn f() {\n      spawn(job);\n    spawn(job);\n}\n");
        assert_eq!(before, after);
        assert_eq!(before.len(), 2);
        assert_ne!(before[0], before[1], "identical findings are told apart by their occurrence");
        assert!(before[0].ends_with(":1") && before[1].ends_with(":2"));
    }

    #[test]
    fn paths_are_encoded_and_outside_files_stay_absolute() {
        let mut sources = SourceMap::default();
        let inside = sources.add(SourceFile::new("src/a b/é#.rs", "x"));
        let outside = sources.add(SourceFile::new("../../../elsewhere/x.rs", "x"));
        let lint = test_support::lint("detached_spawn");
        let diagnostics = vec![
            Diagnostic::new(lint, Span::new(inside, 0, 1), "m"),
            Diagnostic::new(lint, Span::new(outside, 0, 1), "m"),
        ];
        let v = sarif(&sources, &diagnostics);
        let results = v["runs"][0]["results"].as_array().unwrap();
        let loc0 = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc0["uri"], "crates/app/src/a%20b/%C3%A9%23.rs");
        let loc1 = &results[1]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc1["uri"], "file:///elsewhere/x.rs");
        assert!(loc1.get("uriBaseId").is_none());
    }
}
