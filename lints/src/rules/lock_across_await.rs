use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::locks::{Guard, HeldAwait, Holder, LockFacts, LockFamily, LockKind, ReleaseKind, TempReason};
use crate::registry::Rule;
use std::collections::HashSet;

crate::declare_lint! {
    /// ### What it does
    /// Finds a guard of a synchronous lock that is still alive at an `.await` of the same
    /// `async fn` or `async` block: `std::sync::Mutex`/`RwLock`, `parking_lot` and `spin` locks
    /// (the type is read from the field declaration, the constructor, the parameter type or
    /// the static's type, `lazy_static!` ones included, resolved through `use`), and `x.lock().unwrap()` / `x.read().unwrap()` on a type the file
    /// does not show (only std-like locks return a `Result` there). Async locks
    /// (`tokio::sync`, `async_lock`, `futures::lock`, `async_std::sync`) are taken with `.await`
    /// and are never reported.
    ///
    /// A guard counts as alive until it is really released: the end of its block, `drop(guard)`,
    /// a move into a call or another binding (which then holds it), a reassignment; a temporary
    /// guard (`m.lock().unwrap().push(x)`) until the end of its statement, and in a `match`
    /// scrutinee until the end of the whole `match` (see `facts::locks` for every case).
    ///
    /// ### Why is this bad
    /// While the task is suspended at the `.await`, the lock stays locked. Every thread that
    /// wants it blocks, executor workers included (and every task queued on them); a task on the
    /// same thread that wants it deadlocks the worker. std's and parking_lot's guards are also
    /// `!Send`, so the future can no longer be spawned on a multi-threaded runtime.
    ///
    /// Unlike Clippy's `await_holding_lock`, a guard dropped before the `.await` (by `drop`, or
    /// by ending its block) is not reported (rust-clippy#6446).
    ///
    /// ### Known problems
    /// A guard dropped on some paths only (`if c { drop(g) }`) counts as released, and a guard
    /// moved into a collection or a struct is no longer followed: both stay silent. A lock whose
    /// type the file does not show and that is not unwrapped (`self.inner.lock()` with the field
    /// declared elsewhere) is not recognised. A type named `Mutex`/`RwLock` that the crate
    /// defines or re-exports (`use crate::sync::Mutex`) counts as a synchronous lock unless its
    /// `lock()` is awaited.
    ///
    /// Code under `#[allow(clippy::await_holding_lock)]` or `#[expect(…)]` (on the function,
    /// closure, `let`, `impl`, module or file) is left alone, like a suppression comment: Clippy
    /// reports the same thing, and its maintainer has already decided that the lock may be held
    /// there (a mutex that serialises tests, say).
    ///
    /// ### Example
    /// ```rust,ignore
    /// async fn bump(&self) {
    ///     let mut n = self.count.lock().unwrap();
    ///     *n += 1;
    ///     self.flush().await;
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// async fn bump(&self) {
    ///     {
    ///         let mut n = self.count.lock().unwrap();
    ///         *n += 1;
    ///     } // the guard is dropped here
    ///     self.flush().await;
    /// }
    /// ```
    /// or, when the lock must stay held while awaiting, an async lock such as
    /// `tokio::sync::Mutex` (`self.count.lock().await`).
    pub static LOCK_ACROSS_AWAIT = {
        name: "lock_across_await",
        rule: Some(Rule::LocksAndChannels),
        category: Suspicious,
        cost: Hang,
        summary: "a synchronous lock guard is held across an `.await`",
        why: "a blocking lock held while the task is suspended blocks threads and can deadlock the executor",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let locks = cx.locks();
    let mut seen = HashSet::new();
    // The file is walked for Clippy's allow only once a guard is found held across an await.
    let mut allowed: Option<Vec<(u32, u32)>> = None;
    for aw in &locks.awaits {
        for &g in &aw.held {
            let acq = locks.guard_acq(g);
            if !acq.ty.family.is_sync() || !seen.insert(g) {
                continue;
            }
            // The maintainer already decided with Clippy's own lint: honour it like a
            // suppression comment.
            let allowed = allowed.get_or_insert_with(|| clippy_allowed_ranges(cx));
            if allowed.iter().any(|&(start, end)| acq.span.start >= start && acq.span.end <= end) {
                continue;
            }
            cx.report(diagnostic(cx, locks, g, aw));
        }
    }
}

fn diagnostic(cx: &FileCx<'_>, locks: &LockFacts, g: usize, aw: &HeldAwait) -> Diagnostic {
    let guard = &locks.guards[g];
    let acq = locks.guard_acq(g);
    let call = format!("{}.{}()", acq.lock_text, acq.method);
    let what = if acq.ty.name.is_empty() { "synchronous lock".to_string() } else { format!("`{}`", acq.ty.name) };
    let mut d =
        Diagnostic::new(&LOCK_ACROSS_AWAIT, acq.span, format!("the guard from `{call}` is held across an `.await`"))
            .primary_label(format!("this {what} guard is acquired here"))
            .label(aw.span, "the task can be suspended here with the lock held");
    if let Some(r) = guard.release {
        if r.span.start > aw.span.start {
            d = d.label(r.span, release_label(guard, r.kind, cx.package.edition));
        }
    }
    let name = match &guard.holder {
        Holder::Binding { name, .. } => Some(name.as_str()),
        Holder::Temporary(_) => None,
    };
    let drop_first = match name {
        Some(n) => format!("drop the guard before the `.await`: end its block (`{{ … }}`) or call `drop({n})` first"),
        None => "take what you need from the lock in a statement of its own (`let v = …;`), so the temporary guard is dropped before the `.await`".to_string(),
    };
    d = d.help(format!(
        "{drop_first}, or use {}, whose guard may be held across `.await`",
        async_lock_for(cx, acq.ty.kind)
    ));
    if matches!(acq.ty.family, LockFamily::Std | LockFamily::ParkingLot) {
        d = d.note(format!(
            "`{}`'s guard is `!Send`: this future cannot be spawned on a multi-threaded runtime",
            acq.ty.name
        ));
    }
    if let Some(d2) = drop_suggestion(cx, locks, guard, aw) {
        d = d2(d);
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}

/// The async lock to suggest, by the package's runtime.
fn async_lock_for(cx: &FileCx<'_>, kind: LockKind) -> String {
    let ty = if kind == LockKind::RwLock { "RwLock" } else { "Mutex" };
    if cx.package.depends_on("tokio") {
        format!("`tokio::sync::{ty}`")
    } else if cx.package.depends_on("async-std") {
        format!("`async_std::sync::{ty}`")
    } else if cx.package.depends_on("smol") || cx.package.depends_on("async-lock") {
        format!("`async_lock::{ty}`")
    } else {
        format!("an async lock (`tokio::sync::{ty}`, `async_lock::{ty}`)")
    }
}

/// Where and why the guard is released, for a label.
pub fn release_label(guard: &Guard, kind: ReleaseKind, edition: u16) -> String {
    match (kind, &guard.holder) {
        (ReleaseKind::Drop, _) => "the guard is dropped here".to_string(),
        (ReleaseKind::Moved, _) => "the guard is moved away here".to_string(),
        (ReleaseKind::Reassigned, Holder::Binding { name, .. }) => format!("the guard is dropped here, when `{name}` is reassigned"),
        (ReleaseKind::Reassigned, _) => "the guard is dropped here".to_string(),
        (ReleaseKind::ScopeEnd, Holder::Binding { name, .. }) => format!("`{name}` is dropped here, at the end of its scope"),
        (ReleaseKind::ScopeEnd, Holder::Temporary(reason)) => match reason {
            TempReason::Statement => "the temporary guard is dropped here, at the end of the statement".to_string(),
            TempReason::Match => "the temporary guard of the `match` scrutinee is dropped here, after the whole `match`".to_string(),
            TempReason::IfLet if edition >= 2024 => {
                "the temporary guard of the `if let` scrutinee is dropped here, at the end of its block".to_string()
            }
            TempReason::IfLet => {
                "the temporary guard of the `if let` scrutinee is dropped here, after the `else` block too (edition < 2024)"
                    .to_string()
            }
            TempReason::WhileLet => "the temporary guard of the `while let` scrutinee is dropped here, at the end of each iteration".to_string(),
            TempReason::ForIter => "the temporary guard of the `for` iterable is dropped here, after the whole loop".to_string(),
            TempReason::Condition => "the temporary guard is dropped here, at the end of the condition".to_string(),
            TempReason::Arm => "the temporary guard is dropped here, at the end of the arm".to_string(),
            TempReason::Extended => "the borrowed guard is dropped here, at the end of the block".to_string(),
        },
    }
}

type Edit = Box<dyn FnOnce(Diagnostic) -> Diagnostic>;

/// `drop(g);` before the statement that awaits, when `g` lives in that statement's block and
/// is not used from there on.
fn drop_suggestion(cx: &FileCx<'_>, locks: &LockFacts, guard: &Guard, aw: &HeldAwait) -> Option<Edit> {
    let Holder::Binding { binding, name } = &guard.holder else { return None };
    let (block, stmt) = aw.stmt?;
    if guard.block != Some(block) {
        return None;
    }
    let acq = &locks.acquisitions[guard.acq];
    if acq.span.start >= stmt.start {
        return None;
    }
    if cx.facts.uses_of(*binding).any(|u| u.span.start >= stmt.start) {
        return None;
    }
    let line = cx.source.line_index(stmt.start as usize);
    let line_start = cx.source.line_range(line).start;
    let indent = cx.source.text.get(line_start..stmt.start as usize)?;
    if !indent.chars().all(char::is_whitespace) {
        return None;
    }
    let indent = indent.to_string();
    let at = crate::source::Span { file: stmt.file, start: line_start as u32, end: line_start as u32 };
    let text = format!("{indent}drop({name});\n");
    let msg = format!("drop `{name}` before the statement that awaits");
    Some(Box::new(move |d: Diagnostic| d.suggest(msg, at, text, Applicability::MaybeIncorrect)))
}

/// The byte ranges of the items (and the whole file, for an inner attribute) that allow or
/// expect `clippy::await_holding_lock`.
fn clippy_allowed_ranges(cx: &FileCx<'_>) -> Vec<(u32, u32)> {
    struct Finder<'c, 'a> {
        cx: &'c FileCx<'a>,
        out: Vec<(u32, u32)>,
    }
    impl Finder<'_, '_> {
        fn check<T: syn::spanned::Spanned + std::any::Any>(&mut self, attrs: &[syn::Attribute], node: &T) {
            if attrs.iter().any(allows_await_holding_lock) {
                let span = self.cx.span(node);
                self.out.push((span.start, span.end));
            }
        }
    }
    impl<'a> syn::visit::Visit<'a> for Finder<'_, '_> {
        fn visit_item_fn(&mut self, i: &'a syn::ItemFn) {
            self.check(&i.attrs, i);
            syn::visit::visit_item_fn(self, i);
        }
        fn visit_impl_item_fn(&mut self, i: &'a syn::ImplItemFn) {
            self.check(&i.attrs, i);
            syn::visit::visit_impl_item_fn(self, i);
        }
        fn visit_trait_item_fn(&mut self, i: &'a syn::TraitItemFn) {
            self.check(&i.attrs, i);
            syn::visit::visit_trait_item_fn(self, i);
        }
        fn visit_item_impl(&mut self, i: &'a syn::ItemImpl) {
            self.check(&i.attrs, i);
            syn::visit::visit_item_impl(self, i);
        }
        fn visit_item_mod(&mut self, i: &'a syn::ItemMod) {
            self.check(&i.attrs, i);
            syn::visit::visit_item_mod(self, i);
        }
        fn visit_expr_closure(&mut self, i: &'a syn::ExprClosure) {
            self.check(&i.attrs, i);
            syn::visit::visit_expr_closure(self, i);
        }
        fn visit_stmt(&mut self, s: &'a syn::Stmt) {
            if let syn::Stmt::Local(l) = s {
                self.check(&l.attrs, s);
            }
            syn::visit::visit_stmt(self, s);
        }
    }
    let mut f = Finder { cx, out: Vec::new() };
    if cx.ast.attrs.iter().any(allows_await_holding_lock) {
        f.out.push((0, u32::MAX));
    }
    syn::visit::Visit::visit_file(&mut f, cx.ast);
    f.out
}

/// `#[allow(clippy::await_holding_lock)]` or `#[expect(…)]`, possibly among other lints.
fn allows_await_holding_lock(attr: &syn::Attribute) -> bool {
    if !(attr.path().is_ident("allow") || attr.path().is_ident("expect")) {
        return false;
    }
    let Ok(list) = attr.meta.require_list() else { return false };
    let Ok(paths) = list.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
    else {
        return false;
    };
    paths.iter().any(|p| {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        segments == ["clippy", "await_holding_lock"]
    })
}
