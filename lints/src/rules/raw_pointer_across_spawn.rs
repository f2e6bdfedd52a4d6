use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::{BindingId, Family, Spawn, Spawner};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::HashMap;
use syn::visit::{self, Visit};
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Finds a spawned closure, async block or spawned call (`tokio::spawn(work(p))`) that
    /// captures a raw pointer from the spawning code:
    ///
    /// - a binding initialised with a raw pointer: `&x as *const _`, `v.as_ptr()`,
    ///   `v.as_mut_ptr()`, `ptr::null()`, `Box::into_raw(b)`, `NonNull::new(p)`,
    ///   `ptr::addr_of!(x)`, `&raw const x`, or typed `*const T`/`*mut T`/`NonNull<T>`;
    /// - a raw pointer turned into an integer to get past the compiler (`p as usize`,
    ///   `p.addr()`) and turned back into a pointer in the spawned code (`addr as *mut T`,
    ///   `ptr::with_exposed_provenance(addr)`); an address only compared or printed is a number;
    /// - a value of a wrapper type defined in the same file that holds a raw pointer and has
    ///   an `unsafe impl Send` or `unsafe impl Sync` requiring nothing of what it holds (the
    ///   usual `struct SendPtr(*mut T)` trick, `unsafe impl<T> Send for SendPtr<T> {}`), built
    ///   in sight (`SendPtr(p)`, `SendPtr::new(p)`, `SendPtr { .. }`) or typed;
    /// - a value of such a type whose every `unsafe impl` does carry a `Send`/`Sync` bound
    ///   (`unsafe impl<T: Send + Sync> Send for MyArc<T>`, `where Bytes: Send`) only when it
    ///   is built in sight from a raw pointer (`View::new(data.as_ptr())`).
    ///
    /// A crate's own `Arc`-, `Box`- or collection-like type, whose bounded `unsafe impl`s make
    /// it thread-safe exactly when what it owns is, is a real argument and not the `SendPtr`
    /// trick: moving a value of it built from owned data (`MyArc::new(v)`,
    /// `LruCache::new(10)`) into a thread is left alone, as moving a `std::sync::Arc` is.
    ///
    /// Every spawn counts, scoped ones (`thread::scope`, `rayon::scope`) included.
    ///
    /// ### Why is this bad
    /// Go's loop-variable rule exists because goroutines share what they capture. Rust's
    /// ownership rules stop that bug at compile time, and a raw pointer is how code opts out:
    /// the compiler no longer checks that the pointee outlives the thread, nor that no other
    /// thread writes to it at the same time. A `SendPtr` wrapper goes further and switches the
    /// `Send` check off for the whole value. The soundness of the spawn now rests on an
    /// argument no tool verifies, and the next edit to the spawning function can break it.
    ///
    /// ### Known problems
    /// A pointer that reaches the spawn through a struct field or a function defined
    /// elsewhere is not seen, and neither is a wrapper type defined in another file. A bounded
    /// type built from a pointer somewhere out of sight (in a function of another file) is
    /// taken for one that owns its data.
    ///
    /// ### Example
    /// ```rust,ignore
    /// struct SendPtr(*mut u64);
    /// unsafe impl Send for SendPtr {}
    ///
    /// let p = SendPtr(counts.as_mut_ptr());
    /// let worker = std::thread::spawn(move || unsafe { *p.0 += 1 });
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let counts = Arc::new(Mutex::new(counts));
    /// let worker = std::thread::spawn({
    ///     let counts = Arc::clone(&counts);
    ///     move || counts.lock().unwrap()[0] += 1
    /// });
    /// // or, for disjoint parts of one buffer:
    /// std::thread::scope(|s| {
    ///     for chunk in counts.chunks_mut(1024) {
    ///         s.spawn(move || chunk.iter_mut().for_each(|c| *c += 1));
    ///     }
    /// });
    /// ```
    pub static RAW_POINTER_ACROSS_SPAWN = {
        name: "raw_pointer_across_spawn",
        rule: Some(Rule::CapturedState),
        category: Suspicious,
        cost: Leak,
        summary: "a spawned thread or task captures a raw pointer or a `SendPtr`-style wrapper",
        why: "a raw pointer switches off the compiler's checks of lifetime and exclusive access across threads",
    };
}

/// How a captured binding carries a raw pointer.
#[derive(Clone, Debug)]
enum Carrier {
    /// A raw pointer (or `NonNull`): where it was made, and how.
    Pointer { origin: Span, how: &'static str },
    /// A raw pointer cast to an integer.
    Address { origin: Span },
    /// A value of a local wrapper type with `unsafe impl Send`/`Sync`.
    Wrapper { origin: Span, type_name: String, impl_span: Span, trait_name: &'static str },
}

/// A local type that holds a raw pointer and has `unsafe impl Send`/`Sync`.
#[derive(Clone, Copy)]
struct Wrapper {
    /// The `unsafe impl` header shown.
    impl_span: Span,
    /// `Send` or `Sync`.
    trait_name: &'static str,
    /// Every `unsafe impl` of the type requires `Send`/`Sync` of what it holds
    /// ([`has_thread_bound`]): it is thread-safe for what it owns, like `Arc<T>`, and only a
    /// value built in sight from a raw pointer carries one across.
    bounded: bool,
}

/// Local wrapper types by name.
type Wrappers = HashMap<String, Wrapper>;

pub fn check(cx: &FileCx<'_>) {
    if cx.facts.spawns.is_empty() {
        return;
    }
    let wrappers = wrapper_types(cx);
    let calls: HashMap<*const Expr, usize> =
        cx.facts.calls.iter().enumerate().map(|(i, c)| (c.expr as *const Expr, i)).collect();
    let uses: HashMap<*const Expr, BindingId> =
        cx.facts.uses.iter().filter_map(|u| Some((u.expr? as *const Expr, u.binding))).collect();
    let classifier = Classifier { cx, wrappers: &wrappers, calls: &calls, uses: &uses };
    let bodies: Vec<(usize, Span)> =
        cx.facts.spawns.iter().enumerate().filter_map(|(i, s)| Some((i, cx.span(s.body?)))).collect();
    let mut reported: std::collections::HashSet<(usize, BindingId)> = Default::default();
    for (index, binding) in cx.facts.bindings.iter().enumerate() {
        let id = BindingId(index as u32);
        let Some(carrier) = classifier.classify(id, 0) else {
            continue;
        };
        for u in cx.facts.uses_of(id) {
            // The innermost spawn whose spawned code holds the use but not the declaration.
            let capturing = bodies
                .iter()
                .filter(|(_, b)| contains(*b, u.span) && !contains(*b, binding.span))
                .min_by_key(|(_, b)| b.end - b.start);
            let Some((spawn_index, _)) = capturing else {
                continue;
            };
            let spawn = &cx.facts.spawns[*spawn_index];
            // An address is a pointer again only where it is cast back; compared or printed,
            // it is just a number.
            if matches!(carrier, Carrier::Address { .. })
                && !spawn.body.is_some_and(|b| turns_into_pointer(b, &binding.name))
            {
                continue;
            }
            if !reported.insert((*spawn_index, id)) {
                continue;
            }
            report(cx, spawn, &binding.name, u.span, &carrier);
        }
    }
}

/// Whether `body` turns the integer `name` back into a pointer: `name as *mut T`, or
/// `ptr::with_exposed_provenance(name)` and the like. Only run for captured addresses (rare).
fn turns_into_pointer(body: &Expr, name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
        depth: usize,
    }
    impl<'a> Visit<'a> for Finder<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found || self.depth > 200 {
                return;
            }
            let names = |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident(self.name));
            match e {
                Expr::Cast(c) if matches!(&*c.ty, syn::Type::Ptr(_)) && names(&c.expr) => self.found = true,
                Expr::Call(c) => {
                    let provenance = matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| {
                        let f = s.ident.to_string();
                        f.contains("provenance") || f == "from_exposed_addr" || f == "from_exposed_addr_mut"
                    }));
                    if provenance && c.args.iter().any(names) {
                        self.found = true;
                    }
                }
                _ => {}
            }
            self.depth += 1;
            visit::visit_expr(self, e);
            self.depth -= 1;
        }
    }
    let mut f = Finder { name, found: false, depth: 0 };
    f.visit_expr(body);
    f.found
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Types defined in this file that hold a raw pointer and are declared `Send`/`Sync` by an
/// `unsafe impl` in this file.
fn wrapper_types(cx: &FileCx<'_>) -> Wrappers {
    let mut out = Wrappers::new();
    for imp in &cx.facts.impls {
        let (Some(trait_name), Some(name)) = (imp.unsafe_auto_trait, &imp.self_name) else {
            continue;
        };
        let holds_pointer = cx.facts.types_named(name).any(|t| t.fields.iter().any(|f| f.holds_raw_pointer));
        if !holds_pointer {
            continue;
        }
        let item = imp.item;
        let header = cx.span_of(item.impl_token.span).to(cx.span(&*item.self_ty));
        let impl_span = item.unsafety.map(|u| cx.span_of(u.span).to(header)).unwrap_or(header);
        let this = Wrapper { impl_span, trait_name, bounded: has_thread_bound(&item.generics) };
        // Show an unbounded impl first, then `Send`: the impl that lets the value move into the
        // thread.
        match out.get_mut(name) {
            None => {
                out.insert(name.clone(), this);
            }
            Some(known) => {
                let rank = |w: &Wrapper| (!w.bounded, w.trait_name == "Send");
                let bounded = known.bounded && this.bounded;
                if rank(&this) > rank(known) {
                    *known = this;
                }
                known.bounded = bounded;
            }
        }
    }
    out
}

/// Whether an impl's generics require `Send` or `Sync` of something (`impl<T: Send + Sync>`,
/// `where T: Sync`, `where Bytes: Send`). Such an impl makes the type thread-safe exactly when
/// what it holds is: the argument of `Arc<T>` or `Box<T>`, not the `SendPtr` trick of
/// switching the check off whatever the pointee.
fn has_thread_bound(generics: &syn::Generics) -> bool {
    let is_thread_bound = |b: &syn::TypeParamBound| matches!(b, syn::TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| s.ident == "Send" || s.ident == "Sync"));
    let on_params = generics.type_params().any(|p| p.bounds.iter().any(is_thread_bound));
    let in_where = generics.where_clause.as_ref().is_some_and(|w| {
        w.predicates.iter().any(|p| matches!(p, syn::WherePredicate::Type(t) if t.bounds.iter().any(is_thread_bound)))
    });
    on_params || in_where
}

struct Classifier<'c, 'a> {
    cx: &'c FileCx<'a>,
    wrappers: &'c Wrappers,
    calls: &'c HashMap<*const Expr, usize>,
    uses: &'c HashMap<*const Expr, BindingId>,
}

const MAX_DEPTH: usize = 8;

impl Classifier<'_, '_> {
    fn classify(&self, id: BindingId, depth: usize) -> Option<Carrier> {
        if depth > MAX_DEPTH {
            return None;
        }
        let b = self.cx.facts.binding(id);
        if let Some(ty) = b.ty {
            if let Some(c) = self.classify_type(ty) {
                return Some(c);
            }
        }
        // A `for` element is an element of its iterable, not the iterable itself.
        if b.kind == crate::facts::BindingKind::ForElement {
            return None;
        }
        self.classify_expr(b.init?, depth + 1)
    }

    fn classify_type(&self, ty: &syn::Type) -> Option<Carrier> {
        let origin = self.cx.span(ty);
        match ty {
            syn::Type::Ptr(_) => Some(Carrier::Pointer { origin, how: "declared as a raw pointer here" }),
            syn::Type::Paren(p) => self.classify_type(&p.elem),
            syn::Type::Path(p) if p.qself.is_none() => {
                let last = p.path.segments.last()?;
                let name = last.ident.to_string();
                let written: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                let is_nonnull = name == "NonNull"
                    && matches!(written.as_slice(), [_] | [_, _] | [_, _, _])
                    && written.iter().all(|s| matches!(s.as_str(), "std" | "core" | "ptr" | "NonNull"));
                if is_nonnull {
                    return Some(Carrier::Pointer { origin, how: "declared as a `NonNull` pointer here" });
                }
                if is_local_path(&p.path) {
                    if let Some(w) = self.wrappers.get(&name).filter(|w| !w.bounded) {
                        let (impl_span, trait_name) = (w.impl_span, w.trait_name);
                        return Some(Carrier::Wrapper { origin, type_name: name, impl_span, trait_name });
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn classify_expr(&self, e: &Expr, depth: usize) -> Option<Carrier> {
        if depth > MAX_DEPTH {
            return None;
        }
        let origin = self.cx.span(e);
        match e {
            Expr::Cast(c) => {
                if matches!(&*c.ty, syn::Type::Ptr(_)) {
                    return Some(Carrier::Pointer { origin, how: "raw pointer made here by a cast" });
                }
                if is_integer_type(&c.ty) {
                    return match self.classify_expr(&c.expr, depth + 1)? {
                        Carrier::Pointer { .. } | Carrier::Address { .. } => Some(Carrier::Address { origin }),
                        Carrier::Wrapper { .. } => None,
                    };
                }
                None
            }
            Expr::RawAddr(_) => Some(Carrier::Pointer { origin, how: "raw pointer made here with `&raw`" }),
            Expr::Paren(p) => self.classify_expr(&p.expr, depth + 1),
            // A reference to a pointer or wrapper carries it into the spawn just the same.
            Expr::Reference(r) => self.classify_expr(&r.expr, depth + 1),
            Expr::Group(g) => self.classify_expr(&g.expr, depth + 1),
            Expr::Unsafe(u) => self.classify_block(&u.block, depth),
            Expr::Block(b) => self.classify_block(&b.block, depth),
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                match name.as_str() {
                    "as_ptr" | "as_mut_ptr" | "as_non_null_ptr" => {
                        let how = if name == "as_ptr" {
                            "raw pointer from `.as_ptr()` here"
                        } else {
                            "raw pointer from `.as_mut_ptr()` here"
                        };
                        Some(Carrier::Pointer { origin, how })
                    }
                    "cast" | "cast_mut" | "cast_const" | "add" | "sub" | "offset" | "wrapping_add" | "wrapping_sub"
                    | "wrapping_offset" | "byte_add" | "byte_offset" | "clone" | "unwrap" | "expect" => {
                        self.classify_expr(&m.receiver, depth + 1)
                    }
                    "addr" | "expose_provenance" | "expose_addr" => {
                        match self.classify_expr(&m.receiver, depth + 1)? {
                            Carrier::Pointer { .. } => Some(Carrier::Address { origin }),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            Expr::Call(c) => self.classify_call(e, c, origin, depth),
            Expr::Struct(s) => {
                let name = s.path.segments.last()?.ident.to_string();
                let fields: Vec<&Expr> = s.fields.iter().map(|f| &f.expr).collect();
                self.wrapper_value(&s.path, &name, origin, &fields, depth)
            }
            Expr::Path(_) => {
                let id = self.uses.get(&(e as *const Expr))?;
                self.classify(*id, depth + 1)
            }
            _ => None,
        }
    }

    fn classify_block(&self, b: &syn::Block, depth: usize) -> Option<Carrier> {
        match b.stmts.last()? {
            syn::Stmt::Expr(tail, None) => self.classify_expr(tail, depth + 1),
            _ => None,
        }
    }

    /// A value of a local wrapper type: any, for an unbounded wrapper; for a bounded one, only
    /// a value built from a raw pointer made in sight (`SyncConst::new(v.as_ptr())`).
    fn wrapper_value(
        &self,
        path: &syn::Path,
        name: &str,
        origin: Span,
        parts: &[&Expr],
        depth: usize,
    ) -> Option<Carrier> {
        if !is_local_path(path) {
            return None;
        }
        let w = self.wrappers.get(name)?;
        if w.bounded && !self.built_from_pointer(parts, depth) {
            return None;
        }
        let (impl_span, trait_name) = (w.impl_span, w.trait_name);
        Some(Carrier::Wrapper { origin, type_name: name.to_string(), impl_span, trait_name })
    }

    fn built_from_pointer(&self, parts: &[&Expr], depth: usize) -> bool {
        parts.iter().any(|p| {
            matches!(self.classify_expr(p, depth + 1), Some(Carrier::Pointer { .. } | Carrier::Address { .. }))
        })
    }

    fn classify_call(&self, e: &Expr, c: &syn::ExprCall, origin: Span, depth: usize) -> Option<Carrier> {
        let Expr::Path(p) = &*c.func else { return None };
        let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let last = segments.last()?.as_str();
        let args: Vec<&Expr> = c.args.iter().collect();
        // `SendPtr(p)` (tuple-struct constructor) and `SendPtr::new(p)`.
        if let Some(w) = self.wrapper_value(&p.path, last, origin, &args, depth) {
            return Some(w);
        }
        if segments.len() >= 2 {
            let ty = segments[segments.len() - 2].as_str();
            if self.wrappers.contains_key(ty) && (segments.len() == 2 || is_local_path(&p.path)) {
                let w = self.wrappers[ty];
                if w.bounded && !self.built_from_pointer(&args, depth) {
                    return None;
                }
                let (impl_span, trait_name) = (w.impl_span, w.trait_name);
                return Some(Carrier::Wrapper { origin, type_name: ty.to_string(), impl_span, trait_name });
            }
        }
        if last == "__macro_addr_of" || last == "__macro_addr_of_mut" {
            return Some(Carrier::Pointer { origin, how: "raw pointer made here with `addr_of!`" });
        }
        let resolved = self.calls.get(&(e as *const Expr)).and_then(|i| self.cx.facts.calls[*i].resolved())?;
        let pointer = |how| Some(Carrier::Pointer { origin, how });
        match resolved {
            "std::ptr::null" | "std::ptr::null_mut" => pointer("null raw pointer made here"),
            "std::ptr::dangling"
            | "std::ptr::dangling_mut"
            | "std::ptr::without_provenance"
            | "std::ptr::without_provenance_mut"
            | "std::ptr::with_exposed_provenance"
            | "std::ptr::with_exposed_provenance_mut"
            | "std::ptr::from_ref"
            | "std::ptr::from_mut" => pointer("raw pointer made here"),
            _ => {
                let (ty, func) = resolved.rsplit_once("::")?;
                let ty_last = ty.rsplit("::").next().unwrap_or(ty);
                match (ty_last, func) {
                    ("Box" | "Arc" | "Rc" | "CString" | "Weak", "into_raw") => {
                        pointer("raw pointer from `into_raw` here")
                    }
                    ("NonNull", "new" | "new_unchecked" | "dangling" | "from" | "from_ref" | "from_mut") => {
                        pointer("`NonNull` pointer made here")
                    }
                    // A wrapper shared or boxed is still the wrapper.
                    ("Arc" | "Rc" | "Box", "new") => match self.classify_expr(c.args.first()?, depth + 1)? {
                        w @ Carrier::Wrapper { .. } => Some(w),
                        _ => None,
                    },
                    _ => None,
                }
            }
        }
    }
}

/// A path naming something in this crate: one segment, or `crate::`/`self::`/`super::`.
fn is_local_path(path: &syn::Path) -> bool {
    let first = path.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
    path.leading_colon.is_none()
        && (path.segments.len() == 1 || matches!(first.as_str(), "crate" | "self" | "super" | "Self"))
}

fn is_integer_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.get_ident().is_some_and(|i| i == "usize" || i == "u64" || i == "isize" || i == "i64"))
}

fn report(cx: &FileCx<'_>, spawn: &Spawn<'_>, name: &str, use_span: Span, carrier: &Carrier) {
    let what = if spawn.spawner.is_thread() { "thread" } else { "task" };
    let (message, label) = match carrier {
        Carrier::Pointer { .. } => (
            format!("spawned {what} captures the raw pointer `{name}`"),
            format!("`{name}` crosses into the {what} here"),
        ),
        Carrier::Address { .. } => (
            format!("spawned {what} captures `{name}`, a raw pointer cast to an integer"),
            format!("`{name}` crosses into the {what} here and is presumably turned back into a pointer"),
        ),
        Carrier::Wrapper { type_name, trait_name, .. } => (
            format!("spawned {what} captures `{name}`, a raw pointer wrapped in `{type_name}`"),
            format!("`{name}` crosses into the {what} here because `{type_name}` claims to be `{trait_name}`"),
        ),
    };
    let mut d = Diagnostic::new(&RAW_POINTER_ACROSS_SPAWN, use_span, message).primary_label(label);
    match carrier {
        Carrier::Pointer { origin, how } => d = d.label(*origin, *how),
        Carrier::Address { origin } => {
            d = d.label(*origin, "the pointer becomes an integer here, hiding it from the compiler")
        }
        Carrier::Wrapper { origin, impl_span, type_name, trait_name } => {
            d = d
                .label(*origin, format!("`{type_name}` holds a raw pointer"))
                .label(*impl_span, format!("`{trait_name}` asserted here, switching off the compiler's check"));
        }
    }
    d = d.label(spawn.callee_span, format!("{what} spawned here"));
    let help = match (spawn.spawner, spawn.spawner.family()) {
        (Spawner::StdScoped | Spawner::RayonScope, _) => {
            "borrow the data instead: scoped threads may capture references, so split it into disjoint parts (`chunks_mut`, `split_at_mut`, `iter_mut`) and move one `&mut` part into each spawn"
        }
        (_, Family::Std) => {
            "share owned data instead: `Arc<T>` (with a `Mutex`/`RwLock` or atomics for writes), send it through a channel, or use `std::thread::scope` so the thread can borrow it"
        }
        (_, Family::Rayon) => {
            "share owned data instead (`Arc<T>`, a channel), or use `rayon::scope` / parallel iterators (`par_chunks_mut`) so the work can borrow disjoint parts"
        }
        _ => "move owned data into the task instead: `Arc<T>` (with a `Mutex`/`RwLock` or atomics for writes), or send it through a channel",
    };
    d = d.help(help).note(format!(
        "nothing checks that the pointee outlives the {what} or that no one else writes to it at the same time"
    ));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
