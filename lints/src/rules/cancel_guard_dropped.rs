use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::walk::expr_text;
use crate::facts::{Call, Callee, Flow};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds the guard of a tokio-util `CancellationToken` dropped as soon as it is made:
    /// `let _ = token.drop_guard();`, `_ = token.drop_guard();` or the expression statement
    /// `token.drop_guard();` (also `drop_guard_ref()`).
    ///
    /// ### Why is this bad
    /// A `DropGuard` cancels its token when it is dropped; it is meant to live until the end of
    /// a scope, so that leaving the scope (normally, by `?` or by a panic) cancels the work tied
    /// to the token. `let _ = …` is not a binding: the guard drops at the end of the statement,
    /// so the token is cancelled right there and every task watching it stops at once. The
    /// intended form is `let _guard = token.drop_guard();`.
    ///
    /// It fires only where the package depends on `tokio-util` (or the file uses it), since
    /// `drop_guard` is that crate's API, and not on `self.drop_guard()` or where the file defines
    /// a `drop_guard` function of its own.
    ///
    /// ### Example
    /// ```rust,ignore
    /// async fn serve(token: CancellationToken) {
    ///     let _ = token.clone().drop_guard();
    ///     run_until_cancelled(token).await;
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// async fn serve(token: CancellationToken) {
    ///     let _guard = token.clone().drop_guard();
    ///     run_until_cancelled(token).await;
    /// }
    /// ```
    pub static CANCEL_GUARD_DROPPED = {
        name: "cancel_guard_dropped",
        rule: Some(Rule::Cancellation),
        category: Correctness,
        cost: Hang,
        summary: "a `CancellationToken` drop guard is dropped at once, cancelling the token immediately",
        why: "a guard that drops at once cancels everything watching the token right away",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let mut uses_tokio_util = None;
    for call in &cx.facts.calls {
        let Callee::Method { name, receiver } = &call.callee else { continue };
        if !matches!(name.as_str(), "drop_guard" | "drop_guard_ref") || !call.args.is_empty() {
            continue;
        }
        if !matches!(call.flow, Flow::Discarded) {
            continue;
        }
        // `self.drop_guard()` in an impl, or a `drop_guard` the file defines: the user's own API
        // (a page guard's destructor, a lease), not tokio-util's.
        if matches!(receiver, syn::Expr::Path(p) if p.path.is_ident("self")) || cx.facts.fn_items.contains_key(name) {
            continue;
        }
        if !*uses_tokio_util.get_or_insert_with(|| file_uses_tokio_util(cx)) {
            return;
        }
        // `token.clone().drop_guard()`: the clone shares the token's state; name the token.
        let token = expr_text(receiver);
        let token = token.strip_suffix(".clone()").unwrap_or(&token).to_string();
        report(cx, call, name, &token);
    }
}

/// The package depends on tokio-util, or the file names it.
fn file_uses_tokio_util(cx: &FileCx<'_>) -> bool {
    if cx.package.depends_on("tokio-util") || cx.package.name == "tokio-util" {
        return true;
    }
    cx.facts.calls.iter().any(|c| c.resolved().is_some_and(|p| p.starts_with("tokio_util::")))
        || cx.ast.items.iter().any(|i| match i {
            syn::Item::Use(u) => quote::ToTokens::to_token_stream(&u.tree).to_string().contains("tokio_util"),
            _ => false,
        })
}

/// How the discarded guard is written, found from the text around the call.
enum Form {
    /// `let _ = …`: the `_` to rename.
    LetWild(Span),
    /// `_ = …`: the `_` to turn into `let _guard`.
    AssignWild(Span),
    /// `…;`: insert `let _guard = ` before.
    Statement,
    Other,
}

fn form(cx: &FileCx<'_>, call_span: Span) -> Form {
    let text = &cx.source.text;
    let start = call_span.start as usize;
    let before = text.get(..start).unwrap_or("").trim_end();
    if let Some(lhs) = before.strip_suffix('=') {
        if lhs.ends_with(['=', '!', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^']) {
            return Form::Other;
        }
        let lhs = lhs.trim_end();
        let Some(rest) = lhs.strip_suffix('_') else { return Form::Other };
        if rest.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            return Form::Other;
        }
        let wild = Span::new(cx.file, rest.len(), rest.len() + 1);
        let rest = rest.trim_end();
        if rest.strip_suffix("let").is_some_and(|r| !r.ends_with(|c: char| c.is_alphanumeric() || c == '_')) {
            return Form::LetWild(wild);
        }
        if rest.is_empty() || rest.ends_with([';', '{', '}']) {
            return Form::AssignWild(wild);
        }
        return Form::Other;
    }
    let after = text.get(call_span.end as usize..).unwrap_or("").trim_start();
    let starts_statement = before.is_empty() || before.ends_with([';', '{', '}']);
    if after.starts_with(';') && starts_statement {
        Form::Statement
    } else {
        Form::Other
    }
}

fn report(cx: &FileCx<'_>, call: &Call<'_>, method: &str, token: &str) {
    let span = cx.span(call.expr);
    let call_text = cx.snippet(span).to_string();
    let mut d = Diagnostic::new(
        &CANCEL_GUARD_DROPPED,
        span,
        format!("the guard from `{method}()` is dropped at once, cancelling `{token}` right here"),
    )
    .primary_label("this `DropGuard` is dropped at the end of the statement, and dropping it cancels the token")
    .help(format!(
        "bind the guard to a name so it lives to the end of the scope: `let _guard = {call_text};` (`let _ = …` does not bind); to cancel now, call `{token}.cancel()`"
    ));
    let message = "keep the guard alive until the end of the scope";
    d = match form(cx, span) {
        Form::LetWild(wild) => d.suggest(message, wild, "_guard", Applicability::MachineApplicable),
        Form::AssignWild(wild) => d.suggest(message, wild, "let _guard", Applicability::MachineApplicable),
        Form::Statement => d.suggest(
            message,
            Span::new(cx.file, span.start as usize, span.start as usize),
            "let _guard = ",
            Applicability::MachineApplicable,
        ),
        Form::Other => d,
    };
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
