//! Condition-variable waits: which method calls wait on a `Condvar`, and in which form.
//!
//! A `wait` method is common (`Barrier::wait`, `Child::wait`, `WaitGroup::wait`, a crate's
//! own `Event::wait`), so a call counts only when its receiver is known to be a `Condvar`
//! (std's, parking_lot's, loom's or a type of the crate named `Condvar`: all have the same
//! contract) from what the file shows: a local built by `Condvar::new()`/`default()` (possibly
//! in an `Arc` or a tuple), a local, parameter, field or `static` whose declared type is one,
//! an element of a tuple holding one (`let (lock, cvar) = &*pair;`, `pair.1`), or a clone or
//! reference of any of those.

use super::{BindingKind, Facts};
use syn::Expr;

/// How a wait decides when to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitForm {
    /// Until notified (or a spurious wake-up): std's `wait(g)`, parking_lot's `wait(&mut g)`.
    Plain,
    /// Until notified or a timeout: `wait_timeout(g, d)`, `wait_timeout_ms`, parking_lot's
    /// `wait_for(&mut g, d)` and `wait_until(&mut g, instant)`.
    Timed,
    /// Until a predicate holds, re-checked after every wake-up: `wait_while`,
    /// `wait_timeout_while`, parking_lot's `wait_while_for`/`wait_while_until`.
    Predicate,
}

/// The form of a condvar wait method called with `nargs` arguments (the guard first).
pub fn wait_form(method: &str, nargs: usize) -> Option<WaitForm> {
    let (form, args) = match method {
        "wait" => (WaitForm::Plain, 1),
        "wait_timeout" | "wait_timeout_ms" | "wait_for" | "wait_until" => (WaitForm::Timed, 2),
        "wait_while" => (WaitForm::Predicate, 2),
        "wait_timeout_while" | "wait_while_for" | "wait_while_until" => (WaitForm::Predicate, 3),
        _ => return None,
    };
    (nargs == args).then_some(form)
}

/// Whether `expr` is known to be a condition variable.
pub fn is_condvar(facts: &Facts<'_>, expr: &Expr) -> bool {
    expr_holds(facts, expr, &[], 0)
}

/// The file defines a type named `Condvar` (a struct, or an alias such as parking_lot's
/// `type Condvar = lock_api::Condvar<RawCondvar>`): it implements one (parking_lot, may), and
/// its own code and tests exercise the mechanism itself (a bare wait to see a notification
/// arrive, two mutexes on one condvar to see it panic), not a protocol over shared state.
pub fn implements_condvar(facts: &Facts<'_>, ast: &syn::File) -> bool {
    fn alias_in(items: &[syn::Item]) -> bool {
        items.iter().any(|item| match item {
            syn::Item::Type(t) => t.ident == "Condvar",
            syn::Item::Mod(m) => m.content.as_ref().is_some_and(|(_, items)| alias_in(items)),
            _ => false,
        })
    }
    facts.types_named("Condvar").next().is_some() || alias_in(&ast.items)
}

/// Wrappers seen through: `Arc<Condvar>` waits like a `Condvar`.
const SEE_THROUGH: &[&str] = &["Arc", "Rc", "Box", "Pin", "LazyLock", "Lazy", "CachePadded", "ManuallyDrop"];

/// Whether `expr`, projected through the tuple indices `proj` (`pair.1` is `pair` with `[1]`),
/// is a condvar.
fn expr_holds(facts: &Facts<'_>, expr: &Expr, proj: &[u32], depth: u8) -> bool {
    if depth > 8 {
        return false;
    }
    let again = |e: &Expr, proj: &[u32]| expr_holds(facts, e, proj, depth + 1);
    match expr {
        Expr::Paren(p) => again(&p.expr, proj),
        Expr::Group(g) => again(&g.expr, proj),
        Expr::Reference(r) => again(&r.expr, proj),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => again(&u.expr, proj),
        Expr::MethodCall(m) if m.args.is_empty() => {
            matches!(m.method.to_string().as_str(), "clone" | "as_ref" | "deref" | "borrow") && again(&m.receiver, proj)
        }
        Expr::Field(f) => match &f.member {
            syn::Member::Unnamed(i) => {
                let mut inner = vec![i.index];
                inner.extend_from_slice(proj);
                again(&f.base, &inner)
            }
            syn::Member::Named(n) => facts
                .types
                .iter()
                .flat_map(|t| &t.fields)
                .filter(|fld| fld.field.ident.as_ref() == Some(n))
                .any(|fld| type_holds(&fld.field.ty, proj, 0)),
        },
        Expr::Tuple(t) => match proj.split_first() {
            Some((&i, rest)) => t.elems.iter().nth(i as usize).is_some_and(|e| again(e, rest)),
            None => false,
        },
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return false };
            let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            match segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                [.., "Condvar", "new" | "default"] => proj.is_empty(),
                [.., "Arc" | "Rc" | "Box", "new" | "clone" | "from"] => c.args.first().is_some_and(|a| again(a, proj)),
                _ => false,
            }
        }
        Expr::Path(p) => {
            if p.qself.is_some() {
                return false;
            }
            if let Some(b) = facts.binding_of_expr(expr) {
                let binding = facts.binding(b);
                if let Some(ty) = binding.ty {
                    return type_holds(ty, proj, 0);
                }
                if let Some((init, i)) = binding.tuple_init {
                    let mut inner = vec![i as u32];
                    inner.extend_from_slice(proj);
                    return again(init, &inner);
                }
                return binding.kind == BindingKind::Let && binding.init.is_some_and(|init| again(init, proj));
            }
            let Some(last) = p.path.segments.last() else { return false };
            facts.statics.iter().any(|s| s.item.ident == last.ident && type_holds(&s.item.ty, proj, 0))
        }
        _ => false,
    }
}

fn type_holds(ty: &syn::Type, proj: &[u32], depth: u8) -> bool {
    if depth > 8 {
        return false;
    }
    match ty {
        syn::Type::Reference(r) => type_holds(&r.elem, proj, depth + 1),
        syn::Type::Paren(p) => type_holds(&p.elem, proj, depth + 1),
        syn::Type::Group(g) => type_holds(&g.elem, proj, depth + 1),
        syn::Type::Tuple(t) => match proj.split_first() {
            Some((&i, rest)) => t.elems.iter().nth(i as usize).is_some_and(|e| type_holds(e, rest, depth + 1)),
            None => false,
        },
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return false };
            let name = last.ident.to_string();
            if name == "Condvar" {
                return proj.is_empty();
            }
            if !SEE_THROUGH.contains(&name.as_str()) {
                return false;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
            args.args
                .iter()
                .any(|a| matches!(a, syn::GenericArgument::Type(inner) if type_holds(inner, proj, depth + 1)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_by_arity() {
        assert_eq!(wait_form("wait", 1), Some(WaitForm::Plain));
        assert_eq!(wait_form("wait", 0), None); // `Barrier::wait()`, `Child::wait()`
        assert_eq!(wait_form("wait_timeout", 2), Some(WaitForm::Timed));
        assert_eq!(wait_form("wait_for", 2), Some(WaitForm::Timed));
        assert_eq!(wait_form("wait_while", 2), Some(WaitForm::Predicate));
        assert_eq!(wait_form("wait_timeout_while", 3), Some(WaitForm::Predicate));
        assert_eq!(wait_form("wait_timeout", 1), None);
    }

    #[test]
    fn types_through_wrappers_and_tuples() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        assert!(type_holds(&ty("Arc<Condvar>"), &[], 0));
        assert!(type_holds(&ty("&'a parking_lot::Condvar"), &[], 0));
        assert!(type_holds(&ty("Arc<(Mutex<bool>, Condvar)>"), &[1], 0));
        assert!(!type_holds(&ty("Arc<(Mutex<bool>, Condvar)>"), &[0], 0));
        assert!(!type_holds(&ty("Barrier"), &[], 0));
        assert!(!type_holds(&ty("Vec<Condvar>"), &[], 0));
    }
}
