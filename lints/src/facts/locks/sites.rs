//! Lock-method calls as the walk records them, and the type of the lock each one takes.
//!
//! During the one walk over the file ([`crate::facts::walk`]), every call of a lock method is
//! a [`LockSite`], typed when the file shows the receiver's type ([`receiver_lock_type`]: a
//! field's declared type resolved through `use`, a local built by `Mutex::new`, a parameter, a
//! `static`; wrappers such as `Arc` seen through) and marked when `&mut self` owns the lock
//! ([`lock_in_place`]). It is separate from the lock pass because it runs earlier, inside the
//! walk, through the [`LockTypeEnv`] the walk provides, and costs every file with a lock call,
//! while the pass runs only when a lint asks for the lock facts.

use super::kinds::{local_lock_type, lock_type_named, AcqMode, LockType};
use crate::facts::{BindingId, FnId};
use syn::Expr;

/// Wrapper types seen through when looking for a lock type: `Arc<Mutex<T>>` is a mutex.
const SEE_THROUGH: &[&str] =
    &["Arc", "Rc", "Box", "Pin", "Option", "LazyLock", "Lazy", "OnceLock", "OnceCell", "CachePadded", "ManuallyDrop"];

/// What the walk knows at a lock site, for typing its receiver.
pub trait LockTypeEnv<'a> {
    fn resolve_path(&self, path: &syn::Path) -> Option<String>;
    /// The local named `name` visible here (declared before `before` when given): its id, its
    /// declared type and its initializer.
    fn local(
        &self,
        name: &str,
        before: Option<BindingId>,
    ) -> Option<(BindingId, Option<&'a syn::Type>, Option<&'a Expr>)>;
    /// The declared type of the field `name`, when the file gives that name one type.
    fn field_type(&self, name: &str) -> Option<&'a syn::Type>;
    /// The declared type of the `static` item `name`.
    fn static_type(&self, name: &str) -> Option<&'a syn::Type>;
}

/// The lock type of a lock method's receiver, when the file shows it.
pub fn receiver_lock_type<'a>(env: &dyn LockTypeEnv<'a>, receiver: &Expr) -> Option<LockType> {
    expr_lock_type(env, receiver, None, 0)
}

fn expr_lock_type<'a>(
    env: &dyn LockTypeEnv<'a>,
    expr: &Expr,
    before: Option<BindingId>,
    depth: u8,
) -> Option<LockType> {
    if depth > 8 {
        return None;
    }
    let again = |e: &Expr| expr_lock_type(env, e, before, depth + 1);
    match expr {
        Expr::Paren(p) => again(&p.expr),
        Expr::Group(g) => again(&g.expr),
        Expr::Reference(r) => again(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => again(&u.expr),
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            let passes = match m.args.len() {
                0 => matches!(name.as_str(), "clone" | "as_ref" | "deref" | "borrow" | "unwrap" | "get" | "force"),
                1 => matches!(name.as_str(), "expect" | "get_or_init"),
                _ => false,
            };
            if passes {
                again(&m.receiver)
            } else {
                None
            }
        }
        Expr::Path(p) => {
            if p.qself.is_some() {
                return None;
            }
            if let Some(ident) = p.path.get_ident() {
                let name = ident.to_string();
                if name == "self" {
                    return None;
                }
                if let Some((id, ty, init)) = env.local(&name, before) {
                    if let Some(ty) = ty {
                        return type_lock_type(env, ty, 0);
                    }
                    return init.and_then(|i| expr_lock_type(env, i, Some(id), depth + 1));
                }
                return env.static_type(&name).and_then(|t| type_lock_type(env, t, 0));
            }
            // `Self::STATE`, `crate::STATE`: a static, by its last segment.
            let last = p.path.segments.last()?.ident.to_string();
            env.static_type(&last).and_then(|t| type_lock_type(env, t, 0))
        }
        Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => env.field_type(&n.to_string()).and_then(|t| type_lock_type(env, t, 0)),
            syn::Member::Unnamed(_) => None,
        },
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let Some(resolved) = env.resolve_path(&p.path) else {
                // `Mutex::new(…)` with a `Mutex` of this crate.
                let n = p.path.segments.len();
                let func = p.path.segments.last()?.ident.to_string();
                let ty = p.path.segments.iter().nth(n.checked_sub(2)?)?.ident.to_string();
                return if matches!(func.as_str(), "new" | "default" | "const_new") {
                    local_lock_type(&ty)
                } else {
                    None
                };
            };
            let (ty, func) = resolved.rsplit_once("::")?;
            if let Some(t) = lock_type_named(ty).or_else(|| local_lock_type(ty)) {
                return matches!(func, "new" | "default" | "const_new" | "from").then_some(t);
            }
            let last = ty.rsplit("::").next().unwrap_or(ty);
            if SEE_THROUGH.contains(&last) && matches!(func, "new" | "from" | "clone" | "pin") {
                return again(c.args.first()?);
            }
            None
        }
        _ => None,
    }
}

fn type_lock_type<'a>(env: &dyn LockTypeEnv<'a>, ty: &syn::Type, depth: u8) -> Option<LockType> {
    if depth > 8 {
        return None;
    }
    match ty {
        syn::Type::Reference(r) => type_lock_type(env, &r.elem, depth + 1),
        syn::Type::Paren(p) => type_lock_type(env, &p.elem, depth + 1),
        syn::Type::Group(g) => type_lock_type(env, &g.elem, depth + 1),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            if SEE_THROUGH.contains(&last.ident.to_string().as_str()) {
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
                return args.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(inner) => type_lock_type(env, inner, depth + 1),
                    _ => None,
                });
            }
            match env.resolve_path(&p.path) {
                Some(resolved) => lock_type_named(&resolved).or_else(|| {
                    // A bare name the file does not import (`Mutex` from a glob or the crate).
                    (!resolved.contains("::")).then(|| local_lock_type(&resolved)).flatten()
                }),
                None => local_lock_type(&last.ident.to_string()),
            }
        }
        _ => None,
    }
}

/// A call of a lock method, recorded by the walk.
#[derive(Debug)]
pub struct LockSite<'a> {
    /// The method call, e.g. `self.state.lock()`.
    pub expr: &'a Expr,
    pub call: &'a syn::ExprMethodCall,
    pub mode: AcqMode,
    pub is_try: bool,
    /// The lock's type when the file shows it.
    pub ty: Option<LockType>,
    pub fn_id: Option<FnId>,
    /// The lock is a field of `self` held in place (see [`lock_in_place`]).
    pub in_place: bool,
}

/// The receiver is a field path of `self` (`self.a.b`) whose every field the file declares
/// with a type that holds its value in place (no `Arc`, `Rc`, reference or pointer on the
/// way): whoever has `&mut self` has the lock to itself.
pub fn lock_in_place<'a>(env: &dyn LockTypeEnv<'a>, receiver: &Expr) -> bool {
    let mut cur = receiver;
    let mut fields = 0;
    for _ in 0..16 {
        match cur {
            Expr::Paren(p) => cur = &p.expr,
            Expr::Field(f) => {
                let syn::Member::Named(n) = &f.member else { return false };
                if !env.field_type(&n.to_string()).is_some_and(|t| holds_in_place(t, 0)) {
                    return false;
                }
                fields += 1;
                cur = &f.base;
            }
            Expr::Path(p) => return fields > 0 && p.path.is_ident("self"),
            _ => return false,
        }
    }
    false
}

fn holds_in_place(ty: &syn::Type, depth: u8) -> bool {
    if depth > 8 {
        return false;
    }
    match ty {
        syn::Type::Paren(p) => holds_in_place(&p.elem, depth + 1),
        syn::Type::Group(g) => holds_in_place(&g.elem, depth + 1),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            match name.as_str() {
                "Arc" | "Rc" | "Weak" | "LazyLock" | "Lazy" | "OnceLock" | "OnceCell" | "ArcSwap" => false,
                "Box" | "Option" | "CachePadded" | "ManuallyDrop" => match &last.arguments {
                    syn::PathArguments::AngleBracketed(args) => args.args.iter().any(|a| match a {
                        syn::GenericArgument::Type(t) => holds_in_place(t, depth + 1),
                        _ => false,
                    }),
                    _ => false,
                },
                _ => true,
            }
        }
        syn::Type::Array(a) => holds_in_place(&a.elem, depth + 1),
        _ => false,
    }
}
