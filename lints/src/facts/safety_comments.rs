//! What documents an `unsafe impl Send`/`Sync`, shared by `undocumented_unsafe_send_sync` (no
//! argument at all) and `unmarked_safety_comment` (an argument without the `SAFETY:` marker):
//! the comment above the impl ([`classify`]), the self type's doc comment
//! ([`type_doc_argues`]), and whether the file is generated ([`is_generated`]).

use crate::context::FileCx;
use crate::source::Span;

/// Each positive `unsafe impl Send`/`Sync` of the file, with its `unsafe` keyword's span and the
/// trait (`"Send"` or `"Sync"`).
pub fn unsafe_send_sync_impls<'c, 'a>(
    cx: &'c FileCx<'a>,
) -> impl Iterator<Item = (&'a syn::ItemImpl, Span, &'static str)> + 'c {
    cx.facts.impls.iter().filter_map(|imp| {
        let which = imp.unsafe_auto_trait?;
        let unsafety = imp.item.unsafety?;
        Some((imp.item, cx.span_of(unsafety.span), which))
    })
}

/// The impl is test code (a `#[test]` helper, a `#[cfg(test)]` module, a test file): it never
/// ships, and a type made `Send` for one test is not a claim users rely on.
pub fn is_test_impl(cx: &FileCx<'_>, i: &syn::ItemImpl) -> bool {
    cx.facts.impls.iter().any(|imp| std::ptr::eq(imp.item, i) && imp.is_test)
}

/// The other half of a `Send`/`Sync` pair for the same type, written right above this impl
/// (its last line directly above this impl's first): one comment covers the pair even when
/// the first impl spans several lines (`where` clauses).
fn sibling_above<'a>(cx: &FileCx<'a>, i: &syn::ItemImpl, unsafe_span: Span) -> Option<(&'a syn::ItemImpl, Span)> {
    let src = cx.source;
    let (first, _) = insertion_point(cx, i, unsafe_span);
    let first_line = src.line_index(first.start as usize);
    let ty = type_text(&i.self_ty);
    unsafe_send_sync_impls(cx).find_map(|(other, other_unsafe, _)| {
        let end_line = src.line_index(cx.span(other).end.saturating_sub(1) as usize);
        (!std::ptr::eq(other, i) && end_line + 1 == first_line && type_text(&other.self_ty) == ty)
            .then_some((other, other_unsafe))
    })
}

/// The start of the impl's first line (its first attribute, or the `unsafe` line), and that
/// line's indentation.
pub fn insertion_point(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> (Span, String) {
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
pub enum ImplComment {
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

pub fn classify(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> ImplComment {
    for attr in &i.attrs {
        if attr.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if let syn::Expr::Lit(l) = &nv.value {
                    if let syn::Lit::Str(s) = &l.lit {
                        if mentions_safety(&s.value()) {
                            return ImplComment::Safety;
                        }
                    }
                }
            }
        }
    }
    match written_comment(cx, i, unsafe_span) {
        Some(comment) => comment,
        // Nothing above this impl: the pair's first half may carry the comment for both.
        None => match sibling_above(cx, i, unsafe_span) {
            Some((other, other_unsafe)) if other_unsafe.start < unsafe_span.start => {
                written_comment(cx, other, other_unsafe).unwrap_or(ImplComment::Missing)
            }
            _ => ImplComment::Missing,
        },
    }
}

/// What the comments above the impl and at the end of its line say; `None` when there is no
/// comment text at all.
fn written_comment(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> Option<ImplComment> {
    let src = cx.source;
    let line = src.line_index(unsafe_span.start as usize);
    let own = src.line_text(line);
    let own_comment = own.find("//").map(|pos| (src.line_range(line).start + pos, &own[pos..]));
    if let Some((_, text)) = own_comment {
        if mentions_safety(text) {
            return Some(ImplComment::Safety);
        }
    }
    let above = comments_above(cx, i, unsafe_span, line);
    if above.iter().any(|(_, text)| mentions_safety(text)) {
        return Some(ImplComment::Safety);
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
    let &(at, _) = lines.iter().find(|(_, t)| !t.is_empty())?;
    Some(if justifies(&text.join(" ")) { ImplComment::Justification { at } } else { ImplComment::Missing })
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
    let mut passed_type = false;
    // How many comments lay between the impl and a one-line type above it.
    let mut comments_before_type = 0;
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
            // Above a one-line type, a doc comment is the type's, not the impl's.
            let is_doc = ["///", "//!", "/**", "/*!"].iter().any(|d| text.starts_with(d));
            if passed_type && is_doc {
                break;
            }
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
        // `struct Wrapper(Guard);` right above its own impl: the comment above covers both.
        let self_name = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let is_own_one_line_type = code.ends_with(';')
            && self_name.is_some_and(|n| {
                let decl = code.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
                decl.starts_with(&format!("struct {n}")) || decl.starts_with(&format!("type {n}"))
            });
        if is_sibling_impl || is_own_one_line_type {
            if is_own_one_line_type && !passed_type {
                passed_type = true;
                comments_before_type = found.len();
            }
            continue;
        }
        break;
    }
    // Past the type, a comment speaks for the impl only if it is about threads or the traits
    // (`we wrap it because Guard isn't Sync`); otherwise it describes the type.
    if passed_type {
        let about_threads = found[comments_before_type..].iter().any(|(_, raw)| {
            let lower = raw.to_ascii_lowercase();
            lower
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| matches!(w, "send" | "sync" | "thread" | "threads"))
        });
        if !about_threads {
            found.truncate(comments_before_type);
            past_blank = past_blank.filter(|&p| p <= comments_before_type);
        }
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
fn has_generated_header(source: &crate::source::SourceFile) -> bool {
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

/// Words that give a reason: these make a comment or a doc sentence an argument.
const REASONS: &[&str] = &[
    "because", "only", "never", "always", "guarantee", "guarantees", "guaranteed", "immutable", "exclusive",
    "exclusively", "unique", "uniquely", "cannot", "can't", "therefore", "thus",
];
const REASON_PHRASES: &[&str] = &["as long as", "so long as"];

/// Words that, next to an impl, argue its case too (`// Fine: the pointer is never null`,
/// `// Owned, not shared`), but that a type's doc uses for something else: to tell users what
/// the type is (`A thread-safe cell`, `can be safely shared between threads`, `equivalent to
/// Cell`: a claim, not the reason for it), what they must do (`the caller must ensure`), or
/// when (`since that could introduce soundness issues`, `provided by`).
const COMMENT_REASONS: &[&str] = &[
    "safe", "safely", "sound", "since", "ensure", "ensures", "ensured", "provided", "thread-safe", "threadsafe",
    "owned", "owns", "correct", "mirror", "mirrors", "analogous", "equivalent", "fine", "ok", "okay",
];
const COMMENT_REASON_PHRASES: &[&str] = &["thread safe", "does not", "doesn't", "is not", "isn't"];

/// Whether a comment argues why an impl is sound: some words long, not a to-do, and with a
/// word of reasoning (`because`, `only`, `never`, `safe`, `as long as`, `thread-safe`, …). A
/// link, `Deprecated: see #5296` or `TODO: add bounds` does not.
fn justifies(text: &str) -> bool {
    argues(text, true)
}

/// `justifies`, with or without the words that only argue next to the impl ([`COMMENT_REASONS`]).
fn argues(text: &str, next_to_impl: bool) -> bool {
    let lower = text.to_ascii_lowercase();
    let first = lower.trim_start();
    if ["todo", "fixme", "xxx", "hack"].iter().any(|t| first.starts_with(t)) {
        return false;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_reason = |w: &&str| REASONS.contains(w) || (next_to_impl && COMMENT_REASONS.contains(w));
    let has_phrase = |p: &&str| lower.contains(p);
    // Next to the impl, a sentence about the traits themselves explains the choice (`We make raw
    // iterators Send and Sync, and let the PhantomData in the real iterators set the bounds`).
    let names_the_traits = next_to_impl && words.len() >= 8 && words.iter().any(|w| *w == "send" || *w == "sync");
    // `// See the thread-safety note on PrivateKey`: the argument is written, elsewhere.
    let points_to_argument = next_to_impl
        && words.iter().position(|w| *w == "see").is_some_and(|at| {
            words[at..].iter().any(|w| w.contains("safety") || w.contains("thread") || *w == "send" || *w == "sync")
        });
    names_the_traits
        || points_to_argument
        || (words.len() >= 4
            && (words.iter().any(is_reason)
                || REASON_PHRASES.iter().any(has_phrase)
                || (next_to_impl && COMMENT_REASON_PHRASES.iter().any(has_phrase))))
}

/// A type as people write it: `inner::Ptr<T>`, not the token spacing `inner :: Ptr < T >`.
pub fn type_text(ty: &syn::Type) -> String {
    let raw = quote::ToTokens::to_token_stream(ty).to_string();
    let mut out = raw.replace(" :: ", "::").replace(":: ", "::").replace(" < ", "<").replace(" <", "<");
    out = out.replace("< ", "<").replace(" >", ">").replace(" ,", ",").replace("& ", "&").replace(" ;", ";");
    out
}

/// Fewest `unsafe impl Send`/`Sync` items that, in a file without a single comment, mark it as
/// generated. Measured on corpora A and C: hand-written files without any comment hold at
/// most 4 of these impls (two `Send` + `Sync` pairs); a hand-written file with 8 or more has
/// at least 23 comment lines.
const GENERATED_MIN_IMPLS: usize = 8;

/// A line this long (in characters) is not written by hand in a file without comments: it is
/// code a generator emits on one line (measured: the longest line of every comment-free
/// hand-written file on the corpora is at most 105 characters; every comment-free `windows`
/// crate file has one of at least 154).
const GENERATED_LINE_LEN: usize = 150;

/// A generated file: one whose first lines say so ([`has_generated_header`]), or, without such
/// a header, one shaped like generator output: not a single comment (line, block or doc
/// comment) and either many `unsafe impl Send`/`Sync` items or a line far past any formatter's
/// width. Nobody edits such a file by hand, so the argument belongs in the generator.
pub fn is_generated(cx: &FileCx<'_>) -> bool {
    has_generated_header(cx.source) || is_shaped_like_generated(cx)
}

fn is_shaped_like_generated(cx: &FileCx<'_>) -> bool {
    looks_generated(&cx.source.text, unsafe_send_sync_impls(cx).count())
}

/// [`is_shaped_like_generated`] on the file's text and its number of `unsafe impl Send`/`Sync`.
fn looks_generated(text: &str, impls: usize) -> bool {
    // Any `//` or `/*` counts, even one in a string: only a file with none at all is generator-shaped.
    if text.contains("//") || text.contains("/*") {
        return false;
    }
    impls >= GENERATED_MIN_IMPLS || (impls > 0 && text.lines().any(|l| l.chars().count() > GENERATED_LINE_LEN))
}

/// Whether the doc comment of the impl's self type, defined in this file, argues why it may
/// cross threads: a sentence of it names `Send` or `Sync` (or the type and threads), does not
/// say what the type is not, and gives a reason, there or in the next sentence about safety
/// (`ThreadBound
/// … allows accessing a value of type T only from the original thread`). A doc that only says
/// what the type is (`Newtype that adds Send and Sync to libc::aiocb, which contains raw
/// pointers`) does not.
pub fn type_doc_argues(cx: &FileCx<'_>, i: &syn::ItemImpl) -> bool {
    let syn::Type::Path(p) = &*i.self_ty else { return false };
    let Some(name) = p.path.segments.last().map(|s| &s.ident) else { return false };
    let name = name.to_string();
    cx.facts.types.iter().filter(|t| *t.ident == name).any(|t| doc_argues_thread_safety(&doc_text(t.attrs), &name))
}

/// The `///` lines (`#[doc = "…"]` attributes) of an item, joined by newlines.
fn doc_text(attrs: &[syn::Attribute]) -> String {
    let mut out = String::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
            ..
        }) = &attr.meta
        {
            out.push_str(&s.value());
            out.push('\n');
        }
    }
    out
}

fn doc_argues_thread_safety(doc: &str, type_name: &str) -> bool {
    doc_units(doc).iter().any(|unit| {
        let sentences = sentences(unit);
        // The sentence about crossing threads argues, or the one right after it argues about
        // safety (`… must be `Sync`. This is safe because it is never modified.`).
        (0..sentences.len()).any(|k| {
            is_about_crossing_threads(sentences[k], type_name)
                && !is_not_the_argument(sentences[k])
                && (argues(sentences[k], false)
                    || sentences.get(k + 1).is_some_and(|next| is_about_safety(next) && argues(next, false)))
        })
    })
}

/// A sentence that names `Send` or `Sync` (`Sync-maker`, `` `Send` ``), or that names the type
/// and threads (`ThreadBound … only from the original thread`), or opens a `# Thread safety`
/// section. A sentence about threads that
/// does not name the type is about something else (`… starve other threads waiting to acquire
/// the mutex`).
fn is_about_crossing_threads(sentence: &str, type_name: &str) -> bool {
    let words: Vec<&str> = sentence.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
    let lower = sentence.to_ascii_lowercase();
    words.iter().any(|w| *w == "Send" || *w == "Sync")
        || lower.contains("# thread safety")
        || lower.contains("# thread-safety")
        || (words.contains(&type_name) && words.iter().any(|w| w.to_ascii_lowercase().contains("thread")))
}

/// A sentence that says what the type is not or does not do (`is not `Sync``, `does not have a
/// `Sync` marker`, `doesn't support unlocking, since …`), or that tells the reader what to do
/// (`If you can guarantee no concurrent access you can add `Sync``), argues about that, not
/// about the impl.
fn is_not_the_argument(sentence: &str) -> bool {
    sentence
        .to_ascii_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .any(|w| w == "not" || w.ends_with("n't") || w == "you")
}

fn is_about_safety(sentence: &str) -> bool {
    let lower = sentence.to_ascii_lowercase();
    ["safe", "sound"].iter().any(|w| lower.contains(w))
}

/// A paragraph's sentences: cut after `.`, `!` or `?` followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (k, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(k + 1) == Some(&b' ') {
            out.push(&text[start..=k]);
            start = k + 1;
        }
    }
    out.push(&text[start..]);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// A doc comment cut into paragraphs, except that a section under a heading about safety
/// (`# Safety`, `# Thread safety`) is one part with its heading. Code blocks are left out: an
/// example's `thread::spawn` argues nothing.
fn doc_units(doc: &str) -> Vec<String> {
    let mut units = Vec::new();
    let mut current = String::new();
    let mut in_safety_section = false;
    let mut in_code = false;
    for line in doc.lines() {
        let text = line.trim();
        if text.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let is_heading = text.starts_with('#');
        if is_heading || (text.is_empty() && !in_safety_section) {
            units.push(std::mem::take(&mut current));
        }
        if is_heading {
            in_safety_section = text.to_ascii_lowercase().contains("safety");
        }
        current.push_str(text);
        current.push(' ');
    }
    units.push(current);
    units.retain(|u| !u.trim().is_empty());
    units
}

/// The span a finding on the impl points at: `unsafe impl Send for Foo<T>`.
pub fn impl_head(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> Span {
    let trait_ident = i.trait_.as_ref().and_then(|(_, path, _)| path.segments.last()).map(|s| s.ident.span());
    let head_end = trait_ident.map_or(unsafe_span, |s| cx.span_of(s));
    unsafe_span.to(head_end).to(cx.span(&*i.self_ty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_without_any_comment_and_with_many_impls_or_an_overlong_line_looks_generated() {
        let pairs =
            |n: usize| "pub struct A(*mut u8);\nunsafe impl Send for A {}\nunsafe impl Sync for A {}\n".repeat(n);
        assert!(looks_generated(&pairs(4), 8));
        // Two pairs without a comment: hand-written files look like this too.
        assert!(!looks_generated(&pairs(2), 4));
        // One comment anywhere, a doc comment too, makes the file hand-written.
        assert!(!looks_generated(&format!("/// A.\n{}", pairs(4)), 8));
        assert!(!looks_generated(&format!("/* A. */\n{}", pairs(4)), 8));
        let long = format!("{}pub fn f() -> u8 {{ {} }}\n", pairs(1), "1 + ".repeat(40) + "1");
        assert!(looks_generated(&long, 2));
        assert!(!looks_generated(&long, 0));
    }

    #[test]
    fn a_type_doc_argues_when_a_sentence_about_threads_gives_a_reason() {
        let syn_thread_bound = "ThreadBound is a Sync-maker and Send-maker that allows accessing a value of type T\n\
            only from the original thread on which the ThreadBound was constructed.";
        assert!(doc_argues_thread_safety(syn_thread_bound, "ThreadBound"));
        let next_sentence = "Its type must be `Sync`, which is the purpose of this wrapper. This is safe because\n\
            the chunk is immutable.";
        assert!(doc_argues_thread_safety(next_sentence, "Chunk"));
        assert!(doc_argues_thread_safety(
            "A handle.\n\n# Thread safety\n\nAll access goes through `&mut self`, so it is always exclusive.",
            "Handle"
        ));
        // What, not why.
        assert!(!doc_argues_thread_safety(
            "Newtype that adds Send and Sync to libc::aiocb, which contains raw pointers",
            "LibcAiocb"
        ));
        assert!(!doc_argues_thread_safety("An atomic pointer that can be safely shared between threads.", "Atomic"));
        // A reason about something else, or a reason far from any mention of threads.
        assert!(!doc_argues_thread_safety(
            "MappedGuard does not support unlocking, since that could be unsound if another thread modifies it.",
            "MappedGuard"
        ));
        assert!(!doc_argues_thread_safety(
            "Because `Rx` does not have a `Sync` marker, `Arc<Rx>` is not `Send`.",
            "Rx"
        ));
        assert!(!doc_argues_thread_safety("If you can guarantee no concurrent access you can add `Sync`.", "Mux"));
        // Threads, but not this type's: a reason about something else.
        assert!(!doc_argues_thread_safety(
            "Because of this, attempts to recursively acquire a read lock within a single thread may deadlock.",
            "RwLock"
        ));
        assert!(!doc_argues_thread_safety(
            "A channel shared by threads.\n\nIt must only be used after `connect`.",
            "Channel"
        ));
        assert!(!doc_argues_thread_safety("A queue.\n\n```\n// only one thread\nthread::spawn(f);\n```", "Queue"));
    }
}
