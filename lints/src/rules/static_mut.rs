use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::items::StaticFact;
use crate::registry::Rule;
use crate::source::Span;
use syn::visit::{self, Visit};

crate::declare_lint! {
    /// ### What it does
    /// Finds `static mut` items, in any module, function body or test.
    ///
    /// `static` items declared in an `extern` block (a C library's global) are left alone:
    /// Rust cannot change how they are shared.
    ///
    /// Also left alone, because what the file shows already synchronises them:
    /// - a private `static mut` (or one declared in a function) whose every access in the file
    ///   sits in a critical section: inside the closure of `Once::call_once`/`call_once_force`
    ///   or `OnceLock::get_or_init`, after a lock guard bound by `let` in an enclosing block
    ///   (`let _g = LOCK.lock().unwrap();`), or in a function that completes or checks a `Once`
    ///   (`call_once`, `is_completed`) or publishes through an atomic with acquire/release
    ///   ordering (`STATE.store(READY, Ordering::Release)`), the write-once patterns;
    /// - a `#[thread_local] static mut`: one value per thread;
    /// - a `static mut` declared in a test function that starts no thread or task: only that
    ///   one test run can reach it.
    ///
    /// Otherwise the finding points at the first access outside such a section.
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
    /// **Pedantic (allow by default).** A blind review of 20 findings on crates it was never
    /// tuned on (corpus C, 2026-12-03) judged 4 true: most `static mut` items in real code are
    /// written once before any thread reads them (a build script's flags, a constructor run
    /// before `main`), live on single-threaded targets (wasm, a process-per-instance runtime) or
    /// are guarded by a lock or a `Once` in ways the syntax does not show. Turn it on
    /// (`-W static_mut` or `pedantic = "warn"`) to review every `static mut` of a crate.
    ///
    /// The critical sections are recognised by their shape, not proven: a function that uses
    /// an acquire/release atomic for something else also counts. A `pub` static is always
    /// reported, since other files may access it. No fix is suggested: every access changes with the type (`X += 1` becomes
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
        category: Pedantic,
        cost: Leak,
        summary: "a `static mut` item: shared mutable state whose synchronisation the compiler cannot check",
        why: "a `static mut` turns into a data race as soon as a second thread touches it",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for s in cx.facts.statics.iter().filter(|s| s.is_mut()) {
        // `#[thread_local] static mut`: one value per thread, never shared.
        if s.item.attrs.iter().any(|a| a.path().is_ident("thread_local")) {
            continue;
        }
        let seen = accesses(cx, s);
        if seen.in_single_threaded_test {
            continue;
        }
        // Every access is in a critical section the file shows, and no other file can name
        // the static (declared in a function, or private to its module).
        let private = seen.in_fn_body || matches!(s.item.vis, syn::Visibility::Inherited);
        if private && !seen.found.is_empty() && seen.found.iter().all(|(_, guarded)| *guarded) {
            continue;
        }
        report(cx, s, seen.found.iter().find(|(_, guarded)| !guarded).map(|(span, _)| *span));
    }
}

fn report(cx: &FileCx<'_>, s: &StaticFact<'_>, unguarded: Option<Span>) {
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
        format!("`static mut {name}` is shared mutable state whose synchronisation the compiler cannot check"),
    )
    .primary_label("one mutable value, readable and writable from every thread");
    if let Some(at) = unguarded {
        d = d.label(at, "accessed here outside any lock guard, `Once` or acquire/release atomic");
    }
    d = d
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

/// Where a `static mut` is declared and how the file accesses it.
struct Accesses {
    /// Every access (a path naming the static, or its name in a macro's tokens), and whether
    /// it sits in a critical section.
    found: Vec<(Span, bool)>,
    /// Declared in a function's body (only that body can name it).
    in_fn_body: bool,
    /// That function is a test (`#[test]`, `#[tokio::test]`, …) whose body starts no thread
    /// or task: nothing but this one test run can reach the static.
    in_single_threaded_test: bool,
}

/// Method calls whose closure argument runs once, under the cell's own synchronisation.
const ONCE_METHODS: &[&str] =
    &["call_once", "call_once_force", "get_or_init", "get_or_try_init", "get_or_init_async", "init_once"];
/// Method calls that return a lock guard (`write`/`read` only without arguments: `RwLock`'s,
/// not `io::Write`'s).
const LOCK_METHODS: &[&str] = &["lock", "try_lock", "lock_arc", "blocking_lock"];

fn accesses(cx: &FileCx<'_>, s: &StaticFact<'_>) -> Accesses {
    let name = s.item.ident.to_string();
    let mut finder = ScopeFinder { target: s.item, stack: Vec::new(), modules: vec![&cx.ast.items], found: None };
    finder.visit_file(cx.ast);
    let (scope, module) = finder.found.unwrap_or((None, &cx.ast.items));
    let mut walker = AccessWalker { cx, name: &name, fn_synced: Vec::new(), in_once: 0, guards: 0, found: Vec::new() };
    match scope {
        Some(f) => walker.visit_item_fn_like(f.block),
        // The module that declares it, with its inline submodules (`super::NAME`).
        None => module.iter().for_each(|item| walker.visit_item(item)),
    }
    let in_single_threaded_test = scope.is_some_and(|f| {
        f.attrs.iter().any(|a| a.path().segments.last().is_some_and(|seg| seg.ident == "test"))
            && !starts_threads(quote::ToTokens::to_token_stream(f.block))
    });
    Accesses { found: walker.found, in_fn_body: scope.is_some(), in_single_threaded_test }
}

/// The function whose body declares the static.
#[derive(Clone, Copy)]
struct FnScope<'a> {
    attrs: &'a [syn::Attribute],
    block: &'a syn::Block,
}

struct ScopeFinder<'a> {
    target: &'a syn::ItemStatic,
    stack: Vec<FnScope<'a>>,
    /// The items of the file and of each inline module on the way.
    modules: Vec<&'a [syn::Item]>,
    /// The function declaring the static (`None` outside functions) and the innermost module.
    found: Option<(Option<FnScope<'a>>, &'a [syn::Item])>,
}

impl<'a> Visit<'a> for ScopeFinder<'a> {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.stack.push(FnScope { attrs: &f.attrs, block: &f.block });
        visit::visit_item_fn(self, f);
        self.stack.pop();
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.stack.push(FnScope { attrs: &f.attrs, block: &f.block });
        visit::visit_impl_item_fn(self, f);
        self.stack.pop();
    }
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.modules.push(items);
            visit::visit_item_mod(self, m);
            self.modules.pop();
        }
    }
    fn visit_item_static(&mut self, s: &'a syn::ItemStatic) {
        if std::ptr::eq(s, self.target) && self.found.is_none() {
            let module = self.modules.last().copied().unwrap_or_default();
            self.found = Some((self.stack.last().copied(), module));
        }
        visit::visit_item_static(self, s);
    }
}

/// Whether code starts threads or tasks: a `spawn…` call, a scope, or a parallel iterator.
fn starts_threads(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => {
            let s = i.to_string();
            s.contains("spawn") || s == "scope" || s.starts_with("par_") || s.starts_with("into_par")
        }
        proc_macro2::TokenTree::Group(g) => starts_threads(g.stream()),
        _ => false,
    })
}

/// Whether a function's body synchronises through a `Once` it completes or checks
/// (`call_once`, `is_completed`) or through an atomic with acquire/release ordering: the
/// patterns that publish a `static mut` written once.
fn synchronises(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => {
            let s = i.to_string();
            ONCE_METHODS.contains(&s.as_str())
                || s == "is_completed"
                || matches!(s.as_str(), "Acquire" | "Release" | "AcqRel" | "SeqCst")
        }
        proc_macro2::TokenTree::Group(g) => synchronises(g.stream()),
        _ => false,
    })
}

struct AccessWalker<'c, 'a> {
    cx: &'c FileCx<'a>,
    name: &'c str,
    /// Per enclosing function: whether its body synchronises (see [`synchronises`]).
    fn_synced: Vec<bool>,
    /// Inside the closure of a `call_once`/`get_or_init`.
    in_once: usize,
    /// Lock guards bound by `let` earlier in an enclosing block.
    guards: usize,
    found: Vec<(Span, bool)>,
}

impl AccessWalker<'_, '_> {
    fn guarded(&self) -> bool {
        self.in_once > 0 || self.guards > 0 || self.fn_synced.last().copied().unwrap_or(false)
    }

    fn visit_item_fn_like(&mut self, block: &syn::Block) {
        self.fn_synced.push(synchronises(quote::ToTokens::to_token_stream(block)));
        // A function starts outside its caller's guards.
        let (once, guards) = (std::mem::take(&mut self.in_once), std::mem::take(&mut self.guards));
        self.visit_block(block);
        (self.in_once, self.guards) = (once, guards);
        self.fn_synced.pop();
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Ident(i) if i == self.name => {
                    let span = self.cx.span_of(i.span());
                    self.found.push((span, self.guarded()));
                }
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                _ => {}
            }
        }
    }
}

/// A `let` whose value is a lock guard: `let _g = M.lock()`, `let g = m.lock().unwrap()`,
/// `let w = rw.write().unwrap()`.
fn binds_guard(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else { return false };
    let Some(init) = &local.init else { return false };
    let mut e = &*init.expr;
    loop {
        match e {
            syn::Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if LOCK_METHODS.contains(&method.as_str())
                    || (matches!(method.as_str(), "read" | "write") && m.args.is_empty())
                {
                    return true;
                }
                e = &m.receiver;
            }
            syn::Expr::Try(t) => e = &t.expr,
            syn::Expr::Await(a) => e = &a.base,
            _ => return false,
        }
    }
}

impl<'a> Visit<'a> for AccessWalker<'_, '_> {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.visit_item_fn_like(&f.block);
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.visit_item_fn_like(&f.block);
    }
    fn visit_block(&mut self, b: &'a syn::Block) {
        let saved = self.guards;
        for stmt in &b.stmts {
            self.visit_stmt(stmt);
            if binds_guard(stmt) {
                self.guards += 1;
            }
        }
        self.guards = saved;
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        self.visit_expr(&m.receiver);
        let once = ONCE_METHODS.contains(&m.method.to_string().as_str());
        self.in_once += usize::from(once);
        for arg in &m.args {
            self.visit_expr(arg);
        }
        self.in_once -= usize::from(once);
    }
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        // A submodule declaring its own item of that name shadows the static.
        let shadows = m.content.as_ref().is_some_and(|(_, items)| {
            items.iter().any(|i| match i {
                syn::Item::Static(s) => s.ident == self.name,
                syn::Item::Const(c) => c.ident == self.name,
                _ => false,
            })
        });
        if !shadows {
            visit::visit_item_mod(self, m);
        }
    }
    fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
        let segments = &p.path.segments;
        let local = segments.len() == 1
            || segments.first().is_some_and(|s| s.ident == "self" || s.ident == "super" || s.ident == "crate");
        if p.qself.is_none() && local && segments.last().is_some_and(|s| s.ident == self.name) {
            let span = self.cx.span(p);
            self.found.push((span, self.guarded()));
        }
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        self.tokens(m.tokens.clone());
    }
}
