//! What becomes of a spawn's handle, summarised from its [`Flow`] and the uses of the binding
//! that holds it.

use super::{BindingId, Facts, Flow, Spawn};
use crate::source::{FileId, Span};
use syn::Pat;

/// How a handle is let go without anyone able to wait for the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropKind {
    /// `spawn(…);` or `let _ = spawn(…);`.
    Discarded,
    /// `drop(handle)`.
    Drop,
    /// `std::mem::forget(handle)`.
    Forget,
    /// smol's `.detach()`.
    Detach,
    /// Bound to a name that is never read: dropped at the end of the scope.
    NeverRead,
    /// The spawner returns no handle at all (`rayon::spawn`).
    NoHandle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleFate {
    /// The handle is let go at `span` (the statement, the `drop` call, the binding…).
    Dropped { kind: DropKind, span: Span, binding: Option<BindingId> },
    /// Joined, awaited, aborted, returned, stored, passed on, or otherwise kept.
    Kept,
}

/// The handle's fate, as far as this function shows.
pub fn handle_fate(file: FileId, facts: &Facts<'_>, spawn: &Spawn<'_>) -> HandleFate {
    let span_of = |n: &dyn syn::spanned::Spanned| super::walk::span_of(file, n);
    if spawn.spawner.is_managed() {
        return HandleFate::Kept;
    }
    if spawn.spawner.is_fire_and_forget() {
        return HandleFate::Dropped { kind: DropKind::NoHandle, span: spawn.callee_span, binding: None };
    }
    match spawn.flow {
        Flow::Discarded => HandleFate::Dropped { kind: DropKind::Discarded, span: spawn.callee_span, binding: None },
        Flow::Dropped(e) => HandleFate::Dropped { kind: DropKind::Drop, span: span_of(e), binding: None },
        Flow::Forgotten(e) => HandleFate::Dropped { kind: DropKind::Forget, span: span_of(e), binding: None },
        Flow::Method(m) if m.method == "detach" => {
            HandleFate::Dropped { kind: DropKind::Detach, span: span_of(&m.method), binding: None }
        }
        Flow::Let(pat) => match single_name(pat) {
            Some(ident) => {
                let span = super::walk::span_of_span(file, ident.span());
                match facts.binding_at(span) {
                    Some(b) => binding_fate(file, facts, b),
                    None => HandleFate::Kept,
                }
            }
            None => HandleFate::Kept,
        },
        _ => HandleFate::Kept,
    }
}

fn single_name(pat: &Pat) -> Option<&syn::Ident> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(&p.ident),
        Pat::Type(t) => single_name(&t.pat),
        _ => None,
    }
}

/// The fate of a handle held by `binding`: dropped if it is never read, or if every read lets
/// it go at once; kept otherwise.
pub fn binding_fate(file: FileId, facts: &Facts<'_>, binding: BindingId) -> HandleFate {
    let b = facts.binding(binding);
    let mut dropped_at = None;
    for u in facts.uses_of(binding) {
        match u.flow {
            Flow::Dropped(e) | Flow::Forgotten(e) => {
                dropped_at.get_or_insert((super::walk::span_of(file, e), matches!(u.flow, Flow::Dropped(_))));
            }
            Flow::Method(m) if m.method == "detach" => {
                dropped_at.get_or_insert((super::walk::span_of(file, &m.method), false));
            }
            _ => return HandleFate::Kept,
        }
    }
    match dropped_at {
        Some((span, is_drop)) => HandleFate::Dropped {
            kind: if is_drop { DropKind::Drop } else { DropKind::Forget },
            span,
            binding: Some(binding),
        },
        None => HandleFate::Dropped { kind: DropKind::NeverRead, span: b.span, binding: Some(binding) },
    }
}

/// How a spawn's work can be cancelled through its handle, as far as the file shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancellation {
    /// `handle.abort()`, `abort_handle()`, async-std's `handle.cancel()`, or the handle wrapped
    /// in an abort-on-drop guard: at `span`.
    Visible(Span),
    /// The handle leaves the function (stored, returned, passed on, collected) and the file
    /// aborts something somewhere: it may well be this handle.
    Possible,
    /// Nothing in sight cancels it.
    None,
}

/// Methods that cancel a task through its handle (tokio's `abort`, async-std's `cancel`).
fn is_cancel_method(name: &str) -> bool {
    matches!(name, "abort" | "abort_handle" | "cancel")
}

/// Whether the spawn's handle is visibly aborted or cancelled. Only meaningful for task
/// handles: a std thread cannot be cancelled, and `abort()` does not stop `spawn_blocking`.
pub fn handle_cancellation(file: FileId, facts: &Facts<'_>, spawn: &Spawn<'_>) -> Cancellation {
    let span_of = |n: &dyn syn::spanned::Spanned| super::walk::span_of(file, n);
    let escapes = |flow: &Flow<'_>| {
        matches!(
            flow,
            Flow::Stored | Flow::Returned | Flow::PushedInto(_) | Flow::Argument(_) | Flow::Assigned(_) | Flow::Other
        )
    };
    let mut escaped = false;
    match spawn.flow {
        Flow::Method(m) if is_cancel_method(&m.method.to_string()) => return Cancellation::Visible(span_of(&m.method)),
        Flow::Argument(call) if is_abort_on_drop(call) => return Cancellation::Visible(span_of(call)),
        Flow::Let(pat) => {
            if let Some(b) = single_name(pat).and_then(|i| facts.binding_at(super::walk::span_of_span(file, i.span())))
            {
                for u in facts.uses_of(b) {
                    match u.flow {
                        Flow::Method(m) if is_cancel_method(&m.method.to_string()) => {
                            return Cancellation::Visible(span_of(&m.method))
                        }
                        Flow::Argument(call) if is_abort_on_drop(call) => return Cancellation::Visible(span_of(call)),
                        ref f if escapes(f) => escaped = true,
                        _ => {}
                    }
                }
            } else {
                escaped = true;
            }
        }
        ref f if escapes(f) => escaped = true,
        _ => {}
    }
    let file_aborts = || {
        facts.calls.iter().any(|c| match &c.callee {
            super::Callee::Method { name, .. } => {
                matches!(name.as_str(), "abort" | "abort_all" | "cancel" | "shutdown")
            }
            super::Callee::Path { resolved, .. } => resolved.as_deref().is_some_and(|r| r.contains("AbortOnDrop")),
        })
    };
    if escaped && file_aborts() {
        Cancellation::Possible
    } else {
        Cancellation::None
    }
}

/// `AbortOnDropHandle::new(handle)` and similar wrappers that abort the task when dropped.
fn is_abort_on_drop(call: &syn::Expr) -> bool {
    let func = match call {
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => super::walk::path_text(&p.path),
            _ => return false,
        },
        syn::Expr::MethodCall(m) => m.method.to_string(),
        _ => return false,
    };
    let lower = func.to_ascii_lowercase();
    lower.contains("abortondrop") || lower.contains("abort_on_drop")
}
