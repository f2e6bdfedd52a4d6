use crate::context::{ExportedFact, FileCx, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::manifest::abort_profiles;
use crate::facts::walk::{expr_text, path_text};
use crate::facts::{Callee, Ctx, Flow};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::HashMap;
use syn::{Expr, Pat};

crate::declare_lint! {
    /// ### What it does
    /// Finds a profile in the workspace's root `Cargo.toml` (`[profile.release]`,
    /// `[profile.dev]` or a custom profile) that sets `panic = "abort"` while the code recovers
    /// panics: `std::panic::catch_unwind`, `FutureExt::catch_unwind`, an `Err` taken from a
    /// std thread's `join()` (`match`, `if let Err`, `is_err()`, `map_err`, `unwrap_or_else`…),
    /// or tokio's `JoinError::is_panic` / `into_panic`. The finding points at the
    /// `panic = "abort"` line and names the code that relies on unwinding.
    ///
    /// Test code is not counted (`cargo test` always unwinds), nor is code in a function marked
    /// `#[cfg(panic = "unwind")]`.
    ///
    /// ### Why is this bad
    /// With `panic = "abort"` a panic ends the process on the spot: `catch_unwind` never
    /// returns `Err`, a panicking thread takes the whole process down instead of handing its
    /// panic to `join()`, and a tokio task's panic never becomes a `JoinError`. The recovery
    /// code is dead, and whatever it was meant to keep alive (a server loop, a worker pool)
    /// dies with the first panic. `cargo test` always unwinds, so the tests of that recovery
    /// pass and do not show it.
    ///
    /// ### Known problems
    /// Only the workspace root manifest is read; profiles set in `.cargo/config.toml` or on the
    /// command line are not seen. Recovery code in a library that is meant to work under both
    /// strategies is reported too; gate it with `#[cfg(panic = "unwind")]`.
    ///
    /// ### Example
    /// ```toml
    /// [profile.release]
    /// panic = "abort"
    /// ```
    /// ```rust,ignore
    /// if let Err(panic) = std::panic::catch_unwind(|| handle(request)) {
    ///     log_panic(panic); // never runs in release builds
    /// }
    /// ```
    /// Use instead: drop `panic = "abort"` from the profile, or stop relying on recovery (let
    /// the process abort and have a supervisor restart it) and gate the recovery code with
    /// `#[cfg(panic = "unwind")]`.
    pub static CATCH_UNWIND_UNDER_ABORT = {
        name: "catch_unwind_under_abort",
        rule: Some(Rule::Panics),
        category: Suspicious,
        cost: Hang,
        summary: "a profile sets `panic = \"abort\"` while the code recovers panics",
        why: "under `panic = \"abort\"` panic recovery never runs, and `cargo test` (always unwinding) hides it",
    };
}

/// Exports every place of non-test code that recovers a panic.
pub fn collect(cx: &FileCx<'_>) {
    let facts = cx.facts;
    if is_test_module_file(cx) || file_is_unwind_only(cx) {
        return;
    }
    let counts = |ctx: &Ctx| !ctx.is_test && !fn_is_unwind_only(cx, ctx);
    // A function that hands panics back with `resume_unwind` propagates them rather than
    // recovering: its `is_panic`/`into_panic` are not recovery.
    let resumes: Vec<_> = facts
        .calls
        .iter()
        .filter(|c| c.resolved().is_some_and(|p| p == "std::panic::resume_unwind"))
        .map(|c| c.ctx.fn_id)
        .collect();
    // Method calls by receiver, to see what is done with a `join()` result.
    let mut method_on: HashMap<*const Expr, &str> = HashMap::new();
    for c in &facts.calls {
        if let Callee::Method { name, receiver } = &c.callee {
            method_on.insert(strip(receiver) as *const Expr, name.as_str());
        }
    }
    let spawns_std_threads = facts.spawns.iter().any(|s| s.spawner.is_thread());
    let tokio = cx.package.depends_on("tokio") || cx.package.name == "tokio";
    for c in &facts.calls {
        if !counts(&c.ctx) {
            continue;
        }
        let found = match &c.callee {
            Callee::Path { resolved, path } if resolved.as_deref() == Some("std::panic::catch_unwind") => {
                Some((c.callee_span, format!("`{}`", path_text(path))))
            }
            Callee::Method { name, receiver } if c.args.is_empty() => match name.as_str() {
                "catch_unwind" => Some((method_span(cx, c.expr), "`catch_unwind`".to_string())),
                "is_panic" | "into_panic" | "try_into_panic" if tokio && !resumes.contains(&c.ctx.fn_id) => {
                    Some((method_span(cx, c.expr), format!("`JoinError::{name}`")))
                }
                "join" if spawns_std_threads && takes_err(c.expr, &c.flow, &method_on) => {
                    Some((cx.span(c.expr), format!("the `Err` of `{}.join()`", expr_text(receiver))))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some((span, what)) = found {
            let lc = cx.source.line_col(span.start as usize);
            cx.export(ExportedFact::RecoversPanic { span, what, at: (lc.line, lc.col) });
        }
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        other => other,
    }
}

fn method_span(cx: &FileCx<'_>, e: &Expr) -> Span {
    match e {
        Expr::MethodCall(m) => cx.span_of(m.method.span()),
        other => cx.span(other),
    }
}

/// A module file of test code by its path under `src/` (`src/…/tests/x.rs`, `src/…/tests.rs`): declared
/// under `#[cfg(test)]` elsewhere, which this file alone does not show.
fn is_test_module_file(cx: &FileCx<'_>) -> bool {
    let path = cx.source.path();
    let parts: Vec<&std::ffi::OsStr> = path.components().map(|c| c.as_os_str()).collect();
    let Some(src) = parts.iter().rposition(|c| *c == "src") else { return false };
    let stem_is_test = path.file_stem().is_some_and(|s| s == "tests" || s == "test");
    let in_tests_dir = parts[src + 1..parts.len().saturating_sub(1)].iter().any(|c| *c == "tests");
    stem_is_test || in_tests_dir
}

/// `#![cfg(panic = "unwind")]` on the whole file.
fn file_is_unwind_only(cx: &FileCx<'_>) -> bool {
    attrs_gate_unwind(&cx.ast.attrs)
}

fn attrs_gate_unwind(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let text = quote::ToTokens::to_token_stream(&a.meta).to_string().replace(' ', "");
            text.contains("panic=\"unwind\"") && !text.contains("not(panic")
        }
    })
}

/// `#[cfg(panic = "unwind")]` on the enclosing function: the author already gated it.
fn fn_is_unwind_only(cx: &FileCx<'_>, ctx: &Ctx) -> bool {
    let Some(id) = ctx.fn_id else { return false };
    attrs_gate_unwind(cx.facts.func(id).attrs)
}

/// Whether the result of `join()` at `join` is inspected for its `Err` (the panic).
fn takes_err(join: &Expr, flow: &Flow<'_>, method_on: &HashMap<*const Expr, &str>) -> bool {
    if let Some(next) = method_on.get(&(join as *const Expr)) {
        return matches!(
            *next,
            "is_err"
                | "err"
                | "map_err"
                | "unwrap_or_else"
                | "unwrap_or"
                | "unwrap_or_default"
                | "or_else"
                | "unwrap_err"
                | "expect_err"
                | "is_err_and"
                | "inspect_err"
        );
    }
    match flow {
        Flow::Matched(Expr::Match(m)) => m.arms.iter().any(|arm| pat_names_err(&arm.pat)),
        Flow::Matched(Expr::Let(l)) => pat_names_err(&l.pat),
        Flow::Let(pat) => pat_names_err(pat),
        _ => false,
    }
}

fn pat_names_err(pat: &Pat) -> bool {
    match pat {
        Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Err"),
        Pat::Or(o) => o.cases.iter().any(pat_names_err),
        Pat::Paren(p) => pat_names_err(&p.pat),
        _ => false,
    }
}

/// `[lib] proc-macro = true` in the package's manifest.
fn is_proc_macro(cx: &WorkspaceCx<'_>, package: &crate::context::PackageInfo) -> bool {
    let Some(manifest) = package.manifest else { return false };
    let Ok(doc) = toml::de::DeTable::parse(&cx.sources.get(manifest).text) else { return false };
    let lib = doc.get_ref().get("lib").and_then(|l| l.get_ref().as_table());
    lib.and_then(|l| l.get("proc-macro").or_else(|| l.get("proc_macro")))
        .and_then(|v| v.get_ref().as_bool())
        .unwrap_or(false)
}

pub fn check(cx: &WorkspaceCx<'_>) {
    let Some(manifest) = cx.root_manifest else { return };
    // Build scripts and proc macros always unwind, whatever the profile says.
    // Only the manifests of packages that recover a panic are parsed again.
    let mut always_unwinds: Vec<Option<bool>> = vec![None; cx.packages.len()];
    let mut unwinds = |package: usize| match always_unwinds.get_mut(package) {
        Some(known) => *known.get_or_insert_with(|| is_proc_macro(cx, &cx.packages[package])),
        None => false,
    };
    let recovering: Vec<(Span, &str, (usize, usize))> = cx
        .files
        .iter()
        .filter(|f| f.facts.iter().any(|f| matches!(f, ExportedFact::RecoversPanic { .. })))
        .filter(|f| !unwinds(f.package))
        .filter(|f| cx.sources.get(f.file).path().file_name().is_none_or(|n| n != "build.rs"))
        .flat_map(|f| f.facts.iter())
        .filter_map(|f| match f {
            ExportedFact::RecoversPanic { span, what, at } => Some((*span, what.as_str(), *at)),
            _ => None,
        })
        .collect();
    // The most telling first: a `catch_unwind`, then a matched `join()`, then `JoinError`.
    let mut recovering = recovering;
    recovering.sort_by_key(|(span, what, _)| {
        let rank = if what.contains("catch_unwind") {
            0
        } else if what.contains("join()") {
            1
        } else {
            2
        };
        (rank, span.file, span.start)
    });
    let Some((first_span, first_what, _)) = recovering.first().copied() else { return };
    let source = cx.sources.get(manifest);
    for (profile, range) in abort_profiles(&source.text) {
        let span = Span::new(manifest, range.start, range.end);
        let mut d = Diagnostic::new(
            &CATCH_UNWIND_UNDER_ABORT,
            span,
            format!("`[profile.{profile}]` sets `panic = \"abort\"`, but the code recovers panics"),
        )
        .primary_label(format!("a panic aborts the process in `{profile}` builds"))
        .label(first_span, format!("{first_what} needs unwinding: under `abort` no panic ever gets here"));
        if recovering.len() > 1 {
            let more: Vec<String> = recovering[1..]
                .iter()
                .take(3)
                .map(|(s, what, (line, col))| {
                    let path = cx.sources.get(s.file).path.to_string_lossy().replace('\\', "/");
                    format!("{what} at {path}:{line}:{col}")
                })
                .collect();
            let rest = recovering.len() - 1 - more.len();
            let tail = if rest > 0 { format!(", and {rest} more") } else { String::new() };
            d = d.note(format!("also relying on unwinding: {}{tail}", more.join(", ")));
        }
        d = d
            .note("`cargo test` always unwinds, so tests of this recovery pass while the built program aborts")
            .help(format!(
                "remove `panic = \"abort\"` from `[profile.{profile}]` if the program relies on recovering panics; otherwise let it abort (and restart it from a supervisor) and gate the recovery code with `#[cfg(panic = \"unwind\")]`"
            ));
        if let Some(note) = d.rule_note() {
            d = d.note(note);
        }
        cx.report(d);
    }
}
