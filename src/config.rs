//! Configuration: `taskcheck.toml` (or `.taskcheck.toml`) at the workspace root, or
//! `[workspace.metadata.taskcheck]` in the root `Cargo.toml`, for the whole run, and a member
//! package's own `taskcheck.toml` (or `.taskcheck.toml`, or `[package.metadata.taskcheck]` in
//! its `Cargo.toml`) on top of it for that package. Each place holds at most one table: two
//! of them (a `taskcheck.toml` beside a `[…metadata.taskcheck]`) are an error naming both.
//!
//! ```toml
//! exclude = ["src/generated/**", "benches"]   # globs, relative to the file's folder
//! test-attributes = ["rstest", "test_case"]  # more attributes that mark a test
//!
//! [lints]                                    # allow | warn | deny
//! all = "warn"
//! pedantic = "warn"                          # categories: correctness, suspicious, documentation, pedantic, nursery
//! rule-8 = "deny"                            # rule groups: rule-1 … rule-12, labels
//! detached_spawn = "allow"
//!
//! [spawners]                                 # the project's own spawn functions
//! spawn_logged = "tokio::spawn"              # … and the spawner each behaves like
//! "actix_rt::spawn" = "tokio::spawn"
//! ```
//!
//! Levels apply from the general to the specific (`all`, then categories, then rule groups,
//! then lints; within one kind, in the order of the keys), the
//! workspace's before a package's, and the command line's `-A`/`-W`/`-D` last. Every mistake
//! (bad TOML, a wrong type, an unknown key or lint name) is an error pointing at the file,
//! line and column, with a "did you mean" where one is close.

use crate::discover::{shown_path, Plan};
use crate::emit::human::display_path;
use crate::error::Error;
use crate::levels;
use crate::suggest;
use globset::GlobMatcher;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use taskcheck_lints::facts::spawns::{spawner_named, Spawner, SPAWNER_PATHS};
use taskcheck_lints::{Level, Levels, SourceFile, SourceMap};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The keys of a configuration table.
const KEYS: &[&str] = &["exclude", "lints", "spawners", "test-attributes"];

/// One configuration table, checked.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// Where it was read, for messages: `taskcheck.toml`, `Cargo.toml`.
    pub origin: String,
    /// `[lints]`, each with its level.
    pub lints: Vec<(String, Level)>,
    /// Globs and the folder they are relative to.
    pub exclude: Vec<Exclude>,
    /// `[spawners]`: path as written in code → the spawner it behaves like.
    pub spawners: BTreeMap<String, Spawner>,
    pub test_attributes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Exclude {
    pub pattern: String,
    pub base: PathBuf,
    matcher: GlobMatcher,
}

impl Exclude {
    /// Whether `path` (absolute) or a folder above it (up to `base`) matches.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.base) else { return false };
        let mut current = Some(relative);
        while let Some(p) = current.filter(|p| !p.as_os_str().is_empty()) {
            if self.matcher.is_match(p) {
                return true;
            }
            current = p.parent();
        }
        false
    }
}

/// What the run uses: the workspace's table and each package's own, merged.
#[derive(Debug, Default)]
pub struct Settings {
    /// Levels for files of no package and the workspace's own files (root manifest, CI).
    pub workspace_levels: Levels,
    /// Per package of the plan.
    pub levels: Vec<Levels>,
    pub test_attributes: Vec<Vec<String>>,
    excludes: Vec<Vec<Exclude>>,
    workspace_excludes: Vec<Exclude>,
}

impl Settings {
    /// Reads the configuration for `plan` (whose manifests are in `sources`), applies the
    /// command-line levels `ordered` last, and sets each package's extra spawners.
    pub fn load(
        plan: &mut Plan,
        sources: &SourceMap,
        cwd: &Path,
        ordered: &[(Level, String)],
    ) -> Result<Settings, Error> {
        let root = plan.workspace_root.clone().unwrap_or_else(|| cwd.to_path_buf());
        let root_manifest = plan.root_manifest.map(|id| &**sources.get(id));
        let workspace = table_in(&root, root_manifest, "workspace", cwd)?.unwrap_or_default();
        let root_identity = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let mut settings = Settings {
            workspace_levels: levels::resolve_over(&levels_of(&[&workspace]), ordered)?,
            workspace_excludes: workspace.exclude.clone(),
            ..Settings::default()
        };
        for package in &mut plan.packages {
            let manifest = package.manifest.map(|id| &**sources.get(id));
            // The root package's `taskcheck.toml` is the workspace's; a member's is its own.
            let at_root = std::fs::canonicalize(&package.root).is_ok_and(|r| r == root_identity);
            let own = match manifest {
                _ if package.root.as_os_str().is_empty() => None,
                Some(manifest) if at_root => manifest_table(manifest, "package", &package.root)?,
                manifest => table_in(&package.root, manifest, "package", cwd)?,
            };
            let tables: Vec<&Table> = std::iter::once(&workspace).chain(own.as_ref()).collect();
            settings.levels.push(levels::resolve_over(&levels_of(&tables), ordered)?);
            let mut spawners = BTreeMap::new();
            let mut attributes: Vec<String> = Vec::new();
            let mut excludes = Vec::new();
            for table in &tables {
                spawners.extend(table.spawners.iter().map(|(k, v)| (k.clone(), *v)));
                for attribute in &table.test_attributes {
                    if !attributes.contains(attribute) {
                        attributes.push(attribute.clone());
                    }
                }
                excludes.extend(table.exclude.iter().cloned());
            }
            package.extra_spawners = spawners.into_iter().collect();
            settings.test_attributes.push(attributes);
            settings.excludes.push(excludes);
        }
        Ok(settings)
    }

    /// Levels for one file: its package's, or the workspace's.
    pub fn levels_of(&self, package: Option<usize>) -> &Levels {
        package.and_then(|p| self.levels.get(p)).unwrap_or(&self.workspace_levels)
    }

    /// Every set of levels in use, to know which lints run anywhere.
    pub fn all_levels(&self) -> impl Iterator<Item = &Levels> {
        std::iter::once(&self.workspace_levels).chain(&self.levels)
    }

    /// Drops the files an `exclude` glob matches; returns how many.
    pub fn exclude(&self, plan: &mut Plan, cwd: &Path) -> usize {
        let before = plan.files.len();
        plan.files.retain(|file| {
            let absolute = normalize(&cwd.join(&file.path));
            let package = self.excludes.get(file.package).map(Vec::as_slice).unwrap_or(&[]);
            !package.iter().chain(&self.workspace_excludes).any(|e| e.matches(&absolute))
        });
        before - plan.files.len()
    }
}

/// Removes `.` and resolves `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Default levels, then `all`, the categories, the rule groups and the lints of each table in
/// turn.
fn levels_of(tables: &[&Table]) -> Levels {
    let mut levels = Levels::default();
    for table in tables {
        for pass in 0..=3 {
            for (name, level) in &table.lints {
                if levels::generality(name) == pass {
                    // Names were checked when the table was read.
                    let _ = levels::set(&mut levels, *level, name, false);
                }
            }
        }
    }
    levels
}

/// `taskcheck.toml`, `.taskcheck.toml` in `folder`, or `[<section>.metadata.taskcheck]` in
/// its `manifest`: at most one of them.
fn table_in(folder: &Path, manifest: Option<&SourceFile>, section: &str, cwd: &Path) -> Result<Option<Table>, Error> {
    let mut found: Vec<(String, Table)> = Vec::new();
    for name in ["taskcheck.toml", ".taskcheck.toml"] {
        let path = folder.join(name);
        if !path.is_file() {
            continue;
        }
        let shown = display_path(&shown_path(&path, cwd));
        let text = std::fs::read_to_string(&path).map_err(|e| Error::new(format!("cannot read {shown}: {e}")))?;
        let file = SourceFile::new(shown.clone(), text);
        let document = parse_document(&file)?;
        found.push((shown, read_table(&file, document.get_ref(), folder, "")?));
    }
    if let Some(file) = manifest {
        if let Some(table) = manifest_table(file, section, folder)? {
            found.push((format!("[{section}.metadata.taskcheck] in {}", display_path(file.path())), table));
        }
    }
    match found.len() {
        0 | 1 => Ok(found.pop().map(|(_, t)| t)),
        _ => {
            let places: Vec<String> = found.iter().map(|(p, _)| p.clone()).collect();
            Err(Error::new(format!("the configuration is in more than one place: {}", places.join(" and ")))
                .with_help("keep one of them"))
        }
    }
}

/// `[<section>.metadata.taskcheck]` of a manifest, if present. A manifest that is not valid
/// TOML holds no configuration (cargo reports it, and paths mode tolerates it).
fn manifest_table(file: &SourceFile, section: &str, base: &Path) -> Result<Option<Table>, Error> {
    if !file.text.contains("taskcheck") {
        return Ok(None);
    }
    let Ok(document) = DeTable::parse(&file.text) else { return Ok(None) };
    let Some(value) = document.get_ref().get(section).and_then(|s| table_of(s.get_ref())?.get("metadata")) else {
        return Ok(None);
    };
    let Some(value) = table_of(value.get_ref()).and_then(|m| m.get("taskcheck")) else { return Ok(None) };
    let prefix = format!("{section}.metadata.taskcheck.");
    match value.get_ref() {
        DeValue::Table(t) => read_table(file, t, base, &prefix).map(Some),
        other => Err(type_error(file, value.span(), &format!("`{}`", &prefix[..prefix.len() - 1]), "a table", other)),
    }
}

fn table_of<'a, 'i>(value: &'a DeValue<'i>) -> Option<&'a DeTable<'i>> {
    match value {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

fn parse_document<'t>(file: &'t SourceFile) -> Result<Spanned<DeTable<'t>>, Error> {
    DeTable::parse(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().lines().next().unwrap_or("invalid TOML").trim().to_string();
        located(file, span, &format!("invalid TOML: {message}"))
    })
}

fn read_table(file: &SourceFile, table: &DeTable<'_>, base: &Path, prefix: &str) -> Result<Table, Error> {
    let mut out = Table { origin: display_path(file.path()), ..Table::default() };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let full = format!("{prefix}{name}");
        match name {
            "lints" => {
                let lints = expect_table(file, value, &full)?;
                for (lint, level) in lints.iter() {
                    let lint_name: &str = lint.get_ref();
                    let level = expect_level(file, level, &format!("{full}.{lint_name}"))?;
                    let mut probe = Levels::default();
                    if let Err(e) = levels::set(&mut probe, level, lint_name, false) {
                        return Err(located(file, lint.span(), &levels::message(&e, lint_name)).with_help(e.help()));
                    }
                    out.lints.push((lint_name.to_string(), level));
                }
            }
            "exclude" => {
                for (pattern, span) in expect_strings(file, value, &full)? {
                    let matcher = globset::GlobBuilder::new(&pattern)
                        .literal_separator(true)
                        .build()
                        .map(|g| g.compile_matcher())
                        .map_err(|e| located(file, span, &format!("invalid glob `{pattern}`: {}", e.kind())))?;
                    out.exclude.push(Exclude { pattern, base: base.to_path_buf(), matcher });
                }
            }
            "spawners" => {
                for (path, kind) in expect_table(file, value, &full)?.iter() {
                    let path_text: &str = path.get_ref();
                    if !is_rust_path(path_text) {
                        return Err(located(file, path.span(), &format!("`{path_text}` is not a Rust path"))
                            .with_help("write the function as called in code: `spawn_logged`, `rt::spawn_logged`"));
                    }
                    let (kind_text, kind_span) = expect_string(file, kind, &format!("{full}.{path_text}"))?;
                    let Some(spawner) = spawner_named(&kind_text) else {
                        let error = located(file, kind_span, &format!("unknown spawner `{kind_text}`"));
                        return Err(match suggest::closest(&kind_text, SPAWNER_PATHS.iter().copied()) {
                            Some(close) => error.with_help(format!("did you mean `{close}`?")),
                            None => error.with_help(format!("known spawners: {}", SPAWNER_PATHS.join(", "))),
                        });
                    };
                    out.spawners.insert(path_text.trim_start_matches("::").to_string(), spawner);
                }
            }
            "test-attributes" => {
                for (attribute, span) in expect_strings(file, value, &full)? {
                    if !is_rust_path(&attribute) {
                        return Err(located(file, span, &format!("`{attribute}` is not an attribute path"))
                            .with_help("write it as in `#[…]`: `rstest`, `test_case`, `my_macros::test`"));
                    }
                    out.test_attributes.push(attribute);
                }
            }
            _ => {
                let error = located(file, key.span(), &format!("unknown key `{full}`"));
                let help = match suggest::closest(name, KEYS.iter().copied()) {
                    Some(close) => format!("did you mean `{prefix}{close}`?"),
                    None if taskcheck_lints::find_lint(name).is_some() || levels::is_group(name) => {
                        format!("lint levels go in a `[{prefix}lints]` table: `{name} = \"deny\"`")
                    }
                    None => format!("the keys are: {}", KEYS.join(", ")),
                };
                return Err(error.with_help(help));
            }
        }
    }
    Ok(out)
}

fn is_rust_path(text: &str) -> bool {
    let text = text.strip_prefix("::").unwrap_or(text);
    !text.is_empty()
        && text.split("::").all(|seg| {
            let mut chars = seg.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

fn expect_table<'a, 'i>(
    file: &SourceFile,
    value: &'a Spanned<DeValue<'i>>,
    key: &str,
) -> Result<&'a DeTable<'i>, Error> {
    match value.get_ref() {
        DeValue::Table(t) => Ok(t),
        other => Err(type_error(file, value.span(), &format!("`{key}`"), "a table", other)),
    }
}

fn expect_string(file: &SourceFile, value: &Spanned<DeValue<'_>>, key: &str) -> Result<(String, Range<usize>), Error> {
    match value.get_ref() {
        DeValue::String(s) => Ok((s.to_string(), value.span())),
        other => Err(type_error(file, value.span(), &format!("`{key}`"), "a string", other)),
    }
}

fn expect_strings(
    file: &SourceFile,
    value: &Spanned<DeValue<'_>>,
    key: &str,
) -> Result<Vec<(String, Range<usize>)>, Error> {
    match value.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::String(s) => Ok((s.to_string(), item.span())),
                other => Err(type_error(file, item.span(), &format!("each item of `{key}`"), "a string", other)),
            })
            .collect(),
        other => Err(type_error(file, value.span(), &format!("`{key}`"), "an array of strings", other)),
    }
}

fn expect_level(file: &SourceFile, value: &Spanned<DeValue<'_>>, key: &str) -> Result<Level, Error> {
    match value.get_ref() {
        DeValue::String(s) => Level::parse(s).ok_or_else(|| {
            located(file, value.span(), &format!("unknown level `{s}` for `{key}`"))
                .with_help("the levels are `allow`, `warn` and `deny`")
        }),
        other => Err(type_error(file, value.span(), &format!("`{key}`"), "a level (`allow`, `warn` or `deny`)", other)),
    }
}

/// `what` is `` `key` `` or ``each item of `key` ``.
fn type_error(file: &SourceFile, span: Range<usize>, what: &str, expected: &str, found: &DeValue<'_>) -> Error {
    located(file, span, &format!("{what} must be {expected}, found {} {}", article(found.type_str()), found.type_str()))
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// An error at `span` of `file`, rustc-style: message, ` --> path:line:col`, the line, carets.
pub fn located(file: &SourceFile, span: Range<usize>, message: &str) -> Error {
    let start = file.clamp(span.start);
    let lc = file.line_col(start);
    let line_text = file.line_text(lc.line - 1);
    let end = file.clamp(span.end).min(file.line_range(lc.line - 1).end).max(start);
    let width = file.text[start..end].chars().count().max(1);
    let gutter = " ".repeat(lc.line.to_string().len());
    let carets = format!("{}{}", " ".repeat(lc.col - 1), "^".repeat(width));
    Error::new(format!(
        "{message}\n{gutter}--> {}:{}:{}\n{gutter} |\n{} | {line_text}\n{gutter} | {carets}",
        display_path(file.path()),
        lc.line,
        lc.col,
        lc.line
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Table, Error> {
        let file = SourceFile::new("taskcheck.toml", text);
        let document = parse_document(&file)?;
        read_table(&file, document.get_ref(), Path::new("/w"), "")
    }

    #[test]
    fn reads_every_key() {
        let table = read(
            "exclude = [\"gen/**\"]\ntest-attributes = [\"rstest\"]\n[lints]\nall = \"deny\"\nrule-8 = \"allow\"\n\
             detached_spawn = \"warn\"\n[spawners]\nspawn_logged = \"tokio::spawn\"\n\"rt::go\" = \"std::thread::spawn\"\n",
        )
        .unwrap();
        assert_eq!(table.lints.len(), 3);
        assert_eq!(table.test_attributes, ["rstest"]);
        assert_eq!(table.spawners.get("spawn_logged"), Some(&Spawner::TokioSpawn));
        assert_eq!(table.spawners.get("rt::go"), Some(&Spawner::StdThread));
        assert!(table.exclude[0].matches(Path::new("/w/gen/a/b.rs")));
        assert!(!table.exclude[0].matches(Path::new("/w/src/gen.rs")));
        let levels = levels_of(&[&table]);
        let lint = |n| taskcheck_lints::find_lint(n).unwrap();
        assert_eq!(levels.get(lint("detached_spawn")), Level::Warn, "a lint beats its group and `all`");
        assert_eq!(levels.get(lint("sleep_in_test")), Level::Allow, "a group beats `all`");
        assert_eq!(levels.get(lint("undocumented_unsafe_send_sync")), Level::Deny);
    }

    #[test]
    fn a_rule_group_beats_a_category_whatever_the_order() {
        let lint = |n| taskcheck_lints::find_lint(n).unwrap();
        for text in [
            "[lints]\nrule-11 = \"deny\"\ndocumentation = \"allow\"\npedantic = \"warn\"\nall = \"allow\"\n",
            "[lints]\nall = \"allow\"\npedantic = \"warn\"\ndocumentation = \"allow\"\nrule-11 = \"deny\"\n",
        ] {
            let levels = levels_of(&[&read(text).unwrap()]);
            assert_eq!(levels.get(lint("undocumented_shared_type")), Level::Deny, "{text}");
            assert_eq!(levels.get(lint("unbounded_channel")), Level::Warn, "a category beats `all`: {text}");
            assert_eq!(levels.get(lint("detached_spawn")), Level::Allow, "{text}");
        }
    }

    #[test]
    fn folder_globs_exclude_what_is_under_them() {
        let table = read("exclude = [\"vendor\", \"*.gen.rs\"]\n").unwrap();
        assert!(table.exclude[0].matches(Path::new("/w/vendor/x/y.rs")));
        assert!(table.exclude[1].matches(Path::new("/w/a.gen.rs")));
        assert!(!table.exclude[1].matches(Path::new("/w/src/a.gen.rs")), "`*` stays in one folder");
    }

    #[test]
    fn mistakes_point_at_the_place() {
        let err = read("exclud = []\n").unwrap_err();
        assert!(err.message.starts_with("unknown key `exclud`\n --> taskcheck.toml:1:1"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean `exclude`?"));
        let err = read("[lints]\ndetachd_spawn = \"deny\"\n").unwrap_err();
        assert!(err.message.contains("unknown lint `detachd_spawn`\n --> taskcheck.toml:2:1"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean `detached_spawn`?"));
        let err = read("[lints]\ndetached_spawn = 3\n").unwrap_err();
        assert!(err.message.contains("must be a level"), "{}", err.message);
        assert!(err.message.contains("taskcheck.toml:2:18"), "{}", err.message);
        let err = read("exclude = \"x\"\n").unwrap_err();
        assert!(err.message.contains("`exclude` must be an array of strings, found a string"), "{}", err.message);
        let err = read("[lints\n").unwrap_err();
        assert!(err.message.starts_with("invalid TOML"), "{}", err.message);
        let err = read("[spawners]\ngo = \"tokio::spwan\"\n").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `tokio::spawn`?"));
        let err = read("detached_spawn = \"deny\"\n").unwrap_err();
        assert!(err.help.as_deref().unwrap_or("").contains("[lints]"), "{err:?}");
        let err = read("[lints]\nparse_error = \"allow\"\n").unwrap_err();
        assert!(err.message.contains("cannot be given a level"), "{}", err.message);
    }
}
