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
    /// directly under it. A justification that does not say `SAFETY:` is not recognised:
    /// tools and reviewers search for the keyword.
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
    if has_safety_comment(cx, i, unsafe_span) {
        return;
    }
    let ty = type_text(&i.self_ty);
    let head_end = cx.span_of(path.segments.last().map(|s| s.ident.span()).unwrap_or(unsafety.span));
    let primary = unsafe_span.to(head_end).to(cx.span(&*i.self_ty));
    let (insert_at, indent) = insertion_point(cx, i, unsafe_span);
    let claim = if which == "Send" { "be moved to another thread" } else { "be shared between threads" };
    let comment = format!("{indent}// SAFETY: <explain why `{ty}` can safely {claim}>\n");
    let mut d = Diagnostic::new(
        &UNDOCUMENTED_UNSAFE_SEND_SYNC,
        primary,
        format!("`unsafe impl {which}` without a `// SAFETY:` comment"),
    )
    .primary_label(format!("claims `{ty}` is `{which}` without saying why"))
    .help(format!("write a `// SAFETY:` comment above the impl explaining why `{ty}` can safely {claim}"))
    .suggest("document the invariant that makes this sound", insert_at, comment, Applicability::HasPlaceholders);
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

/// A `SAFETY:` comment (or a `# Safety` doc section) on the lines directly above the impl
/// (its attributes, or a one-line sibling `unsafe impl Send`/`Sync`, may sit in between), or at
/// the end of the `unsafe impl` line.
fn has_safety_comment(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span) -> bool {
    let mentions_safety = |text: &str| {
        let lower = text.to_ascii_lowercase();
        lower.contains("safety:") || lower.contains("# safety") || lower.contains("safety -")
    };
    for attr in &i.attrs {
        if attr.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if let syn::Expr::Lit(l) = &nv.value {
                    if let syn::Lit::Str(s) = &l.lit {
                        if mentions_safety(&s.value()) {
                            return true;
                        }
                    }
                }
            }
        }
    }
    let src = cx.source;
    let line = src.line_index(unsafe_span.start as usize);
    let own = src.line_text(line);
    if let Some(pos) = own.find("//") {
        if mentions_safety(&own[pos..]) {
            return true;
        }
    }
    let mut l = line;
    let mut in_block_comment = false;
    while l > 0 {
        l -= 1;
        let text = src.line_text(l).trim();
        let is_comment =
            text.starts_with("//") || text.starts_with("/*") || text.starts_with('*') || text.ends_with("*/");
        if text.ends_with("*/") {
            in_block_comment = true;
        }
        if text.starts_with("/*") {
            in_block_comment = false;
        }
        if is_comment || in_block_comment {
            if mentions_safety(text) {
                return true;
            }
            continue;
        }
        let is_attr = text.starts_with("#[") || text.starts_with(')') || text.starts_with(']');
        // One comment may cover a `Send` + `Sync` pair written on consecutive lines.
        let is_sibling_impl = text.starts_with("unsafe impl")
            && text.ends_with("{}")
            && (text.contains(" Send for ") || text.contains(" Sync for "));
        if is_attr || is_sibling_impl {
            continue;
        }
        return false;
    }
    false
}

/// A type as people write it: `inner::Ptr<T>`, not the token spacing `inner :: Ptr < T >`.
fn type_text(ty: &syn::Type) -> String {
    let raw = quote::ToTokens::to_token_stream(ty).to_string();
    let mut out = raw.replace(" :: ", "::").replace(":: ", "::").replace(" < ", "<").replace(" <", "<");
    out = out.replace("< ", "<").replace(" >", ">").replace(" ,", ",").replace("& ", "&").replace(" ;", ";");
    out
}
