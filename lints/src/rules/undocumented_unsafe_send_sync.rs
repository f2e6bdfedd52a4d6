use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::registry::Rule;
use crate::source::Span;
use syn::visit::{self, Visit};

crate::declare_lint! {
    /// ### What it does
    /// Finds `unsafe impl Send` and `unsafe impl Sync` without a `// SAFETY:` comment (or a
    /// `# Safety` doc section) directly above the impl or its attributes.
    ///
    /// ### Why is this bad
    /// These impls switch off the compiler's thread-safety checks for a type. Their soundness
    /// rests on an argument that lives only in the author's head unless it is written down,
    /// and every later change to the type must be checked against it. Go's rule: document
    /// concurrency safety.
    ///
    /// One comment covers a pair of one-line `unsafe impl Send` / `unsafe impl Sync` written
    /// directly under it.
    ///
    /// A comment that argues the case without the `SAFETY:` marker (`// Safe because the
    /// pointer is never dereferenced`) is reported as such: "has a justification but no
    /// `SAFETY:` marker", with a machine-applicable fix that writes `SAFETY: ` at the start of
    /// its first line, since tools and reviewers search for the keyword. A comment counts as a
    /// justification when it is at least four words long, is not a to-do (`TODO`, `FIXME`),
    /// and has a word of reasoning (`because`, `since`, `only`, `never`, `safe`, `sound`,
    /// `as long as`, `thread-safe`, `immutable`, `exclusive`, …). Any other comment (a link,
    /// `Deprecated impls: see #5296`) is not an argument: the impl is reported as having no
    /// `SAFETY:` comment, with a placeholder to fill in.
    ///
    /// ### Example
    /// ```rust,ignore
    /// struct RawBuf(*mut u8);
    /// unsafe impl Send for RawBuf {}
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// struct RawBuf(*mut u8);
    /// // SAFETY: the buffer is owned uniquely by `RawBuf` and never aliased, so moving it to
    /// // another thread moves the only pointer to it.
    /// unsafe impl Send for RawBuf {}
    /// ```
    pub static UNDOCUMENTED_UNSAFE_SEND_SYNC = {
        name: "undocumented_unsafe_send_sync",
        rule: Some(Rule::DocumentedSafety),
        category: Documentation,
        cost: Documentation,
        summary: "`unsafe impl Send`/`Sync` without a `// SAFETY:` comment",
        why: "an unsafe thread-safety claim needs its argument written next to it",
    };
}

pub fn check(cx: &FileCx<'_>) {
    if is_generated(cx.source) {
        return;
    }
    let mut finder = ImplFinder { cx };
    finder.visit_file(cx.ast);
}

struct ImplFinder<'c, 'a> {
    cx: &'c FileCx<'a>,
}

impl<'a> Visit<'a> for ImplFinder<'_, '_> {
    fn visit_item_impl(&mut self, i: &'a syn::ItemImpl) {
        check_impl(self.cx, i);
        visit::visit_item_impl(self, i);
    }
    // Only items can hold impls; skipping expressions keeps this walk cheap.
    fn visit_expr(&mut self, _: &'a syn::Expr) {}
    fn visit_block(&mut self, b: &'a syn::Block) {
        for stmt in &b.stmts {
            if let syn::Stmt::Item(item) = stmt {
                self.visit_item(item);
            }
        }
    }
}

/// `Send` or `Sync` as an auto trait: bare, or `std::marker::`/`core::marker::`.
pub fn send_sync_trait(path: &syn::Path) -> Option<&'static str> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let last = segments.last()?;
    let is_marker_path = segments.len() == 1
        || (segments.len() == 3 && (segments[0] == "std" || segments[0] == "core") && segments[1] == "marker")
        || (segments.len() == 2 && segments[0] == "marker");
    match last.as_str() {
        "Send" if is_marker_path => Some("Send"),
        "Sync" if is_marker_path => Some("Sync"),
        _ => None,
    }
}

fn check_impl(cx: &FileCx<'_>, i: &syn::ItemImpl) {
    let Some(unsafety) = i.unsafety else { return };
    let Some((negative, path, _)) = &i.trait_ else { return };
    if negative.is_some() {
        return;
    }
    let Some(which) = send_sync_trait(path) else { return };
    let unsafe_span = cx.span_of(unsafety.span);
    let comment = classify(cx, i, unsafe_span);
    if matches!(comment, Comment::Safety) {
        return;
    }
    let ty = type_text(&i.self_ty);
    let head_end = cx.span_of(path.segments.last().map(|s| s.ident.span()).unwrap_or(unsafety.span));
    let primary = unsafe_span.to(head_end).to(cx.span(&*i.self_ty));
    let claim = if which == "Send" { "be moved to another thread" } else { "be shared between threads" };
    let mut d = match comment {
        Comment::Justification { at } => Diagnostic::new(
            &UNDOCUMENTED_UNSAFE_SEND_SYNC,
            primary,
            format!("`unsafe impl {which}` has a justification but no `SAFETY:` marker"),
        )
        .primary_label(format!(
            "the comment says why `{ty}` is `{which}`, but not with the marker reviewers search for"
        ))
        .help("start the comment with `SAFETY:` so that tools and reviewers find the argument")
        .suggest(
            "mark the comment as the safety argument",
            Span::new(cx.file, at, at),
            "SAFETY: ".to_string(),
            Applicability::MachineApplicable,
        ),
        _ => {
            let (insert_at, indent) = insertion_point(cx, i, unsafe_span);
            let comment = format!("{indent}// SAFETY: <explain why `{ty}` can safely {claim}>\n");
            Diagnostic::new(
                &UNDOCUMENTED_UNSAFE_SEND_SYNC,
                primary,
                format!("`unsafe impl {which}` without a `// SAFETY:` comment"),
            )
            .primary_label(format!("claims `{ty}` is `{which}` without saying why"))
            .help(format!("write a `// SAFETY:` comment above the impl explaining why `{ty}` can safely {claim}"))
            .suggest(
                "document the invariant that makes this sound",
                insert_at,
                comment,
                Applicability::HasPlaceholders,
            )
        }
    };
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The start of the impl's first line (its first attribute, or the `unsafe` line), and that
/// line's indentation.
fn insertion_point(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> (Span, String) {
    let first = i
        .attrs
        .iter()
        .filter(|a| matches!(a.style, syn::AttrStyle::Outer))
        .map(|a| cx.span(a).start)
        .min()
        .unwrap_or(unsafe_span.start)
        .min(unsafe_span.start);
    let line = cx.source.line_index(first as usize);
    let range = cx.source.line_range(line);
    let text = cx.source.line_text(line);
    let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
    (Span::new(cx.file, range.start, range.start), indent)
}

/// What sits directly above the impl (its attributes, or a one-line sibling `unsafe impl
/// Send`/`Sync`, may sit in between), or at the end of the `unsafe impl` line.
enum Comment {
    /// A `SAFETY:` comment or a `# Safety` doc section.
    Safety,
    /// A comment that argues why the impl is sound but does not say `SAFETY:`; `at` is where
    /// the marker goes (after the opener of the comment's first line with text).
    Justification { at: usize },
    /// No comment, or one that does not argue the case (a link, a `TODO`, a label).
    Missing,
}

fn mentions_safety(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("safety:") || lower.contains("# safety") || lower.contains("safety -")
}

/// Comment openers, longest first; `*` continues a block comment.
const OPENERS: &[&str] = &["///", "//!", "//", "/**", "/*!", "/*", "*"];

/// A comment line's text without its opener, and the offset (in the line) where the text starts.
fn comment_body(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let trimmed = line.trim_start();
    let opener = OPENERS.iter().find(|o| trimmed.starts_with(**o))?;
    let rest = &trimmed[opener.len()..];
    let text = rest.trim_start();
    let text = text.strip_suffix("*/").unwrap_or(text).trim_end();
    Some((indent + opener.len() + (rest.len() - rest.trim_start().len()), text))
}

fn classify(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> Comment {
    for attr in &i.attrs {
        if attr.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if let syn::Expr::Lit(l) = &nv.value {
                    if let syn::Lit::Str(s) = &l.lit {
                        if mentions_safety(&s.value()) {
                            return Comment::Safety;
                        }
                    }
                }
            }
        }
    }
    let src = cx.source;
    let line = src.line_index(unsafe_span.start as usize);
    let own = src.line_text(line);
    let own_comment = own.find("//").map(|pos| (src.line_range(line).start + pos, &own[pos..]));
    if let Some((_, text)) = own_comment {
        if mentions_safety(text) {
            return Comment::Safety;
        }
    }
    let above = comments_above(cx, i, unsafe_span, line);
    if above.iter().any(|(_, text)| mentions_safety(text)) {
        return Comment::Safety;
    }
    // Top to bottom: the comment as written, then a trailing one on the impl's line.
    let mut lines: Vec<(usize, &str)> = above
        .iter()
        .rev()
        .filter_map(|&(at, text)| {
            let (offset, body) = comment_body(text)?;
            Some((at + offset, body))
        })
        .collect();
    if let Some((at, text)) = own_comment {
        if let Some((offset, body)) = comment_body(text) {
            lines.push((at + offset, body));
        }
    }
    let text: Vec<&str> = lines.iter().map(|(_, t)| *t).collect();
    match lines.iter().find(|(_, t)| !t.is_empty()) {
        Some(&(at, _)) if justifies(&text.join(" ")) => Comment::Justification { at },
        _ => Comment::Missing,
    }
}

/// The comments that belong to the impl, nearest first, each as (offset of its opener, text
/// from the opener on). Walking up from the `unsafe impl` line: comment lines, attribute lines
/// (with the comment at their end, `#[allow(..)] // we hold no T`), and a one-line sibling
/// `unsafe impl Send`/`Sync`. Then, across at most one blank line, one more comment block, if
/// it starts at the impl's indentation and does not hang under the previous item (a comment
/// right under `}` or `struct X;` closes that item, one indented deeper ends a body).
fn comments_above<'s>(cx: &FileCx<'s>, i: &syn::ItemImpl, unsafe_span: Span, line: usize) -> Vec<(usize, &'s str)> {
    let src = cx.source;
    let (impl_start, impl_indent) = insertion_point(cx, i, unsafe_span);
    let impl_first_line = src.line_index(impl_start.start as usize);
    let mut found: Vec<(usize, &'s str)> = Vec::new();
    // Where the comments past the blank line start in `found`, once one was crossed.
    let mut past_blank: Option<usize> = None;
    let mut stopped_at_code: Option<&str> = None;
    let mut l = line;
    let mut in_block_comment = false;
    while l > 0 {
        l -= 1;
        let raw = src.line_text(l);
        let text = raw.trim();
        if text.is_empty() && !in_block_comment {
            if past_blank.is_some() || l >= impl_first_line {
                break;
            }
            past_blank = Some(found.len());
            continue;
        }
        let is_comment =
            text.starts_with("//") || text.starts_with("/*") || text.starts_with('*') || text.ends_with("*/");
        if text.ends_with("*/") {
            in_block_comment = true;
        }
        if text.starts_with("/*") {
            in_block_comment = false;
        }
        if is_comment || in_block_comment {
            found.push((src.line_range(l).start, raw));
            continue;
        }
        if past_blank.is_some() {
            stopped_at_code = Some(text);
            break;
        }
        let is_attr = text.starts_with("#[") || text.starts_with(')') || text.starts_with(']');
        // One comment may cover a `Send` + `Sync` pair written on consecutive lines.
        let code = text.find("//").map_or(text, |pos| text[..pos].trim_end());
        let is_sibling_impl = code.starts_with("unsafe impl")
            && code.ends_with("{}")
            && (text.contains(" Send for ") || text.contains(" Sync for "));
        if is_attr {
            if let Some(pos) = attribute_trailing_comment(raw) {
                found.push((src.line_range(l).start + pos, &raw[pos..]));
            }
            continue;
        }
        if is_sibling_impl {
            continue;
        }
        break;
    }
    if let Some(start) = past_blank {
        let block = &found[start..];
        let topmost_indent = block.last().map(|&(_, raw)| raw.len() - raw.trim_start().len());
        let hangs_under_item = stopped_at_code.is_some_and(|code| !code.ends_with('{'));
        if topmost_indent != Some(impl_indent.len()) || hangs_under_item {
            found.truncate(start);
        }
    }
    found
}

/// Where the comment at the end of an attribute line starts (`#[allow(x)] // why`); a `//`
/// inside the attribute (`#[doc = "http://.."]`) is not one.
fn attribute_trailing_comment(line: &str) -> Option<usize> {
    let close = line.rfind(']')?;
    let pos = close + line[close..].find("//")?;
    line[close + 1..pos].trim().is_empty().then_some(pos)
}

/// Generated files say so in a comment in their first lines (`automatically generated by
/// rust-bindgen`, `@generated`, `DO NOT EDIT`, `Code generated by ...`, `Bindings generated by
/// windows-bindgen`). Nobody edits them by hand, so a comment written there would be lost on
/// the next run: the generator has to carry the argument.
fn is_generated(source: &crate::source::SourceFile) -> bool {
    const MARKERS: &[&str] = &[
        "@generated",
        "do not edit",
        "automatically generated",
        "auto-generated",
        "autogenerated",
        "code generated by",
        "bindings generated by",
        "file is generated",
        "file was generated",
    ];
    let mut seen = 0;
    let mut in_block_comment = false;
    for line in 0..source.line_count().min(10) {
        let text = source.line_text(line).trim();
        seen += text.len() + 1;
        if seen > 2048 {
            break;
        }
        // Only comments count: a string or an identifier may say "generated" in handwritten code.
        let is_comment = in_block_comment || text.starts_with("//") || text.starts_with("/*");
        if text.starts_with("/*") {
            in_block_comment = true;
        }
        if text.contains("*/") {
            in_block_comment = false;
        }
        let lower = text.to_ascii_lowercase();
        if is_comment && MARKERS.iter().any(|m| lower.contains(m)) {
            return true;
        }
    }
    false
}

/// Whether a comment argues why an impl is sound: some words long, not a to-do, and with a
/// word of reasoning (`because`, `only`, `never`, `safe`, `as long as`, `thread-safe`, …). A
/// link, `Deprecated: see #5296` or `TODO: add bounds` does not.
fn justifies(text: &str) -> bool {
    const REASONS: &[&str] = &[
        "safe", "safely", "sound", "because", "since", "only", "never", "always", "guarantee", "guarantees",
        "guaranteed", "ensure", "ensures", "ensured", "thread-safe", "threadsafe", "immutable", "exclusive",
        "exclusively", "unique", "uniquely", "owned", "owns", "cannot", "can't", "correct", "therefore", "thus",
        "provided", "mirror", "mirrors", "analogous", "equivalent", "fine", "ok", "okay",
    ];
    const PHRASES: &[&str] = &["as long as", "so long as", "thread safe", "does not", "doesn't", "is not", "isn't"];
    let lower = text.to_ascii_lowercase();
    let first = lower.trim_start();
    if ["todo", "fixme", "xxx", "hack"].iter().any(|t| first.starts_with(t)) {
        return false;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 4 && (words.iter().any(|w| REASONS.contains(w)) || PHRASES.iter().any(|p| lower.contains(p)))
}

/// A type as people write it: `inner::Ptr<T>`, not the token spacing `inner :: Ptr < T >`.
fn type_text(ty: &syn::Type) -> String {
    let raw = quote::ToTokens::to_token_stream(ty).to_string();
    let mut out = raw.replace(" :: ", "::").replace(":: ", "::").replace(" < ", "<").replace(" <", "<");
    out = out.replace("< ", "<").replace(" >", ">").replace(" ,", ",").replace("& ", "&").replace(" ;", ";");
    out
}
