use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::items::ImplFact;
use crate::registry::Rule;
use crate::rules::undocumented_unsafe_send_sync::send_sync_trait;
use crate::source::Span;
use std::collections::HashSet;

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
    /// Bounds count wherever they are written on the parameter itself: in the impl's generics
    /// (`<T: Send>`) or its `where` clause (`where T: Send + Sync`), directly or through a
    /// trait defined in the same file whose supertraits include `Send`/`Sync`
    /// (`trait Job: Send + 'static`). Every type parameter is checked; lifetimes and const
    /// parameters are not type parameters. `unsafe impl<T: Send> Sync` stays silent: it is
    /// the `Mutex` pattern, where exclusive access makes `T: Send` enough. A parameter that the
    /// type (defined in the same file) only names inside `PhantomData` or a function signature
    /// holds no `T` and stays silent.
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
    /// Traits defined in other files or crates are not looked into: a bound such as
    /// `T: MyTask` whose trait requires `Send` elsewhere is not seen and the finding must be
    /// suppressed. A type that only ever hands out `&T` (as `&T` itself, which is `Send` when
    /// `T: Sync`) is still asked for `T: Send`.
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
        level: Warn,
        summary: "`unsafe impl Send`/`Sync` for a generic type without `Send`/`Sync` bounds on a type parameter",
        why: "an unbounded `unsafe impl` lets a non-thread-safe `T` cross threads",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let traits = LocalTraits::new(cx);
    for imp in &cx.facts.impls {
        let Some(which) = imp.unsafe_auto_trait else {
            continue;
        };
        check_impl(cx, imp, which, &traits);
    }
}

/// Traits defined in this file that imply `Send` or `Sync` through their supertraits.
struct LocalTraits<'a> {
    traits: Vec<&'a syn::ItemTrait>,
}

impl<'a> LocalTraits<'a> {
    fn new(cx: &FileCx<'a>) -> Self {
        LocalTraits { traits: cx.facts.traits.clone() }
    }

    /// Whether a bound's trait path implies `which` (`Send` or `Sync`).
    fn implies(&self, path: &syn::Path, which: &str, seen: &mut HashSet<String>) -> bool {
        if send_sync_trait(path) == Some(which) {
            return true;
        }
        // A local trait: a single identifier (or `self::`/`crate::`/`super::` path) naming a
        // trait defined in this file.
        let Some(last) = path.segments.last() else {
            return false;
        };
        let first = path.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
        let local_path = path.segments.len() == 1 || matches!(first.as_str(), "crate" | "self" | "super");
        if !local_path {
            return false;
        }
        let name = last.ident.to_string();
        if !seen.insert(name.clone()) {
            return false;
        }
        self.traits.iter().filter(|t| t.ident == name).any(|t| {
            let supers = t.supertraits.iter().any(|b| self.bound_implies(b, which, seen));
            let where_self = t.generics.where_clause.iter().flat_map(|w| w.predicates.iter()).any(|p| match p {
                syn::WherePredicate::Type(pt) if is_ident_type(&pt.bounded_ty, "Self") => {
                    pt.bounds.iter().any(|b| self.bound_implies(b, which, seen))
                }
                _ => false,
            });
            supers || where_self
        })
    }

    fn bound_implies(&self, bound: &syn::TypeParamBound, which: &str, seen: &mut HashSet<String>) -> bool {
        match bound {
            syn::TypeParamBound::Trait(t) if matches!(t.modifier, syn::TraitBoundModifier::None) => {
                self.implies(&t.path, which, seen)
            }
            _ => false,
        }
    }
}

fn is_ident_type(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// Every bound written on the type parameter `name`, in the generics and the `where` clause.
fn bounds_of<'g>(generics: &'g syn::Generics, name: &syn::Ident) -> Vec<&'g syn::TypeParamBound> {
    let mut out: Vec<&syn::TypeParamBound> = Vec::new();
    for p in generics.type_params().filter(|p| p.ident == *name) {
        out.extend(p.bounds.iter());
    }
    if let Some(w) = &generics.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(pt) = pred {
                if pt.lifetimes.is_none() && is_ident_type(&pt.bounded_ty, &name.to_string()) {
                    out.extend(pt.bounds.iter());
                }
            }
        }
    }
    out
}

fn check_impl(cx: &FileCx<'_>, imp: &ImplFact<'_>, which: &'static str, traits: &LocalTraits<'_>) {
    let item = imp.item;
    let mut unbounded: Vec<&syn::TypeParam> = Vec::new();
    for param in item.generics.type_params() {
        let bounds = bounds_of(&item.generics, &param.ident);
        let satisfied = |needed: &str| bounds.iter().any(|b| traits.bound_implies(b, needed, &mut HashSet::new()));
        let ok = match which {
            "Send" => satisfied("Send"),
            _ => satisfied("Sync") || satisfied("Send"),
        };
        if !ok && is_held(cx, imp, &param.ident.to_string()) {
            unbounded.push(param);
        }
    }
    if unbounded.is_empty() {
        return;
    }
    let ty = type_text(&item.self_ty);
    let message = if which == "Send" {
        let listed: Vec<String> = unbounded.iter().map(|p| format!("`{}: Send`", p.ident)).collect();
        format!("`unsafe impl Send for {ty}` does not require {}", join_or(&listed, "or"))
    } else {
        let listed: Vec<String> = unbounded.iter().map(|p| format!("`{}`", p.ident)).collect();
        format!("`unsafe impl Sync for {ty}` requires neither `Sync` nor `Send` of {}", join_or(&listed, "and"))
    };
    let first = unbounded[0];
    let primary = cx.span_of(first.ident.span());
    let header = cx.span_of(item.impl_token.span).to(cx.span(&*item.self_ty));
    let header = match item.unsafety {
        Some(u) => cx.span_of(u.span).to(header),
        None => header,
    };
    let what = if which == "Send" { "be moved to another thread" } else { "be shared between threads" };
    let mut d = Diagnostic::new(&SEND_SYNC_IMPL_UNBOUNDED, primary, message)
        .primary_label(format!("`{}` may be any type, thread-safe or not", first.ident));
    for p in &unbounded[1..] {
        d = d.label(cx.span_of(p.ident.span()), format!("`{}` is unbounded too", p.ident));
    }
    d = d.label(header, format!("this lets `{ty}` {what} even when `{}` cannot", first.ident));
    let (bound, help) = if which == "Send" {
        ("Send", format!("require `{}: Send` so that only thread-safe parameters can cross threads", first.ident))
    } else {
        (
            "Send + Sync",
            format!(
                "require `{p}: Send + Sync`; `{p}: Sync` is enough if the type only hands out `&{p}`, and `{p}: Send` if it gives one thread at a time `&mut {p}` (as `Mutex` does)",
                p = first.ident
            ),
        )
    };
    d = d.help(help);
    let edits: Vec<Edit> = unbounded.iter().map(|p| bound_edit(cx, p, bound)).collect();
    d.suggestions.push(Suggestion {
        message: format!("add the `{bound}` bound"),
        edits,
        applicability: Applicability::MaybeIncorrect,
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// Whether values of the parameter may be held by the type: always, unless the type is defined
/// in this file and no field names the parameter outside `PhantomData` and signatures.
fn is_held(cx: &FileCx<'_>, imp: &ImplFact<'_>, param: &str) -> bool {
    let Some(self_name) = &imp.self_name else {
        return true;
    };
    let syn::Type::Path(p) = &*imp.item.self_ty else {
        return true;
    };
    let Some(last) = p.path.segments.last() else {
        return true;
    };
    // The parameter's position in the self type's arguments decides which of the type's own
    // parameters it stands for: `impl<U> Send for Foo<U>` with `struct Foo<T>`.
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return true;
    };
    let position = args
        .args
        .iter()
        .filter(|a| matches!(a, syn::GenericArgument::Type(_)))
        .position(|a| matches!(a, syn::GenericArgument::Type(t) if is_ident_type(t, param)));
    let Some(position) = position else {
        return true;
    };
    let defs: Vec<_> = cx.facts.types.iter().filter(|t| t.ident == self_name.as_str()).collect();
    if defs.is_empty() {
        return true;
    }
    defs.iter().any(|def| {
        let Some(own) = def.generics.type_params().nth(position) else {
            return true;
        };
        let own = own.ident.to_string();
        def.fields.iter().any(|f| f.mentions(&own))
    })
}

/// Inserts `: Send` after a bare parameter, or ` + Send` after its last bound.
fn bound_edit(cx: &FileCx<'_>, p: &syn::TypeParam, bound: &str) -> Edit {
    match p.bounds.last() {
        Some(last) => {
            let end = cx.span(last).end as usize;
            Edit { span: Span::new(cx.file, end, end), replacement: format!(" + {bound}") }
        }
        None => {
            let end = cx.span_of(p.ident.span()).end as usize;
            Edit { span: Span::new(cx.file, end, end), replacement: format!(": {bound}") }
        }
    }
}

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
