use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::items::StaticFact;
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds `static mut` items, in any module, function body or test.
    ///
    /// `static` items declared in an `extern` block (a C library's global) are left alone:
    /// Rust cannot change how they are shared.
    ///
    /// ### Why is this bad
    /// A `static mut` is one value every thread can read and write with no synchronisation:
    /// each access is a data race as soon as a second thread (or a test running in parallel)
    /// touches it, and a data race is undefined behaviour, not just a wrong count. The
    /// `unsafe` block around each access asserts that no other thread exists, an assertion
    /// nothing checks and every new `thread::spawn` can break. Go's rule: run the race
    /// detector; in Rust, do not write the race in the first place. Since Rust 2024, taking a
    /// reference to a `static mut` is rejected by the `static_mut_refs` lint.
    ///
    /// ### Known problems
    /// No fix is suggested: every access changes with the type (`X += 1` becomes
    /// `X.fetch_add(1, Ordering::Relaxed)`), so the help shows the declaration to write and
    /// the accesses are updated by hand. Truly single-threaded programs (some embedded
    /// firmware) may allow the lint with a reason.
    ///
    /// ### Example
    /// ```rust,ignore
    /// static mut REQUESTS: usize = 0;
    ///
    /// fn handle() {
    ///     unsafe { REQUESTS += 1 };
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// static REQUESTS: AtomicUsize = AtomicUsize::new(0);
    ///
    /// fn handle() {
    ///     REQUESTS.fetch_add(1, Ordering::Relaxed);
    /// }
    /// ```
    /// For other types: `static CONFIG: OnceLock<Config>` (set once), `static STATE:
    /// Mutex<State>` (mutated), or `thread_local!` with a `Cell`/`RefCell` (one per thread).
    pub static STATIC_MUT = {
        name: "static_mut",
        rule: Some(Rule::RaceChecks),
        category: Suspicious,
        cost: Leak,
        summary: "a `static mut` item: every access is an unsynchronised read or write",
        why: "a `static mut` turns into a data race as soon as a second thread touches it",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for s in cx.facts.statics.iter().filter(|s| s.is_mut()) {
        report(cx, s);
    }
}

fn report(cx: &FileCx<'_>, s: &StaticFact<'_>) {
    let item = s.item;
    let name = item.ident.to_string();
    let mut_span = match &item.mutability {
        syn::StaticMutability::Mut(m) => cx.span_of(m.span),
        _ => return,
    };
    let primary = mut_span.to(cx.span_of(item.ident.span()));
    let ty = cx.snippet(cx.span(&*item.ty)).to_string();
    let init = cx.snippet(cx.span(&*item.expr)).to_string();
    let mut d = Diagnostic::new(
        &STATIC_MUT,
        primary,
        format!("`static mut {name}` is shared mutable state with no synchronisation"),
    )
    .primary_label("one mutable value, readable and writable from every thread")
    .help(replacement_help(&name, &item.ty, &ty, &init))
    .help("if each thread needs its own value, use `thread_local!` with a `Cell` or `RefCell` instead");
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The declaration to write instead, chosen by the static's type.
fn replacement_help(name: &str, ty: &syn::Type, ty_text: &str, init: &str) -> String {
    if let Some(atomic) = atomic_for(ty) {
        let example_use = if atomic == "AtomicBool" {
            format!("`{name}.store(true, Ordering::Release)` / `{name}.load(Ordering::Acquire)`")
        } else {
            format!("`{name}.fetch_add(1, Ordering::Relaxed)` / `{name}.load(Ordering::Relaxed)`")
        };
        return format!(
            "use an atomic: `static {name}: {atomic} = {atomic}::new({init});` (`std::sync::atomic`), and {example_use} at each access"
        );
    }
    if let syn::Type::Ptr(p) = ty {
        let target = quote::ToTokens::to_token_stream(&*p.elem).to_string();
        return format!(
            "use an atomic pointer: `static {name}: AtomicPtr<{target}> = AtomicPtr::new({init});`, or a `OnceLock` if it is set once"
        );
    }
    if is_option(ty) && init.trim() == "None" {
        let inner =
            ty_text.trim().strip_prefix("Option<").and_then(|s| s.strip_suffix('>')).unwrap_or("T").trim().to_string();
        return format!(
            "if it is set once, use `static {name}: OnceLock<{inner}> = OnceLock::new();` and `{name}.get_or_init(…)`; if it changes, use `static {name}: Mutex<{ty_text}> = Mutex::new(None);`"
        );
    }
    format!(
        "put it behind a lock: `static {name}: Mutex<{ty_text}> = Mutex::new({init});` (`std::sync::Mutex::new` is `const`), or a `OnceLock`/`LazyLock` if it is set once"
    )
}

fn atomic_for(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(p) = ty else { return None };
    let ident = p.path.get_ident()?.to_string();
    Some(match ident.as_str() {
        "bool" => "AtomicBool",
        "u8" => "AtomicU8",
        "u16" => "AtomicU16",
        "u32" => "AtomicU32",
        "u64" => "AtomicU64",
        "usize" => "AtomicUsize",
        "i8" => "AtomicI8",
        "i16" => "AtomicI16",
        "i32" => "AtomicI32",
        "i64" => "AtomicI64",
        "isize" => "AtomicIsize",
        _ => return None,
    })
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
