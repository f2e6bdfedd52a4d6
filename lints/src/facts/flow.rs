//! Where a value goes: the syntactic fate of an expression's result, found by climbing its
//! ancestors through the wrappers that pass a value on unchanged (`?`, `.unwrap()`, `Some(…)`,
//! parentheses, the tail of a block).

use super::macros::is_opaque_macro_call;
use crate::source::Span;
use syn::{Expr, Local, Pat, Stmt};

/// A syntax node on the walker's ancestor stack.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    Expr(&'a Expr),
    Stmt(&'a Stmt),
    Local(&'a Local),
    Block(&'a syn::Block),
    /// The body block of a function.
    FnBody,
}

#[derive(Clone, Copy, Debug)]
pub enum Flow<'a> {
    /// `expr;` or `let _ = expr;` or `_ = expr;`: dropped at once.
    Discarded,
    /// `let PAT = expr`: the pattern (a single name is a binding).
    Let(&'a Pat),
    /// `name = expr` for a plain local name.
    Assigned(&'a syn::Ident),
    /// `drop(expr)`.
    Dropped(&'a Expr),
    /// `std::mem::forget(expr)`.
    Forgotten(&'a Expr),
    /// `expr.method(…)`: the method call (`join`, `abort`, `detach`, …).
    Method(&'a syn::ExprMethodCall),
    /// `expr.await`.
    Awaited(&'a syn::ExprAwait),
    /// The tail of a function, closure or async block, or `return expr`.
    Returned,
    /// A struct field, or assigned to a field or index place.
    Stored,
    /// Pushed or inserted into a collection: the collection expression.
    PushedInto(&'a Expr),
    /// Passed to a function or method that is not a collection insert.
    Argument(&'a Expr),
    /// The iterable of a `for` loop.
    Iterated(&'a syn::ExprForLoop),
    /// The scrutinee of a `match`, or of an `if let` / `while let` (the `Expr::Let`): the
    /// expression whose arms or pattern take it apart.
    Matched(&'a Expr),
    /// Any other use: compared, matched, printed, borrowed, indexed…
    Other,
}

impl<'a> Flow<'a> {
    /// The value is gone at once without anyone being able to wait for it.
    pub fn is_immediate_drop(&self) -> bool {
        matches!(self, Flow::Discarded | Flow::Dropped(_) | Flow::Forgotten(_))
    }
}

fn is_passthrough_method(name: &str) -> bool {
    matches!(name, "unwrap" | "expect" | "into" | "unwrap_or_else" | "context" | "with_context" | "map_err")
}

fn is_iterator_mapper(name: &str) -> bool {
    matches!(name, "map" | "filter_map" | "flat_map" | "then" | "and_then" | "map_ok" | "inspect")
}

fn is_insert_method(name: &str) -> bool {
    matches!(name, "push" | "push_back" | "push_front" | "insert" | "extend" | "append" | "entry" | "or_insert" | "add")
}

/// Constructors that wrap a value without changing who owns it.
fn is_wrapper(path: &str) -> bool {
    matches!(
        path,
        "Some"
            | "Ok"
            | "Err"
            | "Box::new"
            | "Box::pin"
            | "std::boxed::Box::new"
            | "std::boxed::Box::pin"
            | "Arc::new"
            | "std::sync::Arc::new"
            | "Rc::new"
            | "std::rc::Rc::new"
            | "Mutex::new"
            | "std::sync::Mutex::new"
            | "RefCell::new"
            | "Cell::new"
            | "Pin::new"
            | "std::pin::Pin::new"
            | "std::pin::pin"
    )
}

/// Methods that keep an iterator's elements as elements (after a spawn in `.map(…)`).
fn is_iterator_passthrough(name: &str) -> bool {
    matches!(
        name,
        "collect"
            | "into_iter"
            | "iter"
            | "filter"
            | "chain"
            | "rev"
            | "take"
            | "skip"
            | "enumerate"
            | "zip"
            | "map"
            | "filter_map"
            | "flat_map"
            | "peekable"
            | "fuse"
            | "cycle"
            | "by_ref"
    )
}

/// The flow of `expr`, whose ancestors (outermost first) are `ancestors`, and whether the value
/// went through an iterator adaptor (`(0..n).map(|_| spawn(…)).collect()`): then the flow is the
/// flow of the collection, each value being one of its elements.
/// `resolve` maps a call's path to its resolved path (for `drop`, `Box::new`, …).
pub fn flow_of<'a>(
    expr: &'a Expr,
    ancestors: &[Node<'a>],
    resolve: &dyn Fn(&syn::Path) -> Option<String>,
) -> (Flow<'a>, bool) {
    let mut cur: *const Expr = expr;
    let mut per_element = false;
    let mut i = ancestors.len();
    if let Some(Node::Expr(e)) = ancestors.last() {
        if std::ptr::eq(*e, expr) {
            i -= 1;
        }
    }
    macro_rules! done {
        ($flow:expr) => {
            return ($flow, per_element)
        };
    }
    while i > 0 {
        i -= 1;
        let same = |e: &Expr| std::ptr::eq(e, cur);
        match ancestors[i] {
            Node::Expr(parent) => {
                match parent {
                    Expr::Paren(_) | Expr::Group(_) | Expr::Try(_) | Expr::Cast(_) | Expr::Unsafe(_) => {}
                    Expr::Reference(_) => done!(Flow::Other),
                    Expr::Await(a) => done!(Flow::Awaited(a)),
                    Expr::MethodCall(m) => {
                        let name = m.method.to_string();
                        if same(&m.receiver) {
                            let passes =
                                is_passthrough_method(&name) || (per_element && is_iterator_passthrough(&name));
                            if !passes {
                                done!(Flow::Method(m));
                            }
                        } else if is_insert_method(&name) {
                            done!(Flow::PushedInto(&m.receiver));
                        } else {
                            done!(Flow::Argument(parent));
                        }
                    }
                    Expr::Call(c) => {
                        if same(&c.func) {
                            done!(Flow::Other);
                        }
                        let Expr::Path(p) = &*c.func else { done!(Flow::Argument(parent)) };
                        match resolve(&p.path).as_deref() {
                            Some("drop" | "std::mem::drop") => done!(Flow::Dropped(parent)),
                            Some("std::mem::forget") => done!(Flow::Forgotten(parent)),
                            Some(w) if is_wrapper(w) => {}
                            Some(name) if is_opaque_macro_call(name) => done!(Flow::Other),
                            _ => done!(Flow::Argument(parent)),
                        }
                    }
                    Expr::Struct(_) => done!(Flow::Stored),
                    Expr::Assign(a) => {
                        if !same(&a.right) {
                            done!(Flow::Other);
                        }
                        done!(match &*a.left {
                            Expr::Infer(_) => Flow::Discarded,
                            Expr::Path(p) => match p.path.get_ident() {
                                Some(ident) if ident == "_" => Flow::Discarded,
                                Some(ident) => Flow::Assigned(ident),
                                None => Flow::Stored,
                            },
                            _ => Flow::Stored,
                        });
                    }
                    Expr::Tuple(_) | Expr::Array(_) | Expr::Block(_) => {}
                    Expr::Return(_) => done!(Flow::Returned),
                    Expr::If(e) => {
                        if same(&e.cond) {
                            done!(Flow::Other);
                        }
                    }
                    Expr::Match(m) => {
                        if same(&m.expr) {
                            done!(Flow::Matched(parent));
                        }
                    }
                    Expr::Let(l) => {
                        if same(&l.expr) {
                            done!(Flow::Matched(parent));
                        }
                        done!(Flow::Other)
                    }
                    Expr::Closure(_) => {
                        // A closure's result: follow it when an iterator adaptor maps with it.
                        if i > 0 {
                            if let Node::Expr(outer @ Expr::MethodCall(m)) = ancestors[i - 1] {
                                if !std::ptr::eq(&*m.receiver, parent) && is_iterator_mapper(&m.method.to_string()) {
                                    per_element = true;
                                    i -= 1;
                                    cur = outer;
                                    continue;
                                }
                            }
                        }
                        done!(Flow::Returned)
                    }
                    Expr::Async(_) => done!(Flow::Returned),
                    Expr::ForLoop(f) => {
                        if same(&f.expr) {
                            done!(Flow::Iterated(f));
                        }
                        done!(Flow::Discarded)
                    }
                    Expr::Loop(_) | Expr::While(_) => done!(Flow::Discarded),
                    _ => done!(Flow::Other),
                }
                cur = parent;
            }
            Node::Stmt(stmt) => match stmt {
                Stmt::Expr(_, Some(_)) => done!(Flow::Discarded),
                Stmt::Expr(_, None) => {
                    let is_tail = i > 0
                        && matches!(ancestors[i - 1], Node::Block(b) if b.stmts.last().is_some_and(|s| std::ptr::eq(s, stmt)));
                    if !is_tail {
                        done!(Flow::Discarded);
                    }
                }
                _ => done!(Flow::Other),
            },
            Node::Local(local) => {
                let is_init = local.init.as_ref().is_some_and(|init| same(&init.expr));
                if !is_init {
                    done!(Flow::Other);
                }
                done!(match &local.pat {
                    Pat::Wild(_) => Flow::Discarded,
                    Pat::Type(t) if matches!(&*t.pat, Pat::Wild(_)) => Flow::Discarded,
                    pat => Flow::Let(pat),
                });
            }
            Node::Block(_) => {}
            Node::FnBody => done!(Flow::Returned),
        }
    }
    (Flow::Other, per_element)
}

/// The span of a flow's decisive syntax, for labels.
pub fn flow_span(flow: &Flow<'_>, span_of: &dyn Fn(&dyn syn::spanned::Spanned) -> Span) -> Option<Span> {
    Some(match flow {
        Flow::Let(p) => span_of(p),
        Flow::Dropped(e) | Flow::Forgotten(e) => span_of(e),
        Flow::Method(m) => span_of(&m.method),
        Flow::Awaited(a) => span_of(&a.await_token),
        _ => return None,
    })
}
