use crate::context::{ExportedFact, FileCx, ParamSite, PendingAutoImpl, WorkspaceCx};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::items::send_sync_trait;
use crate::facts::{crate_items, module_tree, modules};
use crate::registry::Rule;
use crate::source::Span;
use std::cell::Cell;
use std::collections::HashSet;

mod package;

crate::declare_lint! {
    /// ### What it does
    /// Finds an `unsafe impl Send` for a generic type that does not require `Send` of every
    /// type parameter, and an `unsafe impl Sync` that requires neither `Sync` nor `Send` of
    /// some type parameter:
    ///
    /// ```rust,ignore
    /// unsafe impl<T> Send for Channel<T> {}          // `T` may be `Rc<…>`
    /// unsafe impl<K, V: Sync> Sync for Map<K, V> {}  // `K` may be `Cell<…>`
    /// ```
    ///
    /// Bounds count wherever they are written: in the impl's generics (`<T: Send>`) or its `where`
    /// clause (`where T: Send + Sync`), directly or through a trait of the crate (in any file of
    /// the package) whose supertraits include `Send`/`Sync`, transitively (`trait Job: Send +
    /// 'static`, `trait Batch: Job`), and also on a type built from the parameter (`where A::Item:
    /// Send`, `where OnceCell<T>: Sync`), which the compiler can only prove through the parameter.
    /// A bound on a reference to the parameter, higher-ranked or not, is the bound it stands for
    /// (`where for<'a> &'a T: Send` is `T: Sync`, `&'a mut T: Send` is `T: Send`).
    /// Every type parameter is checked; lifetimes and const parameters are not type parameters.
    /// Test code is left alone.
    ///
    /// These patterns stay silent because their bound is the right one:
    /// - `unsafe impl<T: Send> Sync`: the `Mutex` pattern, where exclusive access makes
    ///   `T: Send` enough;
    /// - `unsafe impl<T: Sync> Send` for a type of the crate that reaches its `T`
    ///   only through shared pointers (`&T`, `*const T`): the `&T` pattern (`&T` is `Send`
    ///   exactly when `T: Sync`);
    /// - `unsafe impl<T: Sync> Send` for a type that holds no `T` of its own (only pointers to
    ///   values something else owns, or a marker; no owning container such as `Arc` or `Vec`
    ///   on the way, no type of another crate) and whose API, in every impl the package shows,
    ///   lends only `&T` (`Deref` to `T`, an iterator of `&T`, `f: impl FnOnce(&T)`), never a
    ///   `T`, a `&mut T` or a `*mut T`: a shared-borrow guard or iterator, the `&T` pattern
    ///   again.
    ///
    /// And these are not reported because no `T` can cross threads through them, whatever it is:
    /// - a type with a field that can have no value (`!`, `Infallible`, an enum of the impl's
    ///   file without variants): no value of it ever exists;
    /// - a thread-bound wrapper: a type with a field that is, by value, the `ThreadId` of the
    ///   thread that made it (syn's `ThreadBound`). Such a field cannot change through `&self`,
    ///   and the wrapper exists to compare it with the current thread before it lends its
    ///   value, so its `Sync` impl is not reported, nor its `Send` impl when the parameter is
    ///   `Copy` (no destructor of it can run on the other thread), as long as every method that
    ///   gives out the parameter can fail (`fn get(&self) -> Option<&T>`; no `Deref`). An owner
    ///   that changes (`Cell<Option<ThreadId>>`, an atomic: a reentrant lock's) does not count.
    ///   The comparison in the method bodies is not read: a user accepts that a type that
    ///   records its thread, and only lends its value through a fallible accessor, checks it.
    /// - a handle that makes its values fresh: a type holding the parameter only in
    ///   `PhantomData`, with no raw memory in its fields (no raw pointer, `NonNull` or
    ///   `AtomicPtr` except to `c_void`, no `MaybeUninit`, `UnsafeCell`, `Cell` or bytes, also
    ///   in the crate's generic types it holds), whose API gives the parameter out only by
    ///   value (`fn upgrade(&self) -> Option<I>`) and takes it only by shared reference
    ///   (`fn new(object: &T)`): windows' `Weak<I>` and `AgileReference<T>` build a new
    ///   interface from a COM pointer on the calling thread. A `&T`, a pointer, a guard, a
    ///   closure lent one, an associated type lending one (`Deref`), or a method taking a `T`
    ///   (which it may keep) makes it a store again, and raw memory with a marker (`NonNull<u8>`
    ///   and `PhantomData<T>`, read with `ptr::read`) is one. The method bodies are not read.
    ///
    /// A parameter is reported only when values of it can cross threads through the type, as far as
    /// the crate shows what the type stores and what its API moves or lends (Rudra's view). Stores:
    /// directly, behind a pointer, in a std container (`Box`, `Vec`, `UnsafeCell`, `Option`, …) or
    /// in another type or type alias of the crate (`shard::Array<T, C>`), followed through its
    /// fields. Moves or lends: a method of the type's impls, in any file of the package, takes or
    /// returns values of the parameter (`-> T`, `-> &T`, `-> Option<T>`, `fn push(&self, t: T)`, a
    /// guard of `T`; for a stored parameter also a closure it lends them to, `f: impl FnOnce(&mut
    /// T)`), directly or through an associated type that holds it (`Deref::Target = T`, or a type
    /// of the crate whose fields store it, `Target = Store<T>`); a type argument of another type
    /// (`-> Notified<T>`) is not a value, nor one of a crate's own type named like a std guard or
    /// iterator (`-> Ref<'_, T, C>`) that holds it only as a marker, nor an associated type that
    /// names it only as an argument of a type holding no value of it (a completion handler typed
    /// by its progress value, `type Handler = Callback<P>`). For `Sync` only
    /// methods callable through `&self` count. Then:
    /// - held by value, a `Send` impl always reaches it (moving the type moves it); a `Sync`
    ///   impl reaches it when a `&self` method names it;
    /// - held only behind pointers or only in `PhantomData` (raw memory plus a marker), the
    ///   impl reaches it when the API names it;
    /// - when the package has no impl of the type besides its auto traits, the API cannot be
    ///   seen: a stored parameter is reported, a marker is not.
    ///
    /// When the definition or the method that decides is in another file than the impl, the
    /// finding points at it there too.
    ///
    /// So type-level parameters that never hold a value stay silent: a length type whose
    /// field is its associated type (`data: N::ArrayType`), a strategy or relax parameter held
    /// only in `PhantomData` (also `PhantomData<fn() -> R>`, or a local type that holds it only
    /// in `PhantomData`), a raw-lock parameter of a guard whose `&self` API lends only `&T`,
    /// and `SyncWrapper`-like types whose `&self` API reaches nothing. A parameter named only
    /// in a trait object or a function signature holds nothing either. A marker parameter of
    /// a thread-local key (a type holding a `LocalKey`, as `scoped_thread_local!`'s) stays
    /// silent too: each thread only sees the values it stored itself.
    ///
    /// Three things the whole package shows are checked last, for every finding:
    /// - an impl in the package's examples or benches (`examples/`, `benches/`) is not
    ///   reported: that code is a demonstration, no other crate instantiates its types, and no
    ///   user runs it in production (seize's bench-only `TreiberStack<usize>`);
    /// - a file no `mod` declaration reaches from the crate root is not compiled (a stale
    ///   `src/coroutine/asymmetric.rs` beside a `lib.rs` without `mod coroutine`), and its impls
    ///   are not reported. A file counts as reached when `lib.rs`/`main.rs` and the files of the
    ///   modules on its way declare it (`mod a;`, an inline `mod a { mod b; }`, a `mod a;` in
    ///   macro input such as `cfg_if!`), or when it cannot be told: a crate root or a file on
    ///   the way that was not read or declares no module at all, an item-level macro call
    ///   passing the module's name (`declare!(a)`), a `#[path]` attribute anywhere in the
    ///   package, an `include!` of a file of that name, a manifest that roots a target
    ///   elsewhere than cargo's layout (`[lib] path = "src/mylib.rs"`), a file outside `src/`
    ///   or under `src/bin/`. A file another one `include!`s declares modules in the
    ///   includer's place;
    /// - a parameter bounded by a sealed trait of the crate is not reported: a trait no code
    ///   outside the crate can name (not `pub`, or `pub` in a module that is neither public nor
    ///   re-exported by a `pub use`; a `#[doc(hidden)]` module counts as not public), so only
    ///   the crate's own types implement it, and the crate chose each of them (scc's `LruList`
    ///   in its private `hash_table` module). Its implementors are not checked.
    ///
    /// The lint fires even when a `// SAFETY:` comment argues the case: the argument is about
    /// the type's own fields, and cannot cover a `T` chosen later by a user. Suppress it with a
    /// reason where the parameter is truly never reached from another thread.
    ///
    /// ### Why is this bad
    /// The impl promises the compiler that the type is thread-safe for *every* `T`, including
    /// `Rc<…>`, `Cell<…>` and `MutexGuard<…>`. Code that moves or shares such a value through
    /// the type then compiles, and races. This is the bug class behind most of Rudra's findings
    /// (SOSP 2021: 142 `Send`/`Sync` variance bugs in 63 crates). Go's rule: document
    /// concurrency safety; here, state it in the bounds where the compiler enforces it.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** Blind reviews of 20 findings on crates it was never
    /// tuned on (corpus C) judged 3 true (2026-12-03), then 6 after a first round of fixes
    /// 3 after a second and 7 after a third (2026-12-04, a fresh sample each time): most
    /// unbounded impls are sound for reasons outside the type's own syntax.
    /// Some are no longer reported (a bound written as `for<'a> &'a T: Send`, the `&T` pattern
    /// of a guard or iterator, an uninhabited type, a `ThreadId`-checked wrapper, a marker
    /// parameter named only in a handler type, a file outside the module tree or in examples or
    /// benches, a sealed
    /// parameter trait, a handle that makes its values fresh); the others still are: a
    /// crate-private type only built from `Send + Sync` values or only reached through bounded
    /// wrappers (miette's `Own<T>`, hashbrown's `Bucket<T>`, tokio's `ListEntry<T>`: the
    /// instantiations the compiler infers in function bodies cannot be seen), a
    /// `#[doc(hidden)]` macro-support type only the crate's macros instantiate, a runtime
    /// thread check by a token argument rather than a recorded `ThreadId`, pools that hand out
    /// only uninitialised blocks, and generated bindings whose soundness rests on the platform
    /// (a WinRT interface whose constructor takes a `T`). Turn it on (`-W send_sync_impl_unbounded` or
    /// `pedantic = "warn"`) when auditing a crate's `unsafe impl`s.
    ///
    /// The API is read from signatures only, as Rudra does: a `&self` method that uses a
    /// parameter inside its body without naming it in its signature (a `Debug` impl calling
    /// `T::fmt`) is not seen.
    ///
    /// The lint reads the files of the impl's package (a type, alias or trait named in another file
    /// is looked up there), not other crates: a parameter stored only in a dependency's type stays
    /// silent, because a configuration marker that is never stored cannot be told from a stored
    /// value, and a bound such as `T: dep::Task` whose trait requires `Send` in another crate is
    /// not seen, so the finding must be suppressed with a reason. A name is matched by its module
    /// path, following the `use` items of the file that writes it (`crate::`, `super::`, imports,
    /// globs, paths relative to the module), else by its last segment when one item of the package
    /// has it. `pub use` re-exports are not followed to their source: through one, a name defined
    /// twice in the package (two `Slot` types in two modules) is ambiguous, and the impl stays
    /// silent. Items in test code, in function bodies, in a binary's, example's or test's own
    /// files, and those a macro generates without parsing as items, are seen only from their own
    /// file. With the lint on, every file with items of a package that has an `unsafe impl
    /// Send`/`Sync` is parsed.
    ///
    /// ### Example
    /// ```rust,ignore
    /// pub struct Slot<T> { value: UnsafeCell<Option<T>>, ready: AtomicBool }
    /// unsafe impl<T> Send for Slot<T> {}
    /// unsafe impl<T> Sync for Slot<T> {}
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// unsafe impl<T: Send> Send for Slot<T> {}
    /// unsafe impl<T: Send + Sync> Sync for Slot<T> {}
    /// ```
    pub static SEND_SYNC_IMPL_UNBOUNDED = {
        name: "send_sync_impl_unbounded",
        rule: Some(Rule::DocumentedSafety),
        category: Pedantic,
        cost: Leak,
        summary: "`unsafe impl Send`/`Sync` for a generic type without `Send`/`Sync` bounds on a type parameter",
        why: "an unbounded `unsafe impl` lets a non-thread-safe `T` cross threads",
    };
}

/// File phase: an `unsafe impl Send`/`Sync` whose file shows everything the decision needs is
/// reported (or not) here; the others are exported, with the file's items, for [`check`].
pub fn collect(cx: &FileCx<'_>) {
    let world = FileWorld { cx, missed: Cell::new(false) };
    let mut pending = false;
    // Examples and benches are demonstrations: no other crate instantiates their types, and no
    // user runs them in production.
    let impls = if cx.is_example_file { &[][..] } else { &cx.facts.impls[..] };
    for imp in impls.iter().filter(|i| !i.is_test) {
        let Some(which) = imp.unsafe_auto_trait else {
            continue;
        };
        let item = imp.item;
        if uninhabited(cx, &item.self_ty) {
            continue;
        }
        let verdict = decide(&world, (), item, which);
        let params: Vec<ParamSite> = item.generics.type_params().map(|p| param_site(cx, p)).collect();
        let ty = type_text(&item.self_ty);
        let header = cx.span_of(item.impl_token.span).to(cx.span(&*item.self_ty));
        let header = match item.unsafety {
            Some(u) => cx.span_of(u.span).to(header),
            None => header,
        };
        // A finding the file decided still goes to the workspace phase, which knows whether
        // the file is compiled at all and which traits are sealed.
        if verdict.complete && verdict.unbounded.is_empty() {
            continue;
        }
        pending = true;
        cx.export(ExportedFact::PendingAutoImpl(Box::new(PendingAutoImpl {
            which: which.to_string(),
            scope: crate_items::impl_scope(&cx.ast.items, item),
            text: quote::ToTokens::to_token_stream(item).to_string(),
            ty,
            header,
            params,
            decided: verdict.complete.then_some(verdict.unbounded),
        })));
    }
    cx.export(ExportedFact::ModuleTree(Box::new(module_tree::of_file(cx.ast, &cx.source.text))));
    modules::export_module_facts(cx);
    let summaries = crate_items::summarise(cx, pending);
    if pending || !summaries.items.is_empty() {
        cx.export(ExportedFact::ItemSummaries(Box::new(summaries)));
    }
}

/// Whether the self type is defined in this file and can have no value: a field of it is `!`,
/// `Infallible` or an enum of this file without variants (`enum Void {}`). An impl for such a
/// type is vacuous: no value of it, and so none of its parameters, ever exists to cross threads.
fn uninhabited(cx: &FileCx<'_>, self_ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = self_ty else { return false };
    let Some(last) = p.path.segments.last() else { return false };
    let mut empty = HashSet::new();
    empty_enums(&cx.ast.items, &mut empty, 0);
    let is_empty = |ty: &syn::Type| match ty {
        syn::Type::Never(_) => true,
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.arguments.is_empty() && (s.ident == "Infallible" || empty.contains(&s.ident.to_string()))
        }),
        _ => false,
    };
    let mut defs = cx.facts.types_named(&last.ident.to_string()).peekable();
    defs.peek().is_some()
        && defs.all(|d| {
            matches!(d.kind, crate::facts::items::TypeKind::Struct) && d.fields.iter().any(|f| is_empty(&f.field.ty))
        })
}

/// The names of the enums without variants among `items`, in inline modules too.
fn empty_enums(items: &[syn::Item], out: &mut HashSet<String>, depth: usize) {
    for item in items {
        match item {
            syn::Item::Enum(e) if e.variants.is_empty() => {
                out.insert(e.ident.to_string());
            }
            syn::Item::Mod(m) if depth < 16 => {
                if let Some((_, inner)) = &m.content {
                    empty_enums(inner, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// Workspace phase: the impls their file could not decide, with every file of their package.
pub fn check(ws: &WorkspaceCx<'_>) {
    package::check(ws);
}

/// Where a type parameter is and where its bound goes.
fn param_site(cx: &FileCx<'_>, p: &syn::TypeParam) -> ParamSite {
    let span = cx.span_of(p.ident.span());
    let (end, has_bounds) = match p.bounds.last() {
        Some(last) => (cx.span(last).end as usize, true),
        None => (span.end as usize, false),
    };
    ParamSite { name: p.ident.to_string(), span, insert_at: Span::new(cx.file, end, end), has_bounds }
}

/// A type definition the decision follows a parameter into.
struct Def<'w, S> {
    /// Tells definitions apart while following fields.
    key: String,
    /// The item in the package's index (workspace phase only).
    id: Option<crate_items::ItemId>,
    name: String,
    generics: &'w syn::Generics,
    /// The fields' types (for an alias, the aliased type).
    fields: Vec<&'w syn::Type>,
    /// Where the names in its fields are looked up.
    scope: S,
    /// A field holds a `LocalKey` (see [`reachable`]).
    local_key: bool,
    /// Its name's span, when it is defined in another file than the impl.
    elsewhere: Option<Span>,
}

/// An impl of the self type, where its names are looked up, and its methods' names' spans
/// when it is in another file.
struct ImplOf<'w, S> {
    item: &'w syn::ItemImpl,
    scope: S,
    methods: Option<&'w [Span]>,
}

/// The traits a bound names.
enum TraitFound<'w, S> {
    Traits(Vec<(&'w syn::ItemTrait, S)>),
    /// Several traits of the package fit: the bound is taken to imply what it is asked for.
    Ambiguous,
}

/// What the decision can look up: one file's items ([`FileWorld`]), or a package's
/// ([`package::PackageWorld`]).
trait World<'w> {
    /// Where a name is written, for lookups that depend on it.
    type Scope: Copy;
    /// The definitions a type's path names.
    fn types(&self, scope: Self::Scope, path: &syn::Path) -> Vec<Def<'w, Self::Scope>>;
    /// The impls of the self type named `self_name` and defined by `defs`.
    fn impls(&self, self_name: Option<&str>, defs: &[Def<'w, Self::Scope>]) -> Vec<ImplOf<'w, Self::Scope>>;
    /// The traits a bound's path names.
    fn traits(&self, scope: Self::Scope, path: &syn::Path) -> TraitFound<'w, Self::Scope>;
    /// Records that something was looked for that another file may hold.
    fn miss(&self);
    /// Whether [`World::miss`] was called since the last [`World::reset`].
    fn missed(&self) -> bool;
    fn reset(&self);
}

/// One file's items, as the lint saw them before it looked across files.
struct FileWorld<'c, 'a> {
    cx: &'c FileCx<'a>,
    missed: Cell<bool>,
}

impl<'a> World<'a> for FileWorld<'_, 'a> {
    type Scope = ();

    fn types(&self, _: (), path: &syn::Path) -> Vec<Def<'a, ()>> {
        let facts: &'a crate::facts::Facts<'a> = self.cx.facts;
        let Some(last) = path.segments.last() else { return Vec::new() };
        let defs: Vec<Def<'a, ()>> = facts
            .types_named(&last.ident.to_string())
            .map(|d| Def {
                key: d.ident.to_string(),
                id: None,
                name: d.ident.to_string(),
                generics: d.generics,
                fields: d.fields.iter().map(|f| &f.field.ty).collect(),
                scope: (),
                local_key: d.fields.iter().any(|f| f.types.iter().any(|t| t.name == "LocalKey")),
                elsewhere: None,
            })
            .collect();
        if defs.is_empty() {
            self.miss();
        }
        defs
    }

    fn impls(&self, self_name: Option<&str>, _: &[Def<'a, ()>]) -> Vec<ImplOf<'a, ()>> {
        let facts: &'a crate::facts::Facts<'a> = self.cx.facts;
        facts
            .impls
            .iter()
            .filter(|o| o.unsafe_auto_trait.is_none() && o.self_name.as_deref() == self_name)
            .map(|o| ImplOf { item: o.item, scope: (), methods: None })
            .collect()
    }

    /// A single identifier (or `self::`/`crate::`/`super::` path) naming a trait of this file.
    fn traits(&self, _: (), path: &syn::Path) -> TraitFound<'a, ()> {
        let facts: &'a crate::facts::Facts<'a> = self.cx.facts;
        let first = path.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
        let local_path = path.segments.len() == 1 || matches!(first.as_str(), "crate" | "self" | "super");
        let found: Vec<(&'a syn::ItemTrait, ())> = match path.segments.last() {
            Some(last) if local_path => {
                facts.traits.iter().filter(|t| t.ident == last.ident).map(|t| (*t, ())).collect()
            }
            _ => Vec::new(),
        };
        if found.is_empty() {
            self.miss();
        }
        TraitFound::Traits(found)
    }

    fn miss(&self) {
        self.missed.set(true);
    }

    fn missed(&self) -> bool {
        self.missed.get()
    }

    fn reset(&self) {
        self.missed.set(false);
    }
}

/// The type parameters an impl leaves unbounded where values of them can cross threads.
struct Verdict {
    /// Their positions among the impl's type parameters.
    unbounded: Vec<usize>,
    /// Labels for what another file showed: the definition or method that decided.
    evidence: Vec<(Span, String)>,
    /// Nothing the decision needed was missing from the world it was made in.
    complete: bool,
}

fn decide<'w, W: World<'w>>(w: &W, scope: W::Scope, item: &syn::ItemImpl, which: &str) -> Verdict {
    let mut verdict = Verdict { unbounded: Vec::new(), evidence: Vec::new(), complete: true };
    let self_name = match &*item.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    for (index, param) in item.generics.type_params().enumerate() {
        let bounds = bounds_of(&item.generics, &param.ident);
        let mut evidence = Vec::new();
        w.reset();
        let (held, defs, unknown) = held(w, scope, item, &param.ident, &mut evidence);
        let held_missed = w.missed();
        w.reset();
        let satisfied = |needed: &str| bounds.iter().any(|b| bound_implies(w, scope, b, needed, &mut HashSet::new()));
        // A bound found is found in any world; one not found may be in another file.
        let (ok, ok_complete) = match which {
            "Send" if satisfied("Send") => (true, true),
            // `T: Sync` is enough for a type that only points at its `T` through shared
            // references, as `&T` does.
            "Send" if satisfied("Sync") && matches!(held, Held::Yes { shared_only: true, .. }) => (true, !held_missed),
            // ... or that holds no `T` of its own (only a pointer or a marker, nothing it drops)
            // and whose API lends only `&T` (a shared-borrow guard, an iterator of `&T`).
            "Send"
                if satisfied("Sync")
                    && matches!(held, Held::Yes { owned: false, .. } | Held::Marker)
                    && !unknown
                    && lends_only_shared(w, item, self_name.as_deref(), &defs, &param.ident) =>
            {
                // Another file may hold an impl that hands out more: the package decides.
                w.miss();
                (true, !held_missed && !w.missed())
            }
            // A thread-bound wrapper (see [`thread_bound`]) hands out its `T` only on the thread
            // that made it: sharing it is sound, and so is moving it when no destructor of `T`
            // can run on the other thread (`T: Copy`).
            _ if thread_bound(&defs)
                && (which == "Sync" || bounds.iter().any(|b| names_trait(b, "Copy")))
                && lends_checked(w, item, self_name.as_deref(), &defs, &param.ident) =>
            {
                // Another file may hold an impl that lends it unchecked: the package decides.
                w.miss();
                (true, !held_missed && !w.missed())
            }
            "Send" => (false, !held_missed),
            _ => (satisfied("Sync") || satisfied("Send"), true),
        };
        if ok {
            verdict.complete &= ok_complete;
            continue;
        }
        let bounds_missed = w.missed();
        w.reset();
        let reaches = reachable(w, item, self_name.as_deref(), &defs, which, &param.ident, held, &mut evidence);
        verdict.complete &= !(held_missed || bounds_missed || w.missed());
        if reaches {
            verdict.unbounded.push(index);
            verdict.evidence.extend(evidence);
        }
    }
    verdict
}

/// Whether the self type is a thread-bound wrapper: one of its fields is, by value and on its
/// own, the `ThreadId` of the thread that built it (`value: T, owner: ThreadId`). Such a field
/// cannot change through `&self`, so it names one thread for the value's whole life, and the
/// wrapper exists to check it before it lends the value (syn's `ThreadBound`). An owner that
/// changes (`Cell<Option<ThreadId>>`, an atomic, as a reentrant lock keeps) does not count.
fn thread_bound<S>(defs: &[Def<'_, S>]) -> bool {
    !defs.is_empty()
        && defs.iter().all(|d| {
            d.fields.iter().any(|f| match f {
                syn::Type::Path(p) if p.qself.is_none() => {
                    p.path.segments.last().is_some_and(|s| s.ident == "ThreadId" && s.arguments.is_empty())
                }
                _ => false,
            })
        })
}

/// The type's impls in sight besides its `Send`/`Sync` impls, each with its own names for the
/// parameter (`impl<U> Foo<U>` calls it `U`; none when the impl does not name it).
fn other_impls<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    param: &syn::Ident,
) -> Vec<(ImplOf<'w, W::Scope>, Vec<&'w syn::Ident>)> {
    let positions = arg_positions(&item.self_ty, param);
    let mut out = Vec::new();
    for other in w.impls(self_name, defs) {
        if other.item.trait_.as_ref().is_some_and(|(_, p, _)| send_sync_trait(p).is_some()) {
            continue;
        }
        let args = type_args(&other.item.self_ty);
        let names: Vec<&'w syn::Ident> = other
            .item
            .generics
            .type_params()
            .map(|p| &p.ident)
            .filter(|n| positions.iter().any(|&i| args.get(i).is_some_and(|a| type_mentions(a, n))))
            .collect();
        out.push((other, names));
    }
    out
}

/// Whether every method of the self type's impls in sight that gives out the parameter
/// (`-> &T`, `-> T`, a closure lent `&T`) gives it out only as an `Option` or a `Result`, as a
/// thread-checked accessor does (`fn get(&self) -> Option<&T>`): a thread-bound wrapper with
/// an accessor that cannot fail does not check.
fn lends_checked<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    param: &syn::Ident,
) -> bool {
    for (other, names) in other_impls(w, item, self_name, defs, param) {
        let no_carrier = |_: &syn::Path, _: usize| None;
        let assoc = other.item.items.iter().any(|it| match it {
            syn::ImplItem::Type(t) => names.iter().any(|n| in_value_position(&t.ty, n, true, &no_carrier)),
            _ => false,
        });
        if assoc {
            // `Deref::Target = T`: a lender that cannot fail.
            return false;
        }
        for it in &other.item.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let out = match &f.sig.output {
                syn::ReturnType::Type(_, t) => Some(&**t),
                syn::ReturnType::Default => None,
            };
            let fallible = matches!(out, Some(syn::Type::Path(p))
                if p.path.segments.last().is_some_and(|s| s.ident == "Option" || s.ident == "Result"));
            // What it lends: its result, or a closure's arguments (`f: impl FnOnce(&T)`).
            let mut lent = f.sig.clone();
            lent.inputs = lent
                .inputs
                .into_iter()
                .filter(|i| matches!(i, syn::FnArg::Typed(t) if matches!(&*t.ty, syn::Type::ImplTrait(_))))
                .collect();
            if names.iter().any(|n| signature_moves(&lent, n, true, &no_carrier)) && !fallible {
                return false;
            }
        }
    }
    true
}

/// Whether a bound names the trait `name` itself (`T: Copy`, `T: core::marker::Copy`).
fn names_trait(bound: &syn::TypeParamBound, name: &str) -> bool {
    matches!(bound, syn::TypeParamBound::Trait(t)
        if matches!(t.modifier, syn::TraitBoundModifier::None)
            && t.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Whether every impl of the self type in sight (besides its auto traits) lends the parameter
/// only through shared pointers: no method takes or gives a `T`, a `&mut T`, a `*mut T`, or
/// another type holding `T` by value, nor lends one to a closure; associated types
/// (`Iterator::Item`, `Deref::Target`) count where a signature names them (`Self::Item`).
/// `false` when no such impl is in sight.
fn lends_only_shared<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    param: &syn::Ident,
) -> bool {
    let mut seen_impl = false;
    for (other, names) in other_impls(w, item, self_name, defs, param) {
        seen_impl = true;
        let assoc = |name: &syn::Ident| {
            other.item.items.iter().find_map(|it| match it {
                syn::ImplItem::Type(t) if t.ident == *name => Some(&t.ty),
                _ => None,
            })
        };
        let lends = Lends { param: &names, self_name, assoc: &assoc };
        for it in &other.item.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if !lends.signature(&f.sig) {
                return false;
            }
        }
    }
    seen_impl
}

/// How a signature may use a parameter, for [`lends_only_shared`].
struct Lends<'a> {
    /// The parameter's names in the impl.
    param: &'a [&'a syn::Ident],
    self_name: Option<&'a str>,
    /// The impl's associated types, by name.
    assoc: &'a dyn Fn(&syn::Ident) -> Option<&'a syn::Type>,
}

impl Lends<'_> {
    fn signature(&self, sig: &syn::Signature) -> bool {
        let inputs = sig.inputs.iter().filter_map(|i| match i {
            syn::FnArg::Typed(t) => Some(&*t.ty),
            syn::FnArg::Receiver(_) => None,
        });
        let output = match &sig.output {
            syn::ReturnType::Type(_, t) => Some(&**t),
            syn::ReturnType::Default => None,
        };
        if !inputs.chain(output).all(|t| self.shared(t, false, 0)) {
            return false;
        }
        let bounds = sig.generics.type_params().flat_map(|p| p.bounds.iter()).chain(
            sig.generics.where_clause.iter().flat_map(|w| w.predicates.iter()).flat_map(|p| match p {
                syn::WherePredicate::Type(t) => t.bounds.iter().collect::<Vec<_>>(),
                _ => Vec::new(),
            }),
        );
        bounds.into_iter().all(|b| self.bound(b, 0))
    }

    /// A closure bound's arguments and result.
    fn bound(&self, b: &syn::TypeParamBound, depth: usize) -> bool {
        let syn::TypeParamBound::Trait(t) = b else { return true };
        let Some(last) = t.path.segments.last() else { return true };
        let syn::PathArguments::Parenthesized(args) = &last.arguments else { return true };
        let output = match &args.output {
            syn::ReturnType::Type(_, t) => Some(&**t),
            syn::ReturnType::Default => None,
        };
        args.inputs.iter().chain(output).all(|t| self.shared(t, false, depth + 1))
    }

    /// Whether `ty` reaches the parameter only behind a shared pointer (`behind` once one was
    /// crossed).
    fn shared(&self, ty: &syn::Type, behind: bool, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        match ty {
            syn::Type::Path(p) => {
                if let Some(q) = &p.qself {
                    return self.shared(&q.ty, behind, depth + 1);
                }
                let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
                if let [only] = segments.as_slice() {
                    if self.param.iter().any(|n| only.ident == **n) {
                        return behind;
                    }
                }
                if let [first, second] = segments.as_slice() {
                    if first.ident == "Self" {
                        return (self.assoc)(&second.ident).is_none_or(|t| self.shared(t, behind, depth + 1));
                    }
                }
                let Some(last) = segments.last() else { return true };
                if self.param.iter().any(|n| segments[0].ident == **n) {
                    // `T::Output`: a type the parameter names, not a value of it.
                    return true;
                }
                let name = last.ident.to_string();
                // The type itself (`-> Self`, `orig: Guard<'b, T>`) lends what its API lends.
                if name == "Self" || Some(name.as_str()) == self.self_name || name == "PhantomData" {
                    return true;
                }
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return true };
                let passes = CONTAINERS.contains(&name.as_str()) || CARRIERS.contains(&name.as_str());
                args.args.iter().all(|a| match a {
                    syn::GenericArgument::Type(t) => {
                        let mentions = self.param.iter().any(|n| type_mentions(t, n));
                        // Another type holding the parameter may hold it by value.
                        !mentions || (if passes { self.shared(t, behind, depth + 1) } else { behind })
                    }
                    _ => true,
                })
            }
            syn::Type::Reference(r) => self.shared(&r.elem, behind || r.mutability.is_none(), depth + 1),
            syn::Type::Ptr(p) => self.shared(&p.elem, behind || p.mutability.is_none(), depth + 1),
            syn::Type::Slice(s) => self.shared(&s.elem, behind, depth + 1),
            syn::Type::Array(a) => self.shared(&a.elem, behind, depth + 1),
            syn::Type::Paren(p) => self.shared(&p.elem, behind, depth + 1),
            syn::Type::Group(g) => self.shared(&g.elem, behind, depth + 1),
            syn::Type::Tuple(t) => t.elems.iter().all(|e| self.shared(e, behind, depth + 1)),
            syn::Type::ImplTrait(i) => i.bounds.iter().all(|b| self.bound(b, depth)),
            syn::Type::TraitObject(o) => o.bounds.iter().all(|b| self.bound(b, depth)),
            syn::Type::BareFn(f) => {
                let output = match &f.output {
                    syn::ReturnType::Type(_, t) => Some(&**t),
                    syn::ReturnType::Default => None,
                };
                f.inputs.iter().map(|a| &a.ty).chain(output).all(|t| self.shared(t, false, depth + 1))
            }
            _ => true,
        }
    }
}

/// Whether a bound implies `which` (`Send` or `Sync`): the trait itself, or one whose
/// supertraits (or `where Self:` bounds) do, transitively.
fn bound_implies<'w, W: World<'w>>(
    w: &W,
    scope: W::Scope,
    bound: &syn::TypeParamBound,
    which: &str,
    seen: &mut HashSet<String>,
) -> bool {
    match bound {
        syn::TypeParamBound::Trait(t) if matches!(t.modifier, syn::TraitBoundModifier::None) => {
            implies(w, scope, &t.path, which, seen)
        }
        _ => false,
    }
}

fn implies<'w, W: World<'w>>(
    w: &W,
    scope: W::Scope,
    path: &syn::Path,
    which: &str,
    seen: &mut HashSet<String>,
) -> bool {
    if send_sync_trait(path) == Some(which) {
        return true;
    }
    let Some(last) = path.segments.last() else {
        return false;
    };
    if !seen.insert(last.ident.to_string()) {
        return false;
    }
    match w.traits(scope, path) {
        TraitFound::Ambiguous => true,
        TraitFound::Traits(traits) => traits.into_iter().any(|(t, s)| {
            let supers = t.supertraits.iter().any(|b| bound_implies(w, s, b, which, seen));
            let where_self = t.generics.where_clause.iter().flat_map(|w| w.predicates.iter()).any(|p| match p {
                syn::WherePredicate::Type(pt) if is_ident_type(&pt.bounded_ty, "Self") => {
                    pt.bounds.iter().any(|b| bound_implies(w, s, b, which, seen))
                }
                _ => false,
            });
            supers || where_self
        }),
    }
}

/// Follows a parameter of the impl's self type into the type's definition.
struct HeldFinder<'f, 'w, W: World<'w>> {
    w: &'f W,
    seen: HashSet<(String, usize, Option<bool>)>,
    evidence: &'f mut Vec<(Span, String)>,
    /// How many definitions deep the finder is: 0 in the self type's.
    depth: usize,
    /// Some path to the parameter went through a type it could not follow (another crate's,
    /// or one the parameter names, `N::ArrayType`) or an owning heap container (`Arc<Slab<T>>`,
    /// `Vec<*mut T>`): the type may own, and drop, values of it even behind pointers.
    unknown: bool,
    /// How many owning heap containers the current path is in.
    heap: usize,
    _world: std::marker::PhantomData<&'w ()>,
}

impl<'w, W: World<'w>> HeldFinder<'_, 'w, W> {
    /// Whether the type named `name`, defined by `defs`, holds values of its `position`-th
    /// type parameter.
    fn param_of(&mut self, name: &str, defs: &[Def<'w, W::Scope>], position: usize, via: Option<bool>) -> Held {
        let key = defs.first().map_or_else(|| name.to_string(), |d| d.key.clone());
        if !self.seen.insert((key, position, via)) {
            return Held::No;
        }
        if self.seen.len() > 32 {
            self.unknown = true;
            return Held::No;
        }
        if defs.is_empty() {
            self.unknown = true;
            return Held::Unknown;
        }
        let mut held = Held::No;
        for def in defs {
            let Some(own) = def.generics.type_params().nth(position) else {
                self.unknown = true;
                return Held::Unknown;
            };
            let mut here = Held::No;
            // The definition's label goes before those of the types its fields lead to.
            let at = self.evidence.len();
            self.depth += 1;
            for f in &def.fields {
                here = here.or(self.in_type(def.scope, f, &own.ident, via));
            }
            self.depth -= 1;
            if let Some(span) = def.elsewhere {
                // A marker is worth showing in the self type's definition only: the API decides.
                let what = match here {
                    Held::Yes { .. } => Some("stores values of its parameter"),
                    Held::Marker if self.depth == 0 => Some("holds only a marker of its parameter"),
                    _ => None,
                };
                if let Some(what) = what {
                    let label = format!("`{}` is defined here: it {what} `{}`", def.name, own.ident);
                    self.evidence.insert(at, (span, label));
                }
            }
            held = held.or(here);
        }
        held
    }

    /// Whether `ty` holds values of `param`; `via` is the pointer kind on the way (`Some(true)`
    /// once any exclusive pointer was crossed, `Some(false)` behind shared pointers only).
    fn in_type(&mut self, scope: W::Scope, ty: &syn::Type, param: &syn::Ident, via: Option<bool>) -> Held {
        let found = Held::Yes { shared_only: via == Some(false), owned: via.is_none() };
        // Behind a shared pointer anywhere on the way, only shared access is possible.
        let through = |mutable: bool| if via == Some(false) { via } else { Some(mutable) };
        match ty {
            syn::Type::Path(p) => {
                if let Some(q) = &p.qself {
                    return self.in_type(scope, &q.ty, param, via);
                }
                let Some(first) = p.path.segments.first() else { return Held::No };
                if first.ident == *param {
                    // `N::ArrayType`: a type the parameter names (typenum's lengths,
                    // generic-array's storage), not a value of the parameter.
                    if p.path.segments.len() == 1 {
                        self.unknown |= self.heap > 0;
                        return found;
                    }
                    self.unknown = true;
                    return Held::Unknown;
                }
                let Some(last) = p.path.segments.last() else { return Held::No };
                let name = last.ident.to_string();
                if name == "PhantomData" || name == "PhantomPinned" {
                    return if type_mentions(ty, param) { Held::Marker } else { Held::No };
                }
                let args: Vec<&syn::Type> = match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let via_here = if name == "NonNull" || name == "AtomicPtr" { through(true) } else { via };
                let container = CONTAINERS.contains(&name.as_str());
                // Only a container the type itself owns, not one behind a pointer it holds.
                let heap = usize::from(via.is_none() && HEAP.contains(&name.as_str()));
                // Looked up once an argument holds the parameter.
                let mut defs: Option<Vec<Def<'w, W::Scope>>> = None;
                let mut held = Held::No;
                for (i, arg) in args.iter().enumerate() {
                    self.heap += heap;
                    let in_arg = self.in_type(scope, arg, param, via_here);
                    self.heap -= heap;
                    if matches!(in_arg, Held::No | Held::Marker) {
                        held = held.or(in_arg);
                        continue;
                    }
                    if container {
                        held = held.or(in_arg);
                        continue;
                    }
                    let w = self.w;
                    let defs = defs.get_or_insert_with(|| w.types(scope, &p.path));
                    let h = if defs.is_empty() {
                        self.unknown = true;
                        Held::Unknown
                    } else {
                        // Shared if either the type's own field or the argument points at it
                        // through a shared pointer.
                        self.heap += heap;
                        let own = self.param_of(&name, defs, i, via_here);
                        self.heap -= heap;
                        match (own, in_arg) {
                            (Held::Yes { shared_only: a, owned: x }, Held::Yes { shared_only: b, owned: y }) => {
                                Held::Yes { shared_only: a || b, owned: x && y }
                            }
                            (Held::Yes { .. }, other) | (other, _) => other,
                        }
                    };
                    held = held.or(h);
                }
                held
            }
            syn::Type::Ptr(p) => self.in_type(scope, &p.elem, param, through(p.mutability.is_some())),
            syn::Type::Reference(r) => self.in_type(scope, &r.elem, param, through(r.mutability.is_some())),
            syn::Type::Array(a) => self.in_type(scope, &a.elem, param, via),
            syn::Type::Slice(s) => self.in_type(scope, &s.elem, param, via),
            syn::Type::Paren(p) => self.in_type(scope, &p.elem, param, via),
            syn::Type::Group(g) => self.in_type(scope, &g.elem, param, via),
            syn::Type::Tuple(t) => t.elems.iter().fold(Held::No, |h, e| h.or(self.in_type(scope, e, param, via))),
            // A trait object or function pointer mentioning `T` stores no `T`.
            _ => Held::No,
        }
    }
}

/// What the self type's definition shows about the impl parameter `param`, and the
/// definitions its path names; `true` last when some path to it could not be followed (see
/// [`HeldFinder::unknown`]).
fn held<'w, W: World<'w>>(
    w: &W,
    scope: W::Scope,
    item: &syn::ItemImpl,
    param: &syn::Ident,
    evidence: &mut Vec<(Span, String)>,
) -> (Held, Vec<Def<'w, W::Scope>>, bool) {
    let syn::Type::Path(p) = &*item.self_ty else { return (Held::Unknown, Vec::new(), true) };
    let Some(last) = p.path.segments.last() else { return (Held::Unknown, Vec::new(), true) };
    // The parameter's position in the self type's arguments decides which of the type's own
    // parameters it stands for: `impl<U> Send for Foo<U>` with `struct Foo<T>`.
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return (Held::Unknown, Vec::new(), true) };
    let types: Vec<&syn::Type> = args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    let defs = w.types(scope, &p.path);
    let mut finder = HeldFinder {
        w,
        seen: HashSet::new(),
        evidence,
        depth: 0,
        unknown: false,
        heap: 0,
        _world: std::marker::PhantomData,
    };
    let name = last.ident.to_string();
    let mut out = Held::No;
    for (i, arg) in types.iter().enumerate() {
        if matches!(finder.in_type(scope, arg, param, None), Held::No | Held::Marker) {
            continue;
        }
        out = out.or(finder.param_of(&name, &defs, i, None));
    }
    let unknown = finder.unknown;
    (out, defs, unknown)
}

/// Whether values of the impl parameter `param` can cross threads through the type, from what
/// it stores and what its API moves or lends (Rudra's view):
/// - held by value (directly or in an owning container), moving the type moves them: a `Send`
///   impl always reaches them; a `Sync` impl reaches them when a method taking `&self` names
///   the parameter in its signature (`-> &T`, `fn push(&self, t: T)`, a guard of `T`);
/// - held only behind pointers (`NonNull<T>`, `*mut T`, `&T`) or only in `PhantomData`: the
///   type reaches them when its API names the parameter (any method for `Send`, `&self`
///   methods for `Sync`);
/// - when no impl of the type besides the auto traits is in sight, its API cannot be seen:
///   anything stored counts, a marker does not.
///
/// An API that names nothing may name it in an impl of another file: a world that cannot see
/// them records a miss.
#[allow(clippy::too_many_arguments)]
fn reachable<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    which: &str,
    param: &syn::Ident,
    held: Held,
    evidence: &mut Vec<(Span, String)>,
) -> bool {
    let mut api = |closures| {
        let names = api_names(w, item, self_name, defs, param, which == "Sync", closures, evidence);
        if names != Some(true) {
            w.miss();
        }
        names
    };
    match held {
        Held::Yes { owned: true, .. } if which == "Send" => true,
        Held::Yes { .. } => api(true).unwrap_or(true),
        // A marker's values come from elsewhere: a closure lent `&T` may get one the calling
        // thread owns (a scoped thread-local), so only what the methods themselves take or
        // return counts. A key to thread-local storage (`scoped_thread_local!`'s `ScopedKey`,
        // a field holding a `LocalKey`) stays silent: each thread only ever sees the values it
        // stored itself.
        Held::Marker => {
            !defs.iter().any(|d| d.local_key)
                && api(false).unwrap_or(false)
                && !fabricated(w, item, self_name, defs, param)
        }
        Held::No | Held::Unknown => false,
    }
}

/// Whether a type holding its parameter only as a marker makes the values it hands out
/// fresh, as a handle does (windows' `Weak<I>::upgrade`, `AgileReference<T>::resolve`, which
/// build a new interface from a COM pointer on the calling thread), rather than reading them
/// out of memory where a `T` was stored: its fields hold no raw memory (see [`raw_memory`]),
/// and every method of its impls in sight gives the parameter out only by value (`-> T`,
/// `-> Option<T>`, `-> Result<T>`; never `&T`, a pointer or a guard of it, nor to a closure),
/// and takes it only by shared reference (`new(object: &T)`), never by value (which it could
/// keep); an associated type counts where a signature names it (`&Self::Target` with
/// `type Target = T` lends a `&T`). `false` when no impl is in sight.
fn fabricated<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    param: &syn::Ident,
) -> bool {
    if defs.is_empty() || defs.iter().any(|d| d.fields.iter().any(|f| raw_memory(w, d.scope, f, 0))) {
        return false;
    }
    let mut seen_impl = false;
    let no_carrier = |_: &syn::Path, _: usize| None;
    for (other, names) in other_impls(w, item, self_name, defs, param) {
        seen_impl = true;
        let mut assoc = SelfAssoc(Vec::new());
        for it in &other.item.items {
            if let syn::ImplItem::Type(t) = it {
                assoc.0.push((t.ident.clone(), t.ty.clone()));
            }
        }
        for it in &other.item.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            // `-> &Self::Target` with `type Target = T` lends a `&T`.
            let mut sig = f.sig.clone();
            syn::visit_mut::VisitMut::visit_signature_mut(&mut assoc, &mut sig);
            let inputs = sig.inputs.iter().filter_map(|i| match i {
                syn::FnArg::Typed(t) => Some(&*t.ty),
                syn::FnArg::Receiver(_) => None,
            });
            let output = match &sig.output {
                syn::ReturnType::Type(_, t) => Some(&**t),
                syn::ReturnType::Default => None,
            };
            let mut lent = sig.clone();
            lent.inputs.clear();
            lent.output = syn::ReturnType::Default;
            let fresh = names.iter().all(|n| {
                inputs.clone().all(|t| taken_shared(t, n))
                    && output.is_none_or(|t| given_by_value(t, n))
                    && !signature_moves(&lent, n, true, &no_carrier)
            });
            if !fresh {
                return false;
            }
        }
    }
    seen_impl
}

/// Replaces `Self::Name` by the impl's associated type `Name`.
struct SelfAssoc(Vec<(syn::Ident, syn::Type)>);

impl syn::visit_mut::VisitMut for SelfAssoc {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty {
            if let (None, [first, second]) = (&p.qself, p.path.segments.iter().collect::<Vec<_>>().as_slice()) {
                if first.ident == "Self" {
                    if let Some((_, t)) = self.0.iter().find(|(n, _)| *n == second.ident) {
                        *ty = t.clone();
                        return;
                    }
                }
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// Whether a field's type holds raw memory a value could be stored in behind the type
/// system's back: a raw pointer, `NonNull` or `AtomicPtr` (except to `c_void`, an opaque
/// handle), `MaybeUninit`, `UnsafeCell`, `Cell`, bytes (`[u8]`, `Vec<u8>`), through std
/// containers, tuples and arrays, and through the crate's generic types the world defines.
fn raw_memory<'w, W: World<'w>>(w: &W, scope: W::Scope, ty: &syn::Type, depth: usize) -> bool {
    if depth > 8 {
        return true;
    }
    let opaque =
        |t: &syn::Type| matches!(t, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "c_void"));
    match ty {
        syn::Type::Ptr(p) => !opaque(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            if name == "PhantomData" || name == "PhantomPinned" {
                return false;
            }
            if name == "u8" && depth > 0 {
                return true;
            }
            if matches!(name.as_str(), "MaybeUninit" | "UnsafeCell" | "SyncUnsafeCell" | "Cell") {
                return true;
            }
            let args = type_args(ty);
            if matches!(name.as_str(), "NonNull" | "AtomicPtr") {
                return !args.first().is_some_and(|a| opaque(a));
            }
            if args.is_empty() {
                return false;
            }
            if !CONTAINERS.contains(&name.as_str()) {
                let defs = w.types(scope, &p.path);
                if defs.iter().any(|d| d.fields.iter().any(|f| raw_memory(w, d.scope, f, depth + 1))) {
                    return true;
                }
            }
            args.iter().any(|a| raw_memory(w, scope, a, depth + 1))
        }
        syn::Type::Reference(r) => raw_memory(w, scope, &r.elem, depth + 1),
        syn::Type::Array(a) => raw_memory(w, scope, &a.elem, depth + 1),
        syn::Type::Slice(s) => raw_memory(w, scope, &s.elem, depth + 1),
        syn::Type::Paren(p) => raw_memory(w, scope, &p.elem, depth),
        syn::Type::Group(g) => raw_memory(w, scope, &g.elem, depth),
        syn::Type::Tuple(t) => t.elems.iter().any(|e| raw_memory(w, scope, e, depth + 1)),
        _ => false,
    }
}

/// Whether an argument's type names the parameter only behind shared references (`&T`,
/// `&[T]`, `Option<&T>`): nothing the method could keep.
fn taken_shared(ty: &syn::Type, param: &syn::Ident) -> bool {
    every_mention(ty, param, 0, &|t| match t {
        syn::Type::Reference(r) => Some(r.mutability.is_none()),
        // `T` by value, or `T::Item` (a value the parameter names).
        syn::Type::Path(p) if p.path.segments.first().is_some_and(|s| s.ident == *param) => Some(false),
        _ => None,
    })
}

/// Whether a result's type gives the parameter out only by value (`T`, `Option<T>`,
/// `Result<T>`, `Vec<T>`, a type of the crate it names as an argument): never a reference, a
/// pointer, a guard or iterator of std's, or a closure.
fn given_by_value(ty: &syn::Type, param: &syn::Ident) -> bool {
    every_mention(ty, param, 0, &|t| match t {
        syn::Type::Path(p) if p.path.is_ident(param) => Some(true),
        syn::Type::Path(p) => {
            p.path.segments.last().is_some_and(|s| CARRIERS.contains(&s.ident.to_string().as_str())).then_some(false)
        }
        syn::Type::Slice(_) | syn::Type::Array(_) => Some(false),
        _ => None,
    })
}

/// Whether every place of `ty` that mentions `param` passes `verdict` (`Some` decides a
/// part; `None` looks into its type arguments, parentheses, tuples, slices and arrays; any
/// other type that mentions it fails).
fn every_mention(
    ty: &syn::Type,
    param: &syn::Ident,
    depth: usize,
    verdict: &dyn Fn(&syn::Type) -> Option<bool>,
) -> bool {
    if depth > 16 {
        return false;
    }
    if !type_mentions(ty, param) {
        return true;
    }
    if let Some(decided) = verdict(ty) {
        return decided;
    }
    let inner = |t: &syn::Type| every_mention(t, param, depth + 1, verdict);
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => type_args(ty).iter().all(|a| inner(a)),
        syn::Type::Paren(p) => inner(&p.elem),
        syn::Type::Group(g) => inner(&g.elem),
        syn::Type::Tuple(t) => t.elems.iter().all(inner),
        syn::Type::Slice(s) => inner(&s.elem),
        syn::Type::Array(a) => inner(&a.elem),
        _ => false,
    }
}

/// Whether a method of the type's other impls names the parameter in its signature (or
/// through an associated type of its impl, as `Deref::Target = T` does); `shared_only` keeps
/// the methods callable through a shared reference (`&self`, `self: Arc<Self>`). `None` when
/// no such impl is in sight.
#[allow(clippy::too_many_arguments)]
fn api_names<'w, W: World<'w>>(
    w: &W,
    item: &syn::ItemImpl,
    self_name: Option<&str>,
    defs: &[Def<'w, W::Scope>],
    param: &syn::Ident,
    shared_only: bool,
    closures: bool,
    evidence: &mut Vec<(Span, String)>,
) -> Option<bool> {
    let mut seen_impl = false;
    for (other, names) in other_impls(w, item, self_name, defs, param) {
        seen_impl = true;
        if names.is_empty() {
            continue;
        }
        let carries = |path: &syn::Path, position: usize| carrier_holds(w, other.scope, path, position);
        // An associated type counts when it holds the parameter as a value (`Target = T`,
        // `Item = &'a T`) or names a type of the crate that stores it (`Target = Bucket<T>`),
        // not when it is a type argument of a type that holds no value of it (a handler or
        // callback type holding it only in `PhantomData`, or another crate's type).
        let assoc_names = other.item.items.iter().any(|it| match it {
            syn::ImplItem::Type(t) => names
                .iter()
                .any(|n| in_value_position(&t.ty, n, closures, &carries) || stores_argument(&t.ty, n, &carries, 0)),
            _ => false,
        });
        let methods = other.item.items.iter().filter_map(|it| match it {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        });
        for (index, f) in methods.enumerate() {
            if shared_only && !shared_receiver(&f.sig) {
                continue;
            }
            let sig = quote::ToTokens::to_token_stream(&f.sig);
            let names_it = names.iter().any(|n| signature_moves(&f.sig, n, closures, &carries));
            let via_assoc = assoc_names && sig.to_string().contains("Self ::");
            if names_it || via_assoc {
                if let Some(span) = other.methods.and_then(|m| m.get(index)) {
                    evidence.push((*span, format!("`{}` moves or lends values of `{}`", f.sig.ident, names[0])));
                }
                return Some(true);
            }
        }
    }
    seen_impl.then_some(false)
}

/// The finding for the parameters a verdict left unbounded, if any.
fn diagnostic(which: &str, ty: &str, header: Span, params: &[ParamSite], verdict: &Verdict) -> Option<Diagnostic> {
    let unbounded: Vec<&ParamSite> = verdict.unbounded.iter().filter_map(|&i| params.get(i)).collect();
    let first = *unbounded.first()?;
    let message = if which == "Send" {
        let listed: Vec<String> = unbounded.iter().map(|p| format!("`{}: Send`", p.name)).collect();
        format!("`unsafe impl Send for {ty}` does not require {}", join_or(&listed, "or"))
    } else {
        let listed: Vec<String> = unbounded.iter().map(|p| format!("`{}`", p.name)).collect();
        format!("`unsafe impl Sync for {ty}` requires neither `Sync` nor `Send` of {}", join_or(&listed, "and"))
    };
    let what = if which == "Send" { "be moved to another thread" } else { "be shared between threads" };
    let mut d = Diagnostic::new(&SEND_SYNC_IMPL_UNBOUNDED, first.span, message)
        .primary_label(format!("`{}` may be any type, thread-safe or not", first.name));
    for p in &unbounded[1..] {
        d = d.label(p.span, format!("`{}` is unbounded too", p.name));
    }
    d = d.label(header, format!("this lets `{ty}` {what} even when `{}` cannot", first.name));
    // What another file showed, once each, at most three.
    let mut shown: Vec<Span> = Vec::new();
    for (span, message) in &verdict.evidence {
        if shown.len() < 3 && !shown.contains(span) {
            shown.push(*span);
            d = d.label(*span, message.clone());
        }
    }
    let (bound, help) = if which == "Send" {
        ("Send", format!("require `{}: Send` so that only thread-safe parameters can cross threads", first.name))
    } else {
        (
            "Send + Sync",
            format!(
                "require `{p}: Send + Sync`; `{p}: Sync` is enough if the type only hands out `&{p}`, and `{p}: Send` if it gives one thread at a time `&mut {p}` (as `Mutex` does)",
                p = first.name
            ),
        )
    };
    d = d.help(help);
    let edits: Vec<Edit> = unbounded
        .iter()
        .map(|p| Edit {
            span: p.insert_at,
            replacement: if p.has_bounds { format!(" + {bound}") } else { format!(": {bound}") },
        })
        .collect();
    d.suggestions.push(Suggestion {
        message: format!("add the `{bound}` bound"),
        edits,
        applicability: Applicability::MaybeIncorrect,
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    Some(d)
}

fn is_ident_type(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// Every bound written on the type parameter `name`, in the generics and the `where` clause,
/// including bounds on a type built from it: an associated type (`where A::Item: Send`) or
/// a generic type (`where OnceCell<T>: Sync`), which the compiler can only prove through `T`.
/// A `Send`/`Sync` bound on a reference to the parameter, higher-ranked or not, is the bound it
/// stands for: `&T: Send` and `&T: Sync` hold exactly when `T: Sync`, `&mut T: Send` when
/// `T: Send`, `&mut T: Sync` when `T: Sync`.
fn bounds_of(generics: &syn::Generics, name: &syn::Ident) -> Vec<syn::TypeParamBound> {
    let mut out: Vec<syn::TypeParamBound> = Vec::new();
    for p in generics.type_params().filter(|p| p.ident == *name) {
        out.extend(p.bounds.iter().cloned());
    }
    if let Some(w) = &generics.where_clause {
        for pred in &w.predicates {
            let syn::WherePredicate::Type(pt) = pred else { continue };
            if let Some(mutable) = reference_to(&pt.bounded_ty, name) {
                for b in &pt.bounds {
                    let syn::TypeParamBound::Trait(t) = b else { continue };
                    let implied = match send_sync_trait(&t.path) {
                        Some("Send") if mutable => "Send",
                        Some(_) => "Sync",
                        None => continue,
                    };
                    let ident = syn::Ident::new(implied, proc_macro2::Span::call_site());
                    out.push(syn::parse_quote!(#ident));
                }
            } else if pt.lifetimes.is_none() && type_mentions(&pt.bounded_ty, name) {
                out.extend(pt.bounds.iter().cloned());
            }
        }
    }
    out
}

/// `Some(mutable)` when `ty` is a reference to the parameter `name` itself (`&'a T`, `&mut T`).
fn reference_to(ty: &syn::Type, name: &syn::Ident) -> Option<bool> {
    match ty {
        syn::Type::Reference(r) if is_ident_type(&r.elem, &name.to_string()) => Some(r.mutability.is_some()),
        syn::Type::Paren(p) => reference_to(&p.elem, name),
        syn::Type::Group(g) => reference_to(&g.elem, name),
        _ => None,
    }
}

/// Whether a type names the identifier anywhere (`T`, `T::Item`, `<T as Tr>::X`, `Once<T>`).
fn type_mentions(ty: &syn::Type, name: &syn::Ident) -> bool {
    quote::ToTokens::to_token_stream(ty).into_iter().any(|tt| token_mentions(&tt, name))
}

fn token_mentions(tt: &proc_macro2::TokenTree, name: &syn::Ident) -> bool {
    match tt {
        proc_macro2::TokenTree::Ident(i) => i == name,
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().any(|t| token_mentions(&t, name)),
        _ => false,
    }
}

/// What a type's definition shows about a type parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    /// Not mentioned at all.
    No,
    /// Named only in `PhantomData` (or `PhantomPinned`): a marker, no value stored.
    Marker,
    /// It reaches types defined elsewhere, whose fields cannot be seen.
    Unknown,
    /// A value (or a pointer to one) is stored; `shared_only` when every path to it goes
    /// through shared pointers (`&T`, `*const T`); `owned` when some path holds it by value
    /// (directly or in an owning container such as `Box`, `Vec`, `UnsafeCell`), not only
    /// behind a reference or raw pointer.
    Yes { shared_only: bool, owned: bool },
}

impl Held {
    /// Either field may hold it.
    fn or(self, other: Held) -> Held {
        match (self, other) {
            (Held::Yes { shared_only: a, owned: x }, Held::Yes { shared_only: b, owned: y }) => {
                Held::Yes { shared_only: a && b, owned: x || y }
            }
            (y @ Held::Yes { .. }, _) | (_, y @ Held::Yes { .. }) => y,
            (Held::Unknown, _) | (_, Held::Unknown) => Held::Unknown,
            (Held::Marker, _) | (_, Held::Marker) => Held::Marker,
            _ => Held::No,
        }
    }
}

/// Std containers that own values of their type arguments on the heap, and drop them.
const HEAP: &[&str] =
    &["Box", "Vec", "VecDeque", "LinkedList", "BinaryHeap", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "Arc", "Rc"];

/// Std types that store values of their type arguments (or point at them).
const CONTAINERS: &[&str] = &[
    "Box", "Vec", "VecDeque", "LinkedList", "BinaryHeap", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "Option",
    "Result", "Arc", "Rc", "Weak", "Cell", "RefCell", "UnsafeCell", "SyncUnsafeCell", "MaybeUninit", "ManuallyDrop",
    "Mutex", "RwLock", "OnceCell", "OnceLock", "LazyLock", "LazyCell", "Pin", "NonNull", "AtomicPtr", "CachePadded",
    "Reverse", "Wrapping", "Saturating",
];

fn type_text(ty: &syn::Type) -> String {
    let s = quote::ToTokens::to_token_stream(ty).to_string();
    s.replace(" :: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}

fn join_or(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// The positions of the self type's arguments that mention the parameter.
fn arg_positions(self_ty: &syn::Type, param: &syn::Ident) -> Vec<usize> {
    type_args(self_ty).iter().enumerate().filter(|(_, a)| type_mentions(a, param)).map(|(i, _)| i).collect()
}

/// The type arguments of a path type's last segment (`Foo<'a, T, U>` gives `T`, `U`).
fn type_args(ty: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(p) = ty else { return Vec::new() };
    let Some(last) = p.path.segments.last() else { return Vec::new() };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return Vec::new() };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// A method callable through a shared reference: `&self`, `self: &Self`, `self: Arc<Self>`,
/// `self: Pin<&Self>`; not `self`, `&mut self`, `self: Box<Self>`, nor an associated function
/// without a receiver (a constructor works on no shared value).
fn shared_receiver(sig: &syn::Signature) -> bool {
    let Some(syn::FnArg::Receiver(r)) = sig.inputs.first() else { return false };
    if r.colon_token.is_none() {
        return r.reference.is_some() && r.mutability.is_none();
    }
    let text = quote::ToTokens::to_token_stream(&*r.ty).to_string();
    (text.contains('&') && !text.contains("& mut") && !text.contains("&mut"))
        || text.contains("Arc")
        || text.contains("Rc")
}

/// Whether the type a path names, when it is a type of the crate, may hand out values of its
/// `position`-th type parameter: not when its fields hold the parameter only as a marker
/// (sharded-slab's `Ref<'a, T, C>` and its configuration `C`). `None` for a type the world
/// does not define (a std guard or iterator), which hands out what it is given.
type Carries<'c> = &'c dyn Fn(&syn::Path, usize) -> Option<bool>;

/// [`Carries`] in a world. A type not found is no miss here: std's guards and iterators are
/// found nowhere.
fn carrier_holds<'w, W: World<'w>>(w: &W, scope: W::Scope, path: &syn::Path, position: usize) -> Option<bool> {
    let missed = w.missed();
    let defs = w.types(scope, path);
    let held = (!defs.is_empty()).then(|| {
        let mut evidence = Vec::new();
        let mut finder = HeldFinder {
            w,
            seen: HashSet::new(),
            evidence: &mut evidence,
            depth: 1,
            unknown: false,
            heap: 0,
            _world: std::marker::PhantomData,
        };
        let name = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        finder.param_of(&name, &defs, position, None) != Held::Marker
    });
    if !missed {
        w.reset();
    }
    held
}

/// Whether a signature moves or lends values of `param`: an input or the output holds it in
/// a value position (see [`in_value_position`]); with `closures`, also an argument or result of
/// a closure the method takes (`f: impl FnOnce(&mut T)`, `where F: Fn(&T)`).
fn signature_moves(sig: &syn::Signature, param: &syn::Ident, closures: bool, carries: Carries<'_>) -> bool {
    let inputs = sig.inputs.iter().filter_map(|i| match i {
        syn::FnArg::Typed(t) => Some(&*t.ty),
        syn::FnArg::Receiver(_) => None,
    });
    let output = match &sig.output {
        syn::ReturnType::Type(_, t) => Some(&**t),
        syn::ReturnType::Default => None,
    };
    if inputs.chain(output).any(|t| in_value_position(t, param, closures, carries)) {
        return true;
    }
    if !closures {
        return false;
    }
    let bounds = sig.generics.type_params().flat_map(|p| p.bounds.iter()).chain(
        sig.generics.where_clause.iter().flat_map(|w| w.predicates.iter()).flat_map(|p| match p {
            syn::WherePredicate::Type(t) => t.bounds.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        }),
    );
    bounds.into_iter().any(|b| closure_moves(b, param, carries))
}

/// Types that hand out the values of their arguments: std containers, guards, references.
const CARRIERS: &[&str] = &[
    "Poll",
    "Ref",
    "RefMut",
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "MappedMutexGuard",
    "Cow",
    "LockResult",
    "TryLockResult",
    "IntoIter",
    "Iter",
    "IterMut",
    "Drain",
];

/// Whether `ty` holds `param` where a caller gets or gives its value: `T`, `&T`, `*mut T`,
/// `Option<T>`, `Vec<T>`, `(T, U)`, `[T]`, a guard of `T`; not as a type argument of another
/// type (`Notified<T>`, `Task<S>`), which may hold no `T` at all.
fn in_value_position(ty: &syn::Type, param: &syn::Ident, closures: bool, carries: Carries<'_>) -> bool {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            if p.path.is_ident(param) {
                return true;
            }
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
            let carrier = CARRIERS.contains(&name.as_str());
            if !(carrier || CONTAINERS.contains(&name.as_str()) || name == "Result") {
                return false;
            }
            let types = args.args.iter().filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            });
            // A type of the crate named like a guard or iterator of std (`Ref<'a, T, C>`) hands
            // out only what it holds.
            types.enumerate().any(|(i, t)| {
                in_value_position(t, param, closures, carries) && (!carrier || carries(&p.path, i).unwrap_or(true))
            })
        }
        syn::Type::Reference(r) => in_value_position(&r.elem, param, closures, carries),
        syn::Type::Ptr(p) => in_value_position(&p.elem, param, closures, carries),
        syn::Type::Slice(s) => in_value_position(&s.elem, param, closures, carries),
        syn::Type::Array(a) => in_value_position(&a.elem, param, closures, carries),
        syn::Type::Paren(p) => in_value_position(&p.elem, param, closures, carries),
        syn::Type::Group(g) => in_value_position(&g.elem, param, closures, carries),
        syn::Type::Tuple(t) => t.elems.iter().any(|e| in_value_position(e, param, closures, carries)),
        syn::Type::ImplTrait(i) => closures && i.bounds.iter().any(|b| closure_moves(b, param, carries)),
        _ => false,
    }
}

/// Whether `ty` holds `param` as a value, through std containers and pointers and through
/// the types of the crate whose definitions store their argument (`Bucket<K, V, L>`,
/// `UnsafeCell<Seat<T>>`; see [`Carries`]).
fn stores_argument(ty: &syn::Type, param: &syn::Ident, carries: Carries<'_>, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            if p.path.is_ident(param) {
                return true;
            }
            let Some(last) = p.path.segments.last() else { return false };
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
            let name = last.ident.to_string();
            let container = CONTAINERS.contains(&name.as_str());
            let types = args.args.iter().filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            });
            types.enumerate().any(|(i, t)| {
                stores_argument(t, param, carries, depth + 1) && (container || carries(&p.path, i) == Some(true))
            })
        }
        syn::Type::Reference(r) => stores_argument(&r.elem, param, carries, depth + 1),
        syn::Type::Ptr(p) => stores_argument(&p.elem, param, carries, depth + 1),
        syn::Type::Slice(s) => stores_argument(&s.elem, param, carries, depth + 1),
        syn::Type::Array(a) => stores_argument(&a.elem, param, carries, depth + 1),
        syn::Type::Paren(p) => stores_argument(&p.elem, param, carries, depth + 1),
        syn::Type::Group(g) => stores_argument(&g.elem, param, carries, depth + 1),
        syn::Type::Tuple(t) => t.elems.iter().any(|e| stores_argument(e, param, carries, depth + 1)),
        _ => false,
    }
}

/// A closure bound (`FnOnce(&mut T) -> R`, `Fn() -> T`) whose arguments or result hold `param`.
fn closure_moves(bound: &syn::TypeParamBound, param: &syn::Ident, carries: Carries<'_>) -> bool {
    let syn::TypeParamBound::Trait(t) = bound else { return false };
    let Some(last) = t.path.segments.last() else { return false };
    let syn::PathArguments::Parenthesized(args) = &last.arguments else { return false };
    let output = match &args.output {
        syn::ReturnType::Type(_, t) => Some(&**t),
        syn::ReturnType::Default => None,
    };
    args.inputs.iter().chain(output).any(|t| in_value_position(t, param, true, carries))
}
