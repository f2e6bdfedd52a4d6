//! Facts that every lint shares: about one Rust file, computed in one walk over its syntax
//! tree, and about the run's manifest and CI files. The rules read them; so does the
//! prefilter, to tell which lints a run can fire. Facts never depend on a rule or on the
//! prefilter (`tests/architecture.rs`).
//!
//! - [`paths`]: `use` resolution, so `go(f)` after `use tokio::spawn as go` is `tokio::spawn`;
//! - [`macros`]: macro bodies rewritten as expressions before the walk;
//! - [`walk`]: the walk itself, which records functions, calls, local bindings and their uses,
//!   loops and spawn sites, each with its [`Ctx`] (async or not, test or not, inside which loop);
//! - [`flow`]: where a value goes (discarded, bound, joined, awaited, returned, stored…);
//! - [`types`]: the few receiver types a syntactic tool can know (a `JoinSet` from
//!   `JoinSet::new()`, a thread `Scope` from `thread::scope(|s| …)`);
//! - [`spawns`]: which calls spawn a thread or task, on which runtime;
//! - [`items`]: type definitions (with their fields' resolved types), impls and statics;
//! - [`modules`]: module declarations and `pub use`, for the workspace's "is it public?";
//! - [`module_tree`]: which files the crate root reaches through `mod` declarations;
//! - [`crate_items`]: a file's types, traits and impls summarised for the other files of its
//!   package, and the lookups across them in the workspace phase;
//! - [`safety_comments`]: what documents an `unsafe impl Send`/`Sync` (its comment, its type's doc);
//! - [`manifest`]: the root manifest's `panic = "abort"` profiles;
//! - [`ci`]: whether the CI files run a race checker.

pub mod bodies;
pub mod ci;
pub mod condvars;
pub mod crate_items;
pub mod flow;
pub mod handles;
pub mod index;
pub mod items;
pub mod locks;
pub mod macros;
pub mod manifest;
pub mod module_tree;
pub mod modules;
pub mod paths;
pub mod safety_comments;
pub mod spans;
pub mod spawns;
pub mod test_attrs;
pub mod types;
pub mod walk;

use crate::source::Span;
pub use flow::Flow;
pub use spawns::{Family, Spawner};
use syn::{Attribute, Block, Expr, Signature};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoopId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpawnId(pub u32);

/// Where a piece of code sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ctx {
    /// The innermost function (item fn, method, trait default method).
    pub fn_id: Option<FnId>,
    /// Inside an `async fn` or `async` block, and not in a closure handed to a thread.
    pub is_async: bool,
    /// Span of the `async` keyword (of the fn or block) that makes this async context.
    pub async_span: Option<Span>,
    /// Test code: a test function, a `#[cfg(test)]` module, or a file under `tests/`.
    pub is_test: bool,
    /// The innermost loop (including iterator closures such as `for_each`).
    pub loop_id: Option<LoopId>,
    /// The innermost spawn whose body (closure or async block argument) this is in.
    pub spawn_body: Option<SpawnId>,
    /// Inside the future of a `select!` branch (`PAT = FUT => …`): raced, not simply awaited.
    pub in_select_future: bool,
    /// Inside code that runs elsewhere or later than the enclosing function's own flow: a
    /// closure handed to another function (other than `block_on`), or an `async` block that is
    /// stored or passed on instead of being awaited or blocked on.
    pub deferred: bool,
    /// Inside a non-async closure of the innermost function or async block, and how it runs.
    pub closure: ClosureCtx,
}

/// Whether code sits in a non-async closure, and whether that closure visibly runs in place.
/// `.await` is not allowed in either kind; an opaque closure may run later or elsewhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClosureCtx {
    /// Not in a closure (of the innermost function or async block).
    #[default]
    None,
    /// In a closure that runs in place: called at once, or passed to an iterator, `Option`,
    /// `Result`, entry or `catch_unwind` adaptor.
    Inline,
    /// In a closure handed to code the walk cannot see (a callback, a pool's `execute`).
    Opaque,
}

/// A test attribute on a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestAttr {
    /// The path as written, e.g. `tokio::test`.
    pub path: String,
    /// `#[tokio::test(start_paused = true)]`.
    pub start_paused: bool,
    pub span: Span,
}

#[derive(Debug)]
pub struct FnFacts<'a> {
    pub name: String,
    pub ident_span: Span,
    pub sig: &'a Signature,
    pub attrs: &'a [Attribute],
    pub body: &'a Block,
    pub test_attr: Option<TestAttr>,
    /// The context of the function's body.
    pub ctx: Ctx,
    /// The self type of the `impl` block the function is in (`Bank` for `impl Bank`).
    pub self_ty: Option<String>,
    /// A method of an inherent `impl` without `pub`: only its module (and the modules inside
    /// it) can call it.
    pub private_method: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// `let x = …` (or `x = …` later).
    Let,
    /// A function parameter.
    Param,
    /// A closure parameter.
    ClosureParam,
    /// A `for` pattern: an element of the iterated expression.
    ForElement,
    /// Any other pattern (`if let`, `match` arm).
    Pattern,
}

#[derive(Debug)]
pub struct Binding<'a> {
    pub name: String,
    pub span: Span,
    pub kind: BindingKind,
    pub mutable: bool,
    /// The initializer, when the binding is `let x = init` (or a `for` loop's iterable).
    pub init: Option<&'a Expr>,
    pub ty: Option<&'a syn::Type>,
    /// A type the walker knows from context (a thread scope closure parameter).
    pub known_type: Option<&'static str>,
    /// The join handles the written type holds (`h: JoinHandle<T>`, `Vec<JoinHandle<T>>`), as
    /// the spawner that makes them (see [`handles::join_handle_type`]).
    pub handle_type: Option<Spawner>,
    pub ctx: Ctx,
    /// The closing brace of the block the binding lives in.
    pub scope_end: Option<Span>,
    pub uses: Vec<UseId>,
    /// Element `i` of a tuple pattern bound to an initializer: `let (tx, rx) = channel()`
    /// gives `tx` `(channel(), 0)`.
    pub tuple_init: Option<(&'a Expr, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UseId(pub u32);

/// A read of a local binding.
#[derive(Debug)]
pub struct Use<'a> {
    pub binding: BindingId,
    /// The path expression; `None` when the name was seen inside unparsed macro tokens.
    pub expr: Option<&'a Expr>,
    pub span: Span,
    pub flow: Flow<'a>,
    pub ctx: Ctx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopKind {
    Loop,
    While,
    WhileLet,
    For,
    /// A closure passed to an iterator adaptor (`for_each`, `map`, …).
    IterClosure,
}

#[derive(Debug)]
pub struct LoopFacts<'a> {
    pub expr: &'a Expr,
    pub kind: LoopKind,
    /// The `loop`/`while`/`for` keyword, or the adaptor's method name.
    pub keyword_span: Span,
    pub label: Option<String>,
    /// `for` iterable, `while` condition, or the receiver of the iterator adaptor.
    pub source: Option<&'a Expr>,
    pub body: Option<&'a Block>,
    /// Context outside the loop.
    pub ctx: Ctx,
    pub parent: Option<LoopId>,
}

/// What a call calls.
#[derive(Debug, Clone)]
pub enum Callee<'a> {
    /// `path(args)` with the path resolved through `use` items (`None` if it names a local item).
    Path { resolved: Option<String>, path: &'a syn::Path },
    /// `receiver.method(args)`.
    Method { name: String, receiver: &'a Expr },
}

#[derive(Debug)]
pub struct Call<'a> {
    pub expr: &'a Expr,
    pub callee: Callee<'a>,
    pub args: Vec<&'a Expr>,
    /// Span of the callee: the path, or `receiver.method` for a simple receiver.
    pub callee_span: Span,
    /// Where the call's result goes.
    pub flow: Flow<'a>,
    pub ctx: Ctx,
}

impl Call<'_> {
    pub fn resolved(&self) -> Option<&str> {
        match &self.callee {
            Callee::Path { resolved, .. } => resolved.as_deref(),
            Callee::Method { .. } => None,
        }
    }

    pub fn method_name(&self) -> Option<&str> {
        match &self.callee {
            Callee::Method { name, .. } => Some(name),
            Callee::Path { .. } => None,
        }
    }
}

/// A call that starts a thread or task.
#[derive(Debug)]
pub struct Spawn<'a> {
    pub call: &'a Expr,
    pub spawner: Spawner,
    /// The API as the user wrote it, for messages (`tokio::spawn`, `thread::spawn`, `rt.spawn`).
    pub api: String,
    pub callee_span: Span,
    /// The spawned code: a closure's body or an async block, when visible.
    pub body: Option<&'a Expr>,
    /// Where the returned handle goes.
    pub flow: Flow<'a>,
    /// The spawn runs in an iterator adaptor's closure (`(0..n).map(|_| spawn(…)).collect()`):
    /// `flow` is the flow of the collection, and this handle is one of its elements.
    pub per_element: bool,
    pub ctx: Ctx,
}

/// How a statement throws a value away (see [`Facts::discard_of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscardKind {
    /// `expr;`
    Statement,
    /// `let _ = expr;` (also `let _: T = expr;`)
    LetWild,
    /// `_ = expr;`
    AssignWild,
}

/// Everything the walk learned about one file.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    pub fns: Vec<FnFacts<'a>>,
    pub calls: Vec<Call<'a>>,
    pub bindings: Vec<Binding<'a>>,
    pub uses: Vec<Use<'a>>,
    pub loops: Vec<LoopFacts<'a>>,
    pub spawns: Vec<Spawn<'a>>,
    /// Every `fn` item in the file by name (for following `tokio::spawn(run())` one level).
    pub fn_items: std::collections::HashMap<String, Vec<&'a Block>>,
    /// Bindings by the start offset of their identifier.
    pub binding_by_span: std::collections::HashMap<u32, BindingId>,
    /// The use each local-name path expression is, by the expression's address.
    pub use_by_expr: std::collections::HashMap<usize, UseId>,
    /// Values thrown away by a statement (`expr;`, `let _ = expr;`, `_ = expr;`), by
    /// [`discard_key`] of the value with parentheses peeled.
    pub discards: std::collections::HashMap<usize, DiscardKind>,
    /// `struct`, `enum` and `union` items, in any module or block.
    pub types: Vec<items::TypeDef<'a>>,
    /// `impl` blocks, in any module or block.
    pub impls: Vec<items::ImplFact<'a>>,
    /// `static` items, in any module or block.
    pub statics: Vec<items::StaticFact<'a>>,
    /// `trait` items, in any module or block.
    pub traits: Vec<&'a syn::ItemTrait>,
    /// Calls of lock methods (`lock()`, `read()`, `write()`, `try_lock()`…), see [`locks`].
    pub lock_sites: Vec<locks::LockSite<'a>>,
    /// Guard scopes, computed on first use by [`crate::context::FileCx::locks`].
    pub locks: std::cell::OnceCell<locks::LockFacts>,
    /// Lookups over the lists above, built on first use ([`index`]).
    index: std::cell::OnceCell<index::Index>,
    /// [`test_attrs::is_deadlock_test`] of each function asked, by id: the answer prints the
    /// body's tokens, and every lock and call of the function asks.
    deadlock_tests: std::cell::RefCell<std::collections::HashMap<FnId, bool>>,
}

impl<'a> Facts<'a> {
    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id.0 as usize]
    }

    pub fn uses_of(&self, id: BindingId) -> impl Iterator<Item = &Use<'a>> {
        self.binding(id).uses.iter().map(move |u| &self.uses[u.0 as usize])
    }

    pub fn loop_(&self, id: LoopId) -> &LoopFacts<'a> {
        &self.loops[id.0 as usize]
    }

    pub fn func(&self, id: FnId) -> &FnFacts<'a> {
        &self.fns[id.0 as usize]
    }

    /// The binding a `let` pattern or parameter declares at `span`.
    pub fn binding_at(&self, span: Span) -> Option<BindingId> {
        self.binding_by_span.get(&span.start).copied()
    }

    /// The local binding a path expression such as `items` reads, if any.
    pub fn binding_of_expr(&self, expr: &Expr) -> Option<BindingId> {
        let id = self.use_by_expr.get(&(expr as *const Expr as usize))?;
        Some(self.uses[id.0 as usize].binding)
    }

    /// Whether a statement throws the value of `expr` away: `expr;`, `let _ = expr;`,
    /// `_ = expr;`.
    pub fn discard_of(&self, expr: &Expr) -> Option<DiscardKind> {
        self.discards.get(&discard_key(peel_parens(expr))).copied()
    }

    /// [`Self::discard_of`] for an `.await` expression known by its payload (as [`Flow::Awaited`]
    /// gives it).
    pub fn discard_of_await(&self, expr: &syn::ExprAwait) -> Option<DiscardKind> {
        self.discards.get(&(expr as *const syn::ExprAwait as usize)).copied()
    }

    /// [`Self::discard_of`] for a method call known by its payload (as [`Flow::Method`] gives it).
    pub fn discard_of_method(&self, expr: &syn::ExprMethodCall) -> Option<DiscardKind> {
        self.discards.get(&(expr as *const syn::ExprMethodCall as usize)).copied()
    }

    /// Loops enclosing `ctx`, innermost first.
    pub fn enclosing_loops(&self, ctx: Ctx) -> impl Iterator<Item = (LoopId, &LoopFacts<'a>)> {
        let mut next = ctx.loop_id;
        std::iter::from_fn(move || {
            let id = next?;
            let l = self.loop_(id);
            next = l.parent;
            Some((id, l))
        })
    }

    /// Calls to a resolved path.
    pub fn calls_to<'s>(&'s self, path: &'s str) -> impl Iterator<Item = &'s Call<'a>> + 's {
        self.calls.iter().filter(move |c| c.resolved() == Some(path))
    }
}

/// Whether `expr` reads one of the local `names`: as a path expression, or among the tokens
/// of a macro left unexpanded (`matches!(*state, State::Ready)`).
pub fn mentions_any(expr: &Expr, names: &[String]) -> bool {
    struct Reads<'n> {
        names: &'n [String],
        found: bool,
    }
    impl<'a> syn::visit::Visit<'a> for Reads<'_> {
        fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
            self.found |= p.path.get_ident().is_some_and(|i| self.names.iter().any(|n| i == n));
        }
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            self.found |= m
                .tokens
                .clone()
                .into_iter()
                .any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if self.names.iter().any(|n| i == n)));
        }
    }
    let mut r = Reads { names, found: false };
    syn::visit::Visit::visit_expr(&mut r, expr);
    r.found
}

/// The names a pattern binds (`(req, reply_tx)`, `Some(Job { id, .. })`).
pub fn pattern_names(pat: &syn::Pat) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Names {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            self.0.push(p.ident.to_string());
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut n = Names(Vec::new());
    syn::visit::Visit::visit_pat(&mut n, pat);
    n.0
}

/// `expr` without the parentheses (and invisible groups) around it.
pub fn peel_parens(mut expr: &Expr) -> &Expr {
    loop {
        match expr {
            Expr::Paren(p) => expr = &p.expr,
            Expr::Group(g) => expr = &g.expr,
            _ => return expr,
        }
    }
}

/// The key of [`Facts::discards`]: the address of an `.await`'s or method call's payload (which
/// is what [`Flow`] hands out), of the expression otherwise.
pub fn discard_key(expr: &Expr) -> usize {
    match expr {
        Expr::Await(a) => a as *const syn::ExprAwait as usize,
        Expr::MethodCall(m) => m as *const syn::ExprMethodCall as usize,
        other => other as *const Expr as usize,
    }
}
