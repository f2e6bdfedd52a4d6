//! Lock identity: which lock an expression names, within a function and across functions.
//!
//! A [`LockKey`] is a root (`self`, a local or parameter, a `static`, a `thread_local!`) and a
//! field path (`.state`, `[0]`). The pass asks for the key of each receiver it locks
//! ([`Pass::lock_key`]), seeing through references, shallow clones (`Arc::clone(&a)`, the
//! `.clone()` of an `Arc` field or local), lazily initialised statics (`POOL.get_or_init(…)`)
//! and locals that are another name for a lock (`let m = &self.m;`); and for the name it has
//! across functions ([`Pass::global_key`]: `Bank.accounts`, `static NAME`, a local by where it
//! is declared). It is separate because these rules decide which acquisitions are "the same
//! lock", the question every lock lint turns on, and they read only bindings and declared
//! types, never the guards the pass tracks.

use super::kinds::local_lock_type;
use super::pass::{call_path_text, strip_parens, Pass};
use crate::facts::{BindingId, BindingKind};
use syn::Expr;

/// Where a lock path starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyRoot {
    /// `self`.
    SelfValue,
    /// A local binding or parameter of the function.
    Local(BindingId),
    /// A `static` (or another path that is not a local), by its last segment.
    Static(String),
    /// A `thread_local!` static, seen through `NAME.with(|lock| …)`: each thread has its own,
    /// so it is never named across functions (two threads never share it).
    ThreadLocal(String),
}

/// The identity of a lock within one function: a root and a field path, e.g. `self` + `.state`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LockKey {
    pub root: KeyRoot,
    /// `.a.b`, `[0]`; empty for the root itself.
    pub path: String,
    /// How many times the root local was assigned before (`node = next;` names another lock).
    pub generation: u32,
}

/// How [`LockKey`]s rooted at a local of the function begin as names across functions
/// ([`super::Acquisition::global`]): `local a@120.state`.
pub const LOCAL_KEY_PREFIX: &str = "local ";

impl Pass<'_, '_> {
    /// `NAME.with(|lock| …)` on a `thread_local!` lock of the file (a static whose type is a
    /// `Mutex` or `RwLock`: only a `LocalKey` has `with`): the closure runs on the spot, and its
    /// parameter is this thread's lock.
    pub(super) fn thread_local_with(&self, m: &syn::ExprMethodCall) -> Option<LockKey> {
        if m.method != "with" || m.args.len() != 1 || !matches!(&m.args[0], Expr::Closure(_)) {
            return None;
        }
        let Expr::Path(p) = strip_parens(&m.receiver) else { return None };
        if p.qself.is_some() || p.path.get_ident().is_some_and(|i| i == "self" || self.binding_of(i).is_some()) {
            return None;
        }
        let name = &p.path.segments.last()?.ident;
        let item = self.facts.statics.iter().find(|s| s.item.ident == *name)?;
        let ty = type_last_name(&item.item.ty)?;
        local_lock_type(&ty)?;
        Some(LockKey { root: KeyRoot::ThreadLocal(name.to_string()), path: String::new(), generation: 0 })
    }

    /// The type a lock path's value has, when the file shows it: `self.peer` by the field's
    /// declared type in the `impl`'s type, `other` by a parameter's or a `let`'s annotation
    /// (`Self` is the `impl`'s type). References, `Arc`, `Rc` and `Box` are seen through.
    pub(super) fn type_of_key(&self, key: &LockKey) -> Option<String> {
        let mut ty = match &key.root {
            KeyRoot::SelfValue => self.self_ty.clone()?,
            KeyRoot::Local(b) => {
                let t = self.facts.binding(*b).ty?;
                self.type_name(t)?
            }
            KeyRoot::Static(_) | KeyRoot::ThreadLocal(_) => return None,
        };
        if key.path.is_empty() {
            return Some(ty);
        }
        if key.path.contains('[') {
            return None;
        }
        for field in key.path.split('.').skip(1) {
            let mut defs = self.facts.types.iter().filter(|t| t.ident == ty.as_str());
            let def = defs.next()?;
            if defs.next().is_some() {
                return None;
            }
            let f = def.fields.iter().find(|f| f.field.ident.as_ref().is_some_and(|i| i == field))?;
            ty = self.type_name(&f.field.ty)?;
        }
        Some(ty)
    }

    /// [`binding_type_name`], with `Self` as the `impl`'s type.
    fn type_name(&self, ty: &syn::Type) -> Option<String> {
        fn is_self(ty: &syn::Type) -> bool {
            match ty {
                syn::Type::Reference(r) => is_self(&r.elem),
                syn::Type::Paren(p) => is_self(&p.elem),
                syn::Type::Path(p) => p.qself.is_none() && p.path.is_ident("Self"),
                _ => false,
            }
        }
        if is_self(ty) {
            return self.self_ty.clone();
        }
        binding_type_name(ty)
    }

    /// The identity of the lock a receiver expression names, within this function.
    pub(super) fn lock_key(&self, e: &Expr) -> Option<LockKey> {
        self.lock_key_in(e, false, 0)
    }

    /// [`Self::lock_key`]; `alias` when `e` is the initializer of a local that names a lock
    /// (see [`Self::alias_of`]): a `.clone()` on the way must then be a shallow one.
    fn lock_key_in(&self, e: &Expr, alias: bool, depth: u8) -> Option<LockKey> {
        let mut path: Vec<String> = Vec::new();
        let mut cur = e;
        for _ in 0..32 {
            match cur {
                Expr::Paren(p) => cur = &p.expr,
                Expr::Group(g) => cur = &g.expr,
                Expr::Reference(r) => cur = &r.expr,
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => cur = &u.expr,
                Expr::MethodCall(m) if m.args.is_empty() && m.method == "clone" => {
                    if alias && !self.clone_is_shallow(&m.receiver) {
                        return None;
                    }
                    cur = &m.receiver
                }
                Expr::MethodCall(m) if lock_handle_method(&m.method.to_string(), m.args.len()) => {
                    if matches!(m.method.to_string().as_str(), "get" | "get_or_init" | "force")
                        && !self.is_lazy_place(&m.receiver)
                    {
                        return None;
                    }
                    cur = &m.receiver
                }
                Expr::Call(c) if c.args.len() == 1 => {
                    let text = call_path_text(c)?;
                    if !is_shared_clone_call(&text) && !is_lazy_force_call(&text) {
                        return None;
                    }
                    cur = &c.args[0];
                }
                Expr::Field(f) => {
                    path.push(match &f.member {
                        syn::Member::Named(n) => format!(".{n}"),
                        syn::Member::Unnamed(i) => format!(".{}", i.index),
                    });
                    cur = &f.base;
                }
                Expr::Index(x) => {
                    let Expr::Lit(l) = strip_parens(&x.index) else { return None };
                    let syn::Lit::Int(n) = &l.lit else { return None };
                    path.push(format!("[{}]", n.base10_digits()));
                    cur = &x.expr;
                }
                Expr::Path(p) => {
                    if p.qself.is_some() {
                        return None;
                    }
                    let root = match p.path.get_ident() {
                        Some(id) if id == "self" => KeyRoot::SelfValue,
                        Some(id) => match self.binding_of(id) {
                            Some(b) => {
                                if let Some(origin) =
                                    self.param_keys.get(&b).cloned().or_else(|| self.alias_of(b, depth))
                                {
                                    path.reverse();
                                    return Some(LockKey {
                                        root: origin.root,
                                        path: format!("{}{}", origin.path, path.concat()),
                                        generation: origin.generation,
                                    });
                                }
                                KeyRoot::Local(b)
                            }
                            None => KeyRoot::Static(id.to_string()),
                        },
                        None => KeyRoot::Static(p.path.segments.last()?.ident.to_string()),
                    };
                    path.reverse();
                    let generation = match &root {
                        KeyRoot::Local(b) => self.generations.get(b).copied().unwrap_or(0),
                        _ => 0,
                    };
                    return Some(LockKey { root, path: path.concat(), generation });
                }
                _ => return None,
            }
        }
        None
    }

    /// The lock a local is another name for: `let a2 = Arc::clone(&a);`, `let s =
    /// self.state.clone();` (an `Arc` or `Rc` field or local: the clone shares the lock),
    /// `let m = &self.m;`, `let m = POOL.get_or_init(…);`. Only a `let` that is never
    /// reassigned, of a root that is not either (`let mut a = …; a = other;` would make the
    /// name another lock).
    fn alias_of(&self, b: BindingId, depth: u8) -> Option<LockKey> {
        if depth >= 4 {
            return None;
        }
        let binding = self.facts.binding(b);
        if binding.mutable {
            return None;
        }
        let init = match (binding.kind, binding.tuple_init) {
            (BindingKind::Let, _) => binding.init?,
            // `let (a2, b2) = (a.clone(), b.clone());`
            (BindingKind::Pattern, Some((init, i))) => match strip_parens(init) {
                Expr::Tuple(t) => t.elems.iter().nth(i)?,
                _ => return None,
            },
            _ => return None,
        };
        let key = self.lock_key_in(init, true, depth + 1)?;
        match key.root {
            KeyRoot::Local(r) if self.facts.binding(r).mutable => None,
            _ => Some(key),
        }
    }

    /// A `static` (`POOL.get_or_init(…)`: a `OnceLock` or `Lazy`; a local's `.get()` may
    /// hand out a new value each time, a pool's connection), or a field every struct of the
    /// file declares as a `OnceLock`, `OnceCell`, `Lazy` or `LazyLock`.
    fn is_lazy_place(&self, x: &Expr) -> bool {
        match strip_parens(x) {
            Expr::Reference(r) => self.is_lazy_place(&r.expr),
            Expr::Path(p) => match p.path.get_ident() {
                Some(id) => id != "self" && self.binding_of(id).is_none(),
                None => p.qself.is_none(),
            },
            Expr::Field(f) => {
                let syn::Member::Named(name) = &f.member else { return false };
                self.every_field_named(name, |ty| {
                    type_last_name(ty)
                        .is_some_and(|n| matches!(n.as_str(), "OnceLock" | "OnceCell" | "Lazy" | "LazyLock"))
                })
            }
            _ => false,
        }
    }

    /// Some struct of the file has a field `name`, and each such field's type passes `test`.
    fn every_field_named(&self, name: &syn::Ident, test: impl Fn(&syn::Type) -> bool) -> bool {
        let mut declared = self
            .facts
            .types
            .iter()
            .flat_map(|t| t.fields.iter())
            .filter(|fd| fd.field.ident.as_ref() == Some(name))
            .peekable();
        declared.peek().is_some() && declared.all(|fd| test(&fd.field.ty))
    }

    /// `x.clone()` shares `x`'s lock: the file shows `x` is an `Arc` or `Rc` (a local built by
    /// `Arc::new`, or declared, or a field every struct of the file declares so). Another
    /// type's `clone()` may copy the lock into a new one.
    fn clone_is_shallow(&self, x: &Expr) -> bool {
        match strip_parens(x) {
            Expr::Reference(r) => self.clone_is_shallow(&r.expr),
            Expr::Path(p) if p.path.is_ident("self") => {
                // `self: &Arc<Self>`, `self: Arc<Self>`.
                self.facts.func(self.fn_id).sig.inputs.iter().any(|i| match i {
                    syn::FnArg::Receiver(r) => r.colon_token.is_some() && is_shared_pointer_type(&r.ty),
                    syn::FnArg::Typed(_) => false,
                })
            }
            Expr::Path(p) => {
                let Some(b) = p.path.get_ident().and_then(|i| self.binding_of(i)) else { return false };
                let binding = self.facts.binding(b);
                if let Some(ty) = binding.ty {
                    return is_shared_pointer_type(ty);
                }
                match binding.init.map(strip_parens) {
                    Some(Expr::Call(c)) if binding.kind == BindingKind::Let => {
                        call_path_text(c).is_some_and(|t| is_shared_new_call(&t) || is_shared_clone_call(&t))
                    }
                    Some(Expr::MethodCall(m)) if binding.kind == BindingKind::Let && m.method == "clone" => {
                        m.args.is_empty() && self.clone_is_shallow(&m.receiver)
                    }
                    _ => false,
                }
            }
            Expr::Field(f) => {
                let syn::Member::Named(name) = &f.member else { return false };
                self.every_field_named(name, is_shared_pointer_type)
            }
            _ => false,
        }
    }

    /// The lock's identity across functions: `self.x` in `impl Bank` is `Bank.x`, `s.x` with
    /// `s: &Bank` too, a static is `static NAME`.
    pub(super) fn global_key(&self, k: &LockKey) -> Option<String> {
        match &k.root {
            KeyRoot::SelfValue if !k.path.is_empty() => Some(format!("{}{}", self.self_ty.as_ref()?, k.path)),
            KeyRoot::SelfValue => None,
            KeyRoot::Local(id) => {
                let b = self.facts.binding(*id);
                match b.kind {
                    BindingKind::Param if !k.path.is_empty() => {
                        Some(format!("{}{}", binding_type_name(b.ty?)?, k.path))
                    }
                    // A lock of this call of the function (and of what it spawns): named by
                    // where it is declared, compared only within the file
                    // (`lock_order_inversion` pairs it only across a spawn).
                    BindingKind::Param | BindingKind::Let | BindingKind::Pattern
                        if k.generation == 0
                            && !b.mutable
                            && (b.kind != BindingKind::Pattern || b.tuple_init.is_some()) =>
                    {
                        Some(format!("{LOCAL_KEY_PREFIX}{}@{}{}", b.name, b.span.start, k.path))
                    }
                    _ => None,
                }
            }
            KeyRoot::Static(n) => Some(format!("static {n}{}", k.path)),
            KeyRoot::ThreadLocal(_) => None,
        }
    }
}

/// The type name of a binding, for lock identities across functions: `state: &AppState` is
/// `AppState`.
fn binding_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => binding_type_name(&r.elem),
        syn::Type::Paren(p) => binding_type_name(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            if matches!(name.as_str(), "Arc" | "Rc" | "Box" | "Pin") {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    return args.args.iter().find_map(|a| match a {
                        syn::GenericArgument::Type(t) => binding_type_name(t),
                        _ => None,
                    });
                }
                return None;
            }
            if name == "Self" {
                return None;
            }
            Some(name)
        }
        _ => None,
    }
}

/// `Arc::clone(&x)`, `Rc::clone(&x)`: another handle to the same value.
fn is_shared_clone_call(text: &str) -> bool {
    matches!(
        text,
        "Arc::clone"
            | "Rc::clone"
            | "std::sync::Arc::clone"
            | "std::rc::Rc::clone"
            | "sync::Arc::clone"
            | "rc::Rc::clone"
    )
}

/// `Arc::new(…)`, `Rc::new(…)`, `Arc::from(…)`: a value whose `clone()` shares it.
fn is_shared_new_call(text: &str) -> bool {
    let mut segs = text.rsplit("::");
    let func = segs.next().unwrap_or("");
    let ty = segs.next().unwrap_or("");
    matches!(ty, "Arc" | "Rc") && matches!(func, "new" | "from")
}

/// `Lazy::force(&L)`, `LazyLock::force(&L)`: the value `L` holds.
fn is_lazy_force_call(text: &str) -> bool {
    let mut segs = text.rsplit("::");
    segs.next() == Some("force") && matches!(segs.next(), Some("Lazy" | "LazyLock" | "LazyCell"))
}

/// A method that hands back (a reference to) the value it is called on, so the lock is the
/// same: `.as_ref()`, `.deref()`, `OnceLock::get_or_init(…)`, `.get().unwrap()`,
/// `.expect(…)`.
fn lock_handle_method(name: &str, nargs: usize) -> bool {
    match nargs {
        0 => matches!(name, "as_ref" | "deref" | "get" | "unwrap" | "force"),
        1 => matches!(name, "get_or_init" | "expect"),
        _ => false,
    }
}

/// `Arc<…>`, `Rc<…>`, behind references: a type whose `clone()` shares the value.
fn is_shared_pointer_type(ty: &syn::Type) -> bool {
    type_last_name(ty).is_some_and(|n| n == "Arc" || n == "Rc")
}

/// The last segment of a type's path, references seen through: `Arc` for `&Arc<Mutex<T>>`.
fn type_last_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => type_last_name(&r.elem),
        syn::Type::Paren(p) => type_last_name(&p.elem),
        syn::Type::Group(g) => type_last_name(&g.elem),
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
