//! Inline suppressions: `// taskcheck: allow(lint, …) -- reason` comments.
//!
//! Comments are not in syn's syntax tree, so [`scan`] finds them in the text with a small lexer
//! that knows strings, raw strings, character literals and nested block comments, and takes the
//! line ranges of items from the tree. What a comment covers:
//!
//! - its own line and the line below it (a comment at the end of a line of code, or alone on
//!   the line above the finding);
//! - alone on its line directly above an item (`fn`, `impl`, `mod`, `struct`, `trait`, `enum`,
//!   `const`, `static`, …), with only comments and attributes between: the whole item;
//! - `//! taskcheck: allow(…)` (an inner doc comment): the whole file, or the item it is in.
//!
//! The result is a per-file [`Suppressions`] table. The driver applies it with [`apply`] to
//! every diagnostic of the file, those of the workspace phase included, once all are known;
//! a suppression that suppresses nothing is reported as [`UNUSED_SUPPRESSION`], a name that is
//! not a lint as [`UNKNOWN_LINT`]. Names are resolved by [`crate::names`], as level flags and
//! the configuration resolve them: a group (`rule-8`, `all`) suppresses every lint it holds.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::names::{self, Group, NameError, Named};
use crate::registry::{tool, Lint};
use crate::source::{FileId, SourceFile, Span};
use crate::Levels;
use syn::spanned::Spanned;
use syn::visit::Visit;

crate::declare_lint! {
    /// ### What it does
    /// Reports a `// taskcheck: allow(…)` comment that suppresses no finding: the code it was
    /// written for changed, the finding went away, or the comment is not on the finding's line,
    /// the line above it, or directly above the item holding it.
    ///
    /// ### Why is this bad
    /// A stale suppression hides the next real finding at that place, and tells the reader
    /// something about the code that is no longer true.
    ///
    /// ### Example
    /// ```rust,ignore
    /// // taskcheck: allow(detached_spawn) -- the worker exits when the channel closes
    /// fn start(rx: Receiver<Job>) -> JoinHandle<()> {
    ///     std::thread::spawn(move || for job in rx { job.run() })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// fn start(rx: Receiver<Job>) -> JoinHandle<()> {
    ///     std::thread::spawn(move || for job in rx { job.run() })
    /// }
    /// ```
    ///
    /// `cargo taskcheck --fix` removes unused suppressions. A suppression of a lint that is
    /// turned off for the run (`-A`, configuration) is not reported: it may be needed when the
    /// lint is on. A group (`allow(rule-8)`, `allow(all)`) is unused when it suppressed no
    /// finding of any of its lints while at least one of them is on.
    pub static UNUSED_SUPPRESSION = {
        name: "unused_suppression",
        rule: None,
        category: Suspicious,
        cost: Documentation,
        summary: "a `taskcheck: allow(…)` comment suppresses nothing",
        why: "",
    };
}

crate::declare_lint! {
    /// ### What it does
    /// Reports a name in a `// taskcheck: allow(…)` comment that is neither a taskcheck lint nor
    /// a group of lints (`rule-1` … `rule-12`, `labels`, `all`), and a `taskcheck:` comment that
    /// is not a suppression at all.
    ///
    /// ### Why is this bad
    /// A misspelt name suppresses nothing, so the finding it was meant for is still reported,
    /// or, worse, the comment is believed to document a decision that taskcheck never saw.
    ///
    /// ### Example
    /// ```rust,ignore
    /// // taskcheck: allow(detached_spwan)
    /// std::thread::spawn(move || serve(listener));
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// // taskcheck: allow(detached_spawn) -- serves until the process exits
    /// std::thread::spawn(move || serve(listener));
    /// ```
    ///
    /// `cargo taskcheck list` prints every lint name; a group suppresses every lint it holds, as
    /// with `-A` on the command line.
    pub static UNKNOWN_LINT = {
        name: "unknown_lint",
        rule: None,
        category: Suspicious,
        cost: Documentation,
        summary: "a suppression comment names no taskcheck lint",
        why: "",
    };
}

/// The lints about suppression comments themselves; they cannot be suppressed by a comment.
pub static LINTS: &[&Lint] = &[&UNKNOWN_LINT, &UNUSED_SUPPRESSION];

/// The word every directive contains: files without it have no suppressions.
pub const MARKER: &str = "taskcheck";

/// The suppression comments of one file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Suppressions {
    pub file: FileId,
    pub directives: Vec<Directive>,
}

impl Suppressions {
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }
}

/// One `taskcheck:` comment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Directive {
    /// The whole comment.
    pub comment: Span,
    /// The lint names, each with its span in the comment. Empty when `malformed`.
    pub names: Vec<(String, Span)>,
    /// The text after `--`, if any.
    pub reason: Option<String>,
    pub scope: Scope,
    /// What to remove to delete the comment: its whole lines when it stands alone, else the
    /// comment and the blanks before it.
    pub removal: Span,
    /// A `taskcheck:` comment that is not `allow(<lint>, …)`.
    pub malformed: bool,
}

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    File,
    /// 1-based lines, inclusive.
    Lines {
        first: usize,
        last: usize,
    },
}

impl Scope {
    fn covers(self, line: usize) -> bool {
        match self {
            Scope::File => true,
            Scope::Lines { first, last } => (first..=last).contains(&line),
        }
    }
}

/// Finds the suppression comments of `source` and what each covers. `ast` is the file's syntax
/// tree before macro expansion (its spans are byte offsets into `source.text`).
pub fn scan(file: FileId, source: &SourceFile, ast: &syn::File) -> Suppressions {
    let text: &str = &source.text;
    if !text.contains(MARKER) {
        return Suppressions { file, directives: Vec::new() };
    }
    let comments: Vec<Comment> = lex_comments(text).into_iter().filter(|c| c.body(text).contains(MARKER)).collect();
    let mut directives = Vec::new();
    let mut items: Option<Vec<ItemLines>> = None;
    for comment in comments {
        let Some(parsed) = parse_directive(text, &comment) else { continue };
        let first = source.line_index(comment.range.start);
        let last = source.line_index(comment.range.end.saturating_sub(1).max(comment.range.start));
        let standalone = text[source.line_range(first).start..comment.range.start].trim().is_empty();
        let items = items.get_or_insert_with(|| item_lines(source, ast));
        let scope = if comment.inner {
            // The innermost item holding the comment, else the whole file.
            items
                .iter()
                .filter(|i| i.start <= comment.range.start && comment.range.end <= i.end)
                .min_by_key(|i| i.end - i.start)
                .map(|i| Scope::Lines { first: i.first_line + 1, last: i.last_line + 1 })
                .unwrap_or(Scope::File)
        } else {
            let mut first_line = first + 1;
            let mut last_line = last + 2;
            if standalone {
                if let Some(item_line) = next_code_line(source, last) {
                    for item in items.iter().filter(|i| i.first_line <= item_line && item_line <= i.head_line) {
                        first_line = first_line.min(item.first_line + 1);
                        last_line = last_line.max(item.last_line + 1);
                    }
                }
            }
            Scope::Lines { first: first_line, last: last_line }
        };
        let removal = if standalone && text[comment.range.end..source.line_range(last).end].trim().is_empty() {
            let start = source.line_range(first).start;
            let end = if last + 1 < source.line_count() { source.line_range(last + 1).start } else { text.len() };
            Span::new(file, start, end)
        } else {
            let before = text[..comment.range.start].trim_end_matches([' ', '\t']).len();
            Span::new(file, before, comment.range.end)
        };
        let (names, reason, malformed) = match parsed {
            Parsed::Allow { names, reason } => (
                names.into_iter().map(|(n, r)| (n.to_string(), Span::new(file, r.start, r.end))).collect(),
                reason,
                false,
            ),
            Parsed::Malformed => (Vec::new(), None, true),
        };
        directives.push(Directive {
            comment: Span::new(file, comment.range.start, comment.range.end),
            names,
            reason,
            scope,
            removal,
            malformed,
        });
    }
    Suppressions { file, directives }
}

/// The first line after `line` holding code, when only comment lines come between (a blank line
/// means the comment is not directly above what follows). 0-based.
fn next_code_line(source: &SourceFile, line: usize) -> Option<usize> {
    let mut in_block = false;
    for l in line + 1..source.line_count() {
        let t = source.line_text(l).trim();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() {
            return None;
        }
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        return Some(l);
    }
    None
}

/// A suppressed finding, with the comment that suppressed it.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub comment: Span,
    pub reason: Option<String>,
}

/// What [`apply`] made of a file's diagnostics.
#[derive(Debug, Default)]
pub struct Applied {
    /// Diagnostics no comment covers, then the reports about the comments themselves.
    pub reported: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
}

/// Applies one file's suppressions to the diagnostics whose primary span is in that file, and
/// reports unused, unknown and malformed suppressions at the levels of `levels`. The tool's own
/// diagnostics (`parse_error`, …) and the reports about comments are never suppressed.
pub fn apply(table: &Suppressions, source: &SourceFile, diagnostics: Vec<Diagnostic>, levels: &Levels) -> Applied {
    let mut applied = Applied::default();
    let mut used: Vec<Vec<bool>> = table.directives.iter().map(|d| vec![false; d.names.len()]).collect();
    let resolved: Vec<Vec<Result<Named, NameError>>> =
        table.directives.iter().map(|d| d.names.iter().map(|(name, _)| names::resolve(name)).collect()).collect();
    for diagnostic in diagnostics {
        let can_suppress = diagnostic.primary.span.file == table.file && suppressible(diagnostic.lint);
        let line = source.line_col(diagnostic.primary.span.start as usize).line;
        let mut by = None;
        if can_suppress {
            for (i, directive) in table.directives.iter().enumerate() {
                if !directive.scope.covers(line) {
                    continue;
                }
                for (j, named) in resolved[i].iter().enumerate() {
                    if named.as_ref().is_ok_and(|n| n.covers(diagnostic.lint)) {
                        used[i][j] = true;
                        by.get_or_insert(i);
                    }
                }
            }
        }
        match by {
            Some(i) => applied.suppressed.push(Suppressed {
                diagnostic,
                comment: table.directives[i].comment,
                reason: table.directives[i].reason.clone(),
            }),
            None => applied.reported.push(diagnostic),
        }
    }
    for (i, directive) in table.directives.iter().enumerate() {
        report_directive(directive, &resolved[i], &used[i], levels, &mut applied.reported);
    }
    applied
}

fn report_directive(
    directive: &Directive,
    resolved: &[Result<Named, NameError>],
    used: &[bool],
    levels: &Levels,
    out: &mut Vec<Diagnostic>,
) {
    let mut push = |lint: &'static Lint, d: Diagnostic| {
        let level = levels.get(lint);
        if level != crate::Level::Allow {
            let mut d = d;
            d.level = level;
            out.push(d);
        }
    };
    if directive.malformed {
        push(
            &UNKNOWN_LINT,
            Diagnostic::new(&UNKNOWN_LINT, directive.comment, "this `taskcheck:` comment is not a suppression")
                .primary_label("expected `taskcheck: allow(<lint>, …) -- <reason>`")
                .help("`cargo taskcheck list` prints every lint name"),
        );
        return;
    }
    // A name can go unused only when some lint it covers is on: with all of them off it may
    // be needed once they are on again.
    let could_be_used = |named: &Result<Named, NameError>| {
        named.as_ref().is_ok_and(|n| n.lints().into_iter().any(|l| suppressible(l) && levels.is_enabled(l)))
    };
    let unused_count = resolved.iter().zip(used).filter(|(named, used)| !**used && could_be_used(named)).count();
    let removes_all = unused_count == directive.names.len();
    for (j, ((name, span), named)) in directive.names.iter().zip(resolved).enumerate() {
        match named {
            Err(NameError::Tool(_)) => push(
                &UNKNOWN_LINT,
                Diagnostic::new(&UNKNOWN_LINT, *span, format!("`{name}` cannot be suppressed by a comment"))
                    .primary_label("not a lint finding")
                    .help("it reports a file taskcheck could not analyse; fix the file or leave it out of the run"),
            ),
            Ok(Named::Lint(lint)) if LINTS.contains(lint) => push(
                &UNKNOWN_LINT,
                Diagnostic::new(&UNKNOWN_LINT, *span, format!("`{name}` cannot be suppressed by a comment"))
                    .primary_label("not a lint finding")
                    .help("set its level in the configuration or with `-A`"),
            ),
            Ok(named) => {
                if used[j] || !could_be_used(&Ok(*named)) {
                    continue;
                }
                let edit = if removes_all { directive.removal } else { name_removal(directive, j) };
                let message = if removes_all { "remove the comment" } else { "remove the name" };
                let label = match named {
                    Named::Lint(_) => format!("no `{name}` finding on this line, the next one, or the item below"),
                    Named::Group(Group::All) => "no finding on this line, the next one, or the item below".to_string(),
                    Named::Group(_) => {
                        format!("no finding of a `{name}` lint on this line, the next one, or the item below")
                    }
                };
                let mut d = Diagnostic::new(
                    &UNUSED_SUPPRESSION,
                    *span,
                    format!("this suppression of `{name}` suppresses nothing"),
                )
                .primary_label(label)
                .help("remove it, or move it to the finding's line or the line above it");
                d.suggestions.push(Suggestion {
                    message: message.to_string(),
                    edits: vec![Edit { span: edit, replacement: String::new() }],
                    applicability: Applicability::MachineApplicable,
                });
                push(&UNUSED_SUPPRESSION, d);
            }
            Err(NameError::Unknown(_)) => {
                let mut d = Diagnostic::new(&UNKNOWN_LINT, *span, format!("unknown lint `{name}` in a suppression"))
                    .primary_label("not a taskcheck lint or group");
                let known = crate::all_lints()
                    .filter(|l| suppressible(l))
                    .map(|l| l.name)
                    .chain(Group::every().map(Group::name));
                match crate::suggest::closest(name, known) {
                    Some(close) => {
                        d = d.help(format!("did you mean `{close}`?")).suggest(
                            format!("use `{close}`"),
                            *span,
                            close,
                            Applicability::MaybeIncorrect,
                        );
                    }
                    None => d = d.help("`cargo taskcheck list` prints every lint name"),
                }
                push(&UNKNOWN_LINT, d);
            }
        }
    }
}

/// Whether a comment can suppress findings of `lint`: not the tool's diagnostics, nor the
/// reports about comments themselves.
fn suppressible(lint: &Lint) -> bool {
    !tool::ALL.contains(&lint) && !LINTS.contains(&lint)
}

/// The span removing name `j` from a list of several, with one separator.
fn name_removal(directive: &Directive, j: usize) -> Span {
    let names = &directive.names;
    let this = names[j].1;
    if j + 1 < names.len() {
        Span { end: names[j + 1].1.start, ..this }
    } else if j > 0 {
        Span { start: names[j - 1].1.end, ..this }
    } else {
        this
    }
}

/// One comment in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Comment {
    range: std::ops::Range<usize>,
    /// `//!` or `/*!`.
    inner: bool,
}

impl Comment {
    /// The text inside the comment markers.
    fn body<'t>(&self, text: &'t str) -> &'t str {
        let raw = &text[self.range.clone()];
        if let Some(rest) = raw.strip_prefix("//") {
            rest.strip_prefix(['/', '!']).unwrap_or(rest)
        } else {
            let rest = raw.strip_prefix("/*").unwrap_or(raw);
            let rest = rest.strip_suffix("*/").unwrap_or(rest);
            rest.strip_prefix(['*', '!']).unwrap_or(rest)
        }
    }
}

/// Every comment of a Rust source text, skipping string, raw string and character literals.
/// Never panics; unterminated literals or comments run to the end of the text.
fn lex_comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        let prev_ident = i > 0 && is_ident(bytes[i - 1]);
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(n, |e| i + e);
                let end = if end > i && bytes[end - 1] == b'\r' { end - 1 } else { end };
                out.push(Comment { range: i..end, inner: bytes.get(i + 2) == Some(&b'!') });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                let mut j = i;
                while j < n {
                    if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                let end = j.min(n);
                out.push(Comment { range: i..end, inner: bytes.get(i + 2) == Some(&b'!') });
                i = end;
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'r' | b'b' | b'c' if !prev_ident => {
                // `r"…"`, `r#"…"#`, `br"…"`, `cr#"…"#`; `b"…"` and `c"…"` go through the `"` arm.
                let mut j = i + 1;
                if b != b'r' && bytes.get(j) == Some(&b'r') {
                    j += 1;
                }
                if j > i + 1 || b == b'r' {
                    let hashes = bytes[j..].iter().take_while(|c| **c == b'#').count();
                    if bytes.get(j + hashes) == Some(&b'"') {
                        i = skip_raw_string(bytes, j + hashes + 1, hashes);
                        continue;
                    }
                }
                i += 1;
            }
            b'\'' => {
                if bytes.get(i + 1) == Some(&b'\\') {
                    // An escaped character literal: `'\n'`, `'\''`, `'\u{1F600}'`.
                    let mut j = i + 3;
                    while j < n && bytes[j] != b'\'' && bytes[j] != b'\n' {
                        j += 1;
                    }
                    i = (j + 1).min(n);
                } else {
                    let width = text[i + 1..].chars().next().map_or(0, char::len_utf8);
                    if width > 0 && bytes.get(i + 1 + width) == Some(&b'\'') {
                        i += width + 2; // `'x'`
                    } else {
                        i += 1; // a lifetime or label
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_raw_string(bytes: &[u8], mut i: usize, hashes: usize) -> usize {
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).filter(|c| **c == b'#').count() == hashes {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

enum Parsed<'t> {
    Allow { names: Vec<(&'t str, std::ops::Range<usize>)>, reason: Option<String> },
    Malformed,
}

/// `taskcheck: allow(a, b) -- reason` in a comment; `None` when the comment is not a directive
/// at all (it does not start with `taskcheck:`). Name ranges are offsets into `text`.
fn parse_directive<'t>(text: &'t str, comment: &Comment) -> Option<Parsed<'t>> {
    let body = comment.body(text);
    let body_start = body.as_ptr() as usize - text.as_ptr() as usize;
    let trimmed = body.trim_start();
    let rest = trimmed.strip_prefix("taskcheck:")?;
    let offset = body_start + (body.len() - trimmed.len()) + "taskcheck:".len();
    let after = rest.trim_start();
    let offset = offset + (rest.len() - after.len());
    let Some(list) = after.strip_prefix("allow").map(str::trim_start).and_then(|s| s.strip_prefix('(')) else {
        return Some(Parsed::Malformed);
    };
    let list_start = offset + (after.len() - list.len());
    let Some(close) = list.find(')') else { return Some(Parsed::Malformed) };
    let mut names = Vec::new();
    let mut pos = 0;
    for part in list[..close].split(',') {
        let name = part.trim();
        let start = list_start + pos + (part.len() - part.trim_start().len());
        pos += part.len() + 1;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Some(Parsed::Malformed);
        }
        names.push((name, start..start + name.len()));
    }
    let tail = list[close + 1..].trim();
    let reason = tail.strip_prefix("--").map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    Some(Parsed::Allow { names, reason })
}

/// An item's extent in lines (0-based), and the line where its attributes end.
struct ItemLines {
    start: usize,
    end: usize,
    first_line: usize,
    /// The line of the item's first token after its outer attributes.
    head_line: usize,
    last_line: usize,
}

fn item_lines(source: &SourceFile, ast: &syn::File) -> Vec<ItemLines> {
    let mut collector = Items { source, out: Vec::new() };
    collector.visit_file(ast);
    collector.out
}

struct Items<'s> {
    source: &'s SourceFile,
    out: Vec<ItemLines>,
}

impl Items<'_> {
    fn add(&mut self, node: &dyn Spanned, attrs: &[syn::Attribute]) {
        let range = node.span().byte_range();
        let text: &str = &self.source.text;
        if range.end > text.len() || range.start >= range.end {
            return;
        }
        let attrs_end = attrs
            .iter()
            .filter(|a| matches!(a.style, syn::AttrStyle::Outer))
            .map(|a| a.span().byte_range().end)
            .max()
            .unwrap_or(range.start);
        let head = skip_blanks_and_comments(text, attrs_end.max(range.start));
        self.out.push(ItemLines {
            start: range.start,
            end: range.end,
            first_line: self.source.line_index(range.start),
            head_line: self.source.line_index(head.min(range.end)),
            last_line: self.source.line_index(range.end - 1),
        });
    }
}

fn skip_blanks_and_comments(text: &str, mut i: usize) -> usize {
    loop {
        let rest = &text[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            i += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if trimmed.starts_with("/*") {
            i += trimmed.find("*/").map_or(trimmed.len(), |e| e + 2);
        } else {
            return i;
        }
    }
}

macro_rules! item_attrs {
    ($item:expr, $($variant:path),*) => {
        match $item {
            $($variant(i) => Some(&i.attrs[..]),)*
            _ => None,
        }
    };
}

impl<'a> Visit<'a> for Items<'_> {
    fn visit_item(&mut self, item: &'a syn::Item) {
        use syn::Item::*;
        let attrs = item_attrs!(
            item, Const, Enum, ExternCrate, Fn, ForeignMod, Impl, Macro, Mod, Static, Struct, Trait, TraitAlias, Type,
            Union, Use
        );
        self.add(item, attrs.unwrap_or(&[]));
        syn::visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, item: &'a syn::ImplItem) {
        use syn::ImplItem::*;
        let attrs = item_attrs!(item, Const, Fn, Type, Macro);
        self.add(item, attrs.unwrap_or(&[]));
        syn::visit::visit_impl_item(self, item);
    }

    fn visit_trait_item(&mut self, item: &'a syn::TraitItem) {
        use syn::TraitItem::*;
        let attrs = item_attrs!(item, Const, Fn, Type, Macro);
        self.add(item, attrs.unwrap_or(&[]));
        syn::visit::visit_trait_item(self, item);
    }

    fn visit_foreign_item(&mut self, item: &'a syn::ForeignItem) {
        use syn::ForeignItem::*;
        let attrs = item_attrs!(item, Fn, Static, Type, Macro);
        self.add(item, attrs.unwrap_or(&[]));
        syn::visit::visit_foreign_item(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<&str> {
        lex_comments(text).into_iter().map(|c| &text[c.range]).collect()
    }

    #[test]
    fn lexer_skips_literals() {
        let text = r####"let s = "// not"; let r = r#"/* no "# ; let c = '"'; let l: &'a str = x; // yes
/* outer /* nested */ still */ let b = b'/'; let e = '\''; //! inner
let q = br##"// raw"##; let u = '😀'; // last"####;
        assert_eq!(comments(text), ["// yes", "/* outer /* nested */ still */", "//! inner", "// last"]);
        assert!(lex_comments("\"unterminated // x").is_empty());
        assert_eq!(comments("/* open"), ["/* open"]);
        assert_eq!(comments("let for\"x\"// c"), ["// c"]);
    }

    fn scan_text(text: &str) -> Suppressions {
        let source = SourceFile::new("a.rs", text);
        let ast: syn::File = syn::parse_str(text).expect("valid Rust");
        scan(FileId(0), &source, &ast)
    }

    fn lines(s: &Suppressions) -> Vec<Scope> {
        s.directives.iter().map(|d| d.scope).collect()
    }

    #[test]
    fn directives_and_their_scopes() {
        let text = "\
//! taskcheck: allow(sleep_in_test)
fn a() {
    x(); // taskcheck: allow(detached_spawn) -- trailing
}

// taskcheck: allow(detached_spawn, unbounded_spawn_in_loop) -- whole item
/// Docs between are fine.
#[inline]
fn b() {
    y();
}

// taskcheck: allow(detached_spawn)

fn c() {}
";
        let s = scan_text(text);
        assert_eq!(
            lines(&s),
            [
                Scope::File,
                Scope::Lines { first: 3, last: 4 },
                Scope::Lines { first: 6, last: 11 },
                Scope::Lines { first: 13, last: 14 },
            ]
        );
        let names: Vec<&str> = s.directives[2].names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["detached_spawn", "unbounded_spawn_in_loop"]);
        for (name, span) in &s.directives[2].names {
            assert_eq!(&text[span.range()], name);
        }
        assert_eq!(s.directives[1].reason.as_deref(), Some("trailing"));
        assert_eq!(&text[s.directives[1].removal.range()], " // taskcheck: allow(detached_spawn) -- trailing");
        assert!(text[s.directives[3].removal.range()].ends_with("allow(detached_spawn)\n"));
    }

    #[test]
    fn inner_comment_in_a_module_covers_the_module() {
        let text = "fn a() {}\nmod m {\n    //! taskcheck: allow(detached_spawn)\n    fn b() {}\n}\n";
        assert_eq!(lines(&scan_text(text)), [Scope::Lines { first: 2, last: 5 }]);
    }

    #[test]
    fn malformed_and_non_directives() {
        let s = scan_text("// taskcheck: alow(x)\n// taskcheck is great\n// taskcheck: allow()\nfn f() {}\n");
        assert_eq!(s.directives.len(), 2);
        assert!(s.directives.iter().all(|d| d.malformed));
        assert!(scan_text("fn f() { let s = \"// taskcheck: allow(x)\"; }").is_empty());
    }
}
