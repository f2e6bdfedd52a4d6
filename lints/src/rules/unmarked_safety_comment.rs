use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::safety_comments::{self, ImplComment};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds an `unsafe impl Send` or `unsafe impl Sync` whose comment argues why it is sound
    /// but does not start with the `SAFETY:` marker (`// Safe because the pointer is never
    /// dereferenced`), and offers a machine-applicable fix that writes `SAFETY: ` at the start
    /// of the comment's first line.
    ///
    /// A comment counts as an argument when it is at least four words long, is not a to-do
    /// (`TODO`, `FIXME`), and has a word of reasoning (`because`, `since`, `only`, `never`,
    /// `safe`, `sound`, `as long as`, `thread-safe`, `immutable`, `exclusive`, …). The comment
    /// is found as `undocumented_unsafe_send_sync` finds it: directly above the impl or its
    /// attributes, at the end of an attribute line or of the impl's own line, or one blank
    /// line above at the impl's indentation. An impl without any argument is
    /// `undocumented_unsafe_send_sync`'s finding, not this lint's.
    ///
    /// ### Why is this bad
    /// Tools and reviewers find the safety arguments of a code base by searching for
    /// `SAFETY:` (Clippy's `undocumented_unsafe_blocks` looks for it, and so do audits of
    /// `unsafe`). An argument without the marker is missed by that search.
    ///
    /// This lint is `pedantic` (allow by default): the argument the impl needs is written
    /// down, next to the impl, for every reader of the code; only the marker that helps a
    /// search find it is missing. Reviewers of its findings judged them cosmetic, so they stay
    /// out of the default output and of `undocumented_unsafe_send_sync`, which reports impls
    /// with no argument at all. Enable it (`-W unmarked_safety_comment`) to make every
    /// argument searchable; `cargo taskcheck --fix` applies the marker everywhere at once.
    ///
    /// ### Known problems
    /// Whether a comment argues is judged by its words, not understood: `// Safe because we
    /// said so` counts as an argument. Generated files are skipped, as by
    /// `undocumented_unsafe_send_sync`.
    ///
    /// ### Example
    /// ```rust,ignore
    /// struct Address(*mut u8);
    /// // Safe since the address is never dereferenced.
    /// unsafe impl Send for Address {}
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// struct Address(*mut u8);
    /// // SAFETY: Safe since the address is never dereferenced.
    /// unsafe impl Send for Address {}
    /// ```
    pub static UNMARKED_SAFETY_COMMENT = {
        name: "unmarked_safety_comment",
        rule: Some(Rule::DocumentedSafety),
        category: Pedantic,
        cost: Documentation,
        summary: "the safety argument of an `unsafe impl Send`/`Sync` does not start with `SAFETY:`",
        why: "tools and reviewers find safety arguments by searching for `SAFETY:`",
    };
}

pub fn check(cx: &FileCx<'_>) {
    if safety_comments::is_generated(cx) {
        return;
    }
    for (i, unsafe_span, which) in safety_comments::unsafe_send_sync_impls(cx) {
        if let ImplComment::Justification { at } = safety_comments::classify(cx, i, unsafe_span) {
            report(cx, i, unsafe_span, which, at);
        }
    }
}

fn report(cx: &FileCx<'_>, i: &syn::ItemImpl, unsafe_span: Span, which: &str, at: usize) {
    let ty = safety_comments::type_text(&i.self_ty);
    let mut d = Diagnostic::new(
        &UNMARKED_SAFETY_COMMENT,
        safety_comments::impl_head(cx, i, unsafe_span),
        format!("`unsafe impl {which}` has a justification but no `SAFETY:` marker"),
    )
    .primary_label(format!("the comment says why `{ty}` is `{which}`, but not with the marker reviewers search for"))
    .help("start the comment with `SAFETY:` so that tools and reviewers find the argument")
    .suggest(
        "mark the comment as the safety argument",
        Span::new(cx.file, at, at),
        "SAFETY: ".to_string(),
        Applicability::MachineApplicable,
    );
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
