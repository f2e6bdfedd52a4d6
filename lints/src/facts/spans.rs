//! Where a syntax node lies in its file, without printing it.
//!
//! syn's `Spanned::span` prints the whole node into tokens to find its first and last ones,
//! so the span of a function body costs as much as the body. The facts and the rules ask for
//! the spans of expressions, blocks and statements many times, nested in one another, which
//! made span lookups alone several per cent of a run. Here the first and last tokens of the
//! common expressions are read off the tree directly; anything else (attributes, labels,
//! qualified paths, rare forms) falls back to `Spanned`, so the answer is always the same.

use proc_macro2::Span as PmSpan;
use std::any::Any;
use std::ops::Range;
use syn::spanned::Spanned;
use syn::{Expr, Member, PathArguments};

/// The byte range of `node`, the same as `node.span().byte_range()`.
pub fn byte_range<T: Spanned + Any>(node: &T) -> Range<usize> {
    let any = node as &dyn Any;
    let fast = if let Some(e) = any.downcast_ref::<Expr>() {
        expr_bounds(e)
    } else if let Some(e) = any.downcast_ref::<Box<Expr>>() {
        expr_bounds(e)
    } else if let Some(b) = any.downcast_ref::<syn::Block>() {
        Some(group(b.brace_token.span.join()))
    } else if let Some(s) = any.downcast_ref::<syn::Stmt>() {
        stmt_bounds(s)
    } else if let Some(m) = any.downcast_ref::<syn::ExprMethodCall>() {
        method_call_bounds(m)
    } else if let Some(c) = any.downcast_ref::<syn::ExprCall>() {
        call_bounds(c)
    } else if let Some(c) = any.downcast_ref::<syn::ExprClosure>() {
        closure_bounds(c)
    } else {
        None
    };
    fast.unwrap_or_else(|| node.span().byte_range())
}

type Bounds = Option<Range<usize>>;

fn group(span: PmSpan) -> Range<usize> {
    span.byte_range()
}

fn between(first: Range<usize>, last: Range<usize>) -> Range<usize> {
    // `Span::join` of two spans of one file, as proc-macro2 computes it.
    first.start.min(last.start)..first.end.max(last.end)
}

fn from_to(first: PmSpan, last: PmSpan) -> Range<usize> {
    between(first.byte_range(), last.byte_range())
}

fn slow(node: &dyn Spanned) -> Range<usize> {
    node.span().byte_range()
}

/// The range of an expression, from its first token to its last.
fn expr_range(e: &Expr) -> Range<usize> {
    expr_bounds(e).unwrap_or_else(|| slow(e))
}

fn expr_bounds(e: &Expr) -> Bounds {
    let r = match e {
        Expr::Path(p) if p.attrs.is_empty() && p.qself.is_none() => path_bounds(&p.path)?,
        Expr::Lit(l) if l.attrs.is_empty() => l.lit.span().byte_range(),
        Expr::MethodCall(m) => method_call_bounds(m)?,
        Expr::Call(c) => call_bounds(c)?,
        Expr::Closure(c) => closure_bounds(c)?,
        Expr::Field(f) if f.attrs.is_empty() => {
            let last = match &f.member {
                Member::Named(i) => i.span(),
                Member::Unnamed(i) => i.span,
            };
            between(expr_range(&f.base), last.byte_range())
        }
        Expr::Reference(r) if r.attrs.is_empty() => between(r.and_token.span.byte_range(), expr_range(&r.expr)),
        Expr::Unary(u) if u.attrs.is_empty() => {
            let op = match u.op {
                syn::UnOp::Deref(t) => t.span,
                syn::UnOp::Not(t) => t.span,
                syn::UnOp::Neg(t) => t.span,
                _ => return None,
            };
            between(op.byte_range(), expr_range(&u.expr))
        }
        Expr::Try(t) if t.attrs.is_empty() => between(expr_range(&t.expr), t.question_token.span.byte_range()),
        Expr::Await(a) if a.attrs.is_empty() => between(expr_range(&a.base), a.await_token.span.byte_range()),
        Expr::Paren(p) if p.attrs.is_empty() => group(p.paren_token.span.join()),
        Expr::Tuple(t) if t.attrs.is_empty() => group(t.paren_token.span.join()),
        Expr::Array(a) if a.attrs.is_empty() => group(a.bracket_token.span.join()),
        Expr::Block(b) if b.attrs.is_empty() && b.label.is_none() => group(b.block.brace_token.span.join()),
        Expr::Unsafe(u) if u.attrs.is_empty() => from_to(u.unsafe_token.span, u.block.brace_token.span.close()),
        Expr::Async(a) if a.attrs.is_empty() => from_to(a.async_token.span, a.block.brace_token.span.close()),
        Expr::Binary(b) if b.attrs.is_empty() => between(expr_range(&b.left), expr_range(&b.right)),
        Expr::Assign(a) if a.attrs.is_empty() => between(expr_range(&a.left), expr_range(&a.right)),
        Expr::Index(i) if i.attrs.is_empty() => between(expr_range(&i.expr), i.bracket_token.span.close().byte_range()),
        Expr::Macro(m) if m.attrs.is_empty() => {
            let first = path_bounds(&m.mac.path)?;
            let close = match &m.mac.delimiter {
                syn::MacroDelimiter::Paren(p) => p.span.close(),
                syn::MacroDelimiter::Brace(b) => b.span.close(),
                syn::MacroDelimiter::Bracket(b) => b.span.close(),
            };
            between(first, close.byte_range())
        }
        Expr::If(i) if i.attrs.is_empty() => {
            let last = match &i.else_branch {
                Some((_, e)) => expr_range(e),
                None => i.then_branch.brace_token.span.close().byte_range(),
            };
            between(i.if_token.span.byte_range(), last)
        }
        Expr::Match(m) if m.attrs.is_empty() => from_to(m.match_token.span, m.brace_token.span.close()),
        Expr::Loop(l) if l.attrs.is_empty() && l.label.is_none() => {
            from_to(l.loop_token.span, l.body.brace_token.span.close())
        }
        Expr::While(w) if w.attrs.is_empty() && w.label.is_none() => {
            from_to(w.while_token.span, w.body.brace_token.span.close())
        }
        Expr::ForLoop(f) if f.attrs.is_empty() && f.label.is_none() => {
            from_to(f.for_token.span, f.body.brace_token.span.close())
        }
        Expr::Let(l) if l.attrs.is_empty() => between(l.let_token.span.byte_range(), expr_range(&l.expr)),
        Expr::Return(r) if r.attrs.is_empty() => {
            let first = r.return_token.span.byte_range();
            match &r.expr {
                Some(e) => between(first, expr_range(e)),
                None => first,
            }
        }
        Expr::Struct(s) if s.attrs.is_empty() && s.qself.is_none() => {
            between(path_bounds(&s.path)?, s.brace_token.span.close().byte_range())
        }
        _ => return None,
    };
    Some(r)
}

fn path_bounds(path: &syn::Path) -> Bounds {
    let first = path.segments.first()?;
    let last = path.segments.last()?;
    let start = match &path.leading_colon {
        Some(c) => c.spans[0],
        None => first.ident.span(),
    };
    let end = match &last.arguments {
        PathArguments::None => last.ident.span(),
        PathArguments::AngleBracketed(a) => a.gt_token.span,
        PathArguments::Parenthesized(_) => return None,
    };
    Some(from_to(start, end))
}

fn method_call_bounds(m: &syn::ExprMethodCall) -> Bounds {
    if !m.attrs.is_empty() {
        return None;
    }
    Some(between(expr_range(&m.receiver), m.paren_token.span.close().byte_range()))
}

fn call_bounds(c: &syn::ExprCall) -> Bounds {
    if !c.attrs.is_empty() {
        return None;
    }
    Some(between(expr_range(&c.func), c.paren_token.span.close().byte_range()))
}

fn closure_bounds(c: &syn::ExprClosure) -> Bounds {
    if !c.attrs.is_empty() || c.lifetimes.is_some() || c.constness.is_some() || c.movability.is_some() {
        return None;
    }
    let first = match (&c.asyncness, &c.capture) {
        (Some(a), _) => a.span,
        (None, Some(m)) => m.span,
        (None, None) => c.or1_token.span,
    };
    Some(between(first.byte_range(), expr_range(&c.body)))
}

fn stmt_bounds(s: &syn::Stmt) -> Bounds {
    match s {
        syn::Stmt::Expr(e, semi) => {
            let r = expr_bounds(e)?;
            Some(match semi {
                Some(t) => between(r, t.span.byte_range()),
                None => r,
            })
        }
        syn::Stmt::Local(l) if l.attrs.is_empty() => Some(from_to(l.let_token.span, l.semi_token.span)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::visit::Visit;

    /// Every expression, block and statement of `src` has the range `Spanned` gives it.
    fn assert_same_ranges(src: &str) {
        struct Check(usize);
        impl<'a> Visit<'a> for Check {
            fn visit_expr(&mut self, e: &'a Expr) {
                assert_eq!(byte_range(e), e.span().byte_range(), "{}", quote::quote!(#e));
                self.0 += 1;
                syn::visit::visit_expr(self, e);
            }
            fn visit_block(&mut self, b: &'a syn::Block) {
                assert_eq!(byte_range(b), b.span().byte_range());
                syn::visit::visit_block(self, b);
            }
            fn visit_stmt(&mut self, s: &'a syn::Stmt) {
                assert_eq!(byte_range(s), s.span().byte_range(), "{}", quote::quote!(#s));
                syn::visit::visit_stmt(self, s);
            }
            fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
                assert_eq!(byte_range(m), m.span().byte_range());
                syn::visit::visit_expr_method_call(self, m);
            }
            fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
                assert_eq!(byte_range(c), c.span().byte_range());
                syn::visit::visit_expr_closure(self, c);
            }
        }
        let file: syn::File = syn::parse_str(src).unwrap();
        let mut check = Check(0);
        check.visit_file(&file);
        assert!(check.0 > 0, "no expression in the source");
    }

    #[test]
    fn ranges_match_the_printed_tokens() {
        assert_same_ranges(
            r#"
            fn f(a: &Arc<Mutex<Vec<u8>>>) -> Result<(), E> {
                let g = a.lock().unwrap();
                let h = ::std::mem::take(&mut *g);
                let v: Vec<_> = h.iter().map(|x| x + 1).collect::<Vec<_>>();
                if let Some(x) = v.first() { println!("{x}") } else if v.is_empty() { return Ok(()) } else {}
                match v.len() { 0 => {}, n => drop(n) }
                'outer: loop { break 'outer; }
                while !v.is_empty() { continue }
                for i in 0..v.len() { v[i] = -(i as i32); }
                let s = S { a: 1, ..Default::default() };
                let t = (s.a, s.0, [1; 3], [1, 2], unsafe { x() }, async move { y().await? });
                #[allow(unused)] let u = #[rustfmt::skip] (1 + 2) * 3;
                let c = move || -> u8 { 1 };
                let d = async || {};
                let e = <Vec<u8> as Default>::default();
                let f = Fn::<(u8,)>::call;
                x = y;
                x += 1;
                return;
            }
            "#,
        );
    }
}
