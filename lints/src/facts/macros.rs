//! Macro bodies as code. Before any analysis, the file's syntax tree is rewritten so that the
//! bodies of common macros are ordinary expressions the walkers understand:
//!
//! - `select!` (tokio, futures) becomes `match () { _ => { let PAT = (FUT).await; HANDLER } … }`:
//!   each branch runs conditionally, its future is awaited, `break` still leaves the loop;
//! - `join!` / `try_join!` become a tuple of `(FUT).await`;
//! - `vec![…]` becomes an array;
//! - `assert!` and friends, `pin!` and `dbg!`, whose arguments parse as comma-separated
//!   expressions, become a call of an opaque function `__macro_NAME(args…)`, so that values
//!   used inside count as used, and nothing in it is mistaken for a discarded value;
//! - formatting, printing, panicking and logging macros (`format!`, `println!`, `write!`,
//!   `panic!`, `log`'s and `tracing`'s `info!`…) become `__macro_NAME(values…)` of the values
//!   they pass (format strings, `target:` keys, field names and `%`/`?` sigils dropped), so a
//!   lock taken in an argument is seen where the macro stands; other macros stay as they are
//!   (the walk still records the local names their tokens mention);
//! - item macros whose bodies parse as items (`cfg_rt! { … }`) are spliced in place.
//!
//! Synthetic tokens take the span of the user code they stand for, so diagnostics never point
//! at nothing.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Item, Macro, Stmt, Token};

/// Rewrites every macro invocation that can be read as code. See the module docs.
pub fn expand(file: &mut syn::File) {
    Expander { depth: 0 }.visit_file_mut(file);
}

/// [`expand`], skipping the walk through expressions when the source `text` invokes none of
/// the expression macros it rewrites (most files): item macros are still spliced.
pub fn expand_source(file: &mut syn::File, text: &str) {
    const EXPRESSION_MACROS: &[&str] = &[
        "select!", "join!", "vec!", "assert", "pin!", "dbg!", "select_biased!", "format", "print", "write!",
        "writeln!", "panic!", "unreachable!", "trace!", "debug!", "info!", "warn!", "error!", "event!", "log!",
    ];
    if EXPRESSION_MACROS.iter().any(|m| text.contains(m)) {
        expand(file);
    } else {
        splice_items_deep(&mut file.items);
    }
}

fn splice_items_deep(items: &mut Vec<Item>) {
    splice_item_macros(items);
    for item in items {
        if let Item::Mod(m) = item {
            if let Some((_, inner)) = &mut m.content {
                splice_items_deep(inner);
            }
        }
    }
}

struct Expander {
    depth: usize,
}

/// Deeply nested macro input is left alone rather than risking the stack.
const MAX_DEPTH: usize = 64;

impl VisitMut for Expander {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        splice_item_macros(&mut file.items);
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut m.content {
            splice_item_macros(items);
        }
        visit_mut::visit_item_mod_mut(self, m);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(sm) = stmt {
            if let Some(expr) = expand_macro(&sm.mac) {
                *stmt = Stmt::Expr(expr, sm.semi_token);
            }
        }
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            visit_mut::visit_stmt_mut(self, stmt);
            self.depth -= 1;
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(m) = expr {
            if let Some(expanded) = expand_macro(&m.mac) {
                *expr = expanded;
            }
        }
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            visit_mut::visit_expr_mut(self, expr);
            self.depth -= 1;
        }
    }
}

fn macro_name(mac: &Macro) -> String {
    mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

fn splice_item_macros(items: &mut Vec<Item>) {
    if !items.iter().any(|i| matches!(i, Item::Macro(m) if m.ident.is_none())) {
        return;
    }
    let old = std::mem::take(items);
    for item in old {
        match item {
            Item::Macro(m) if m.ident.is_none() && macro_name(&m.mac) != "macro_rules" => {
                let tokens = if macro_name(&m.mac) == "lazy_static" {
                    lazy_statics(m.mac.tokens.clone())
                } else {
                    m.mac.tokens.clone()
                };
                match parse_items(tokens) {
                    Some(inner) if !inner.is_empty() => items.extend(inner),
                    _ => items.push(Item::Macro(m)),
                }
            }
            other => items.push(other),
        }
    }
}

/// The body of `lazy_static! { static ref NAME: TYPE = EXPR; … }` as ordinary `static` items:
/// each `ref` right after `static` is dropped, so `NAME` is a static of type `TYPE` (what
/// `*NAME` dereferences to) and locking it is locking that static.
fn lazy_statics(tokens: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let mut out = Vec::new();
    let mut after_static = false;
    for t in tokens {
        let is_ref = matches!(&t, TokenTree::Ident(i) if i == "ref");
        if !(after_static && is_ref) {
            after_static = matches!(&t, TokenTree::Ident(i) if i == "static");
            out.push(t);
        } else {
            after_static = false;
        }
    }
    out.into_iter().collect()
}

fn parse_items(tokens: TokenStream) -> Option<Vec<Item>> {
    let parser = |input: ParseStream| {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<Item>()?);
        }
        Ok(items)
    };
    parser.parse2(tokens).ok()
}

/// Macros whose arguments are ordinary comma-separated expressions.
fn is_expression_macro(name: &str) -> bool {
    matches!(
        name,
        "assert" | "assert_eq" | "assert_ne" | "debug_assert" | "debug_assert_eq" | "debug_assert_ne" | "pin" | "dbg"
    )
}

/// Formatting, printing, panicking and logging macros (`std`, `log`, `tracing`): their
/// arguments are evaluated where the macro stands, so a lock taken in one is taken there.
fn is_formatting_macro(name: &str) -> bool {
    matches!(
        name,
        "format"
            | "format_args"
            | "print"
            | "println"
            | "eprint"
            | "eprintln"
            | "write"
            | "writeln"
            | "panic"
            | "unreachable"
            | "todo"
            | "unimplemented"
            | "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
            | "event"
            | "log"
    )
}

fn expand_macro(mac: &Macro) -> Option<Expr> {
    let name = mac.path.segments.last()?.ident.to_string();
    let kind = match name.as_str() {
        "select" | "select_biased" | "join" | "try_join" | "vec" => name.as_str(),
        n if is_expression_macro(n) => "opaque",
        n if is_formatting_macro(n) => "format",
        _ => return None,
    };
    // The whole invocation, from its path to its closing delimiter, without re-tokenizing it.
    let first = mac.path.segments.first()?.ident.span();
    let close = mac.delimiter.span().close();
    let span = first.join(close).unwrap_or(first);
    let tokens = mac.tokens.clone();
    match kind {
        "select" | "select_biased" => expand_select(tokens, span),
        "join" | "try_join" => expand_join(tokens, span),
        "vec" => expand_vec(tokens, span),
        "format" => expand_format(&name, tokens, span),
        _ => expand_opaque(&name, tokens, span),
    }
}

struct SelectBranch {
    pat: Option<syn::Pat>,
    future: Option<Expr>,
    guard: Option<Expr>,
    handler: Expr,
}

fn parse_select(input: ParseStream) -> syn::Result<Vec<SelectBranch>> {
    let mut branches = Vec::new();
    if input.peek(syn::Ident) && input.peek2(Token![;]) {
        let ident: syn::Ident = input.parse()?;
        if ident != "biased" {
            return Err(syn::Error::new(ident.span(), "not a select"));
        }
        input.parse::<Token![;]>()?;
    }
    while !input.is_empty() {
        let fork = input.fork();
        let is_fallback = (fork.peek(Token![else]) || fork.peek(syn::Ident)) && {
            let _ = fork.parse::<proc_macro2::TokenTree>();
            fork.peek(Token![=>])
        };
        let (pat, future, guard) = if is_fallback {
            input.parse::<proc_macro2::TokenTree>()?;
            (None, None, None)
        } else {
            let pat = syn::Pat::parse_multi_with_leading_vert(input)?;
            input.parse::<Token![=]>()?;
            let future: Expr = input.parse()?;
            let guard = if input.peek(Token![,]) && input.peek2(Token![if]) {
                input.parse::<Token![,]>()?;
                input.parse::<Token![if]>()?;
                Some(input.parse::<Expr>()?)
            } else {
                None
            };
            (Some(pat), Some(future), guard)
        };
        input.parse::<Token![=>]>()?;
        let handler: Expr = if input.peek(syn::token::Brace) { Expr::Block(input.parse()?) } else { input.parse()? };
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        branches.push(SelectBranch { pat, future, guard, handler });
    }
    Ok(branches)
}

fn expand_select(tokens: TokenStream, span: Span) -> Option<Expr> {
    let branches = parse_select.parse2(tokens).ok()?;
    let arms = branches.into_iter().map(|b| {
        let handler = b.handler;
        let guard = b.guard.map(|g| quote_spanned!(g.span()=> if #g));
        match (b.pat, b.future) {
            (Some(pat), Some(fut)) => {
                let fs = fut.span();
                quote_spanned!(fs=> _ #guard => { let #pat = (#fut).await; #handler })
            }
            _ => quote_spanned!(span=> _ => { #handler }),
        }
    });
    syn::parse2(quote_spanned!(span=> match () { #(#arms,)* })).ok()
}

fn expand_join(tokens: TokenStream, span: Span) -> Option<Expr> {
    let parser = |input: ParseStream| {
        if input.peek(syn::Ident) && input.peek2(Token![;]) {
            input.parse::<syn::Ident>()?;
            input.parse::<Token![;]>()?;
        }
        Punctuated::<Expr, Token![,]>::parse_terminated(input)
    };
    let futures = parser.parse2(tokens).ok()?;
    let awaited = futures.iter().map(|f| {
        let fs = f.span();
        quote_spanned!(fs=> (#f).await)
    });
    syn::parse2(quote_spanned!(span=> (#(#awaited,)*))).ok()
}

fn expand_vec(tokens: TokenStream, span: Span) -> Option<Expr> {
    let repeat = |input: ParseStream| {
        let elem: Expr = input.parse()?;
        input.parse::<Token![;]>()?;
        let len: Expr = input.parse()?;
        Ok((elem, len))
    };
    if let Ok((elem, len)) = repeat.parse2(tokens.clone()) {
        return Some(Expr::Repeat(syn::ExprRepeat {
            attrs: Vec::new(),
            bracket_token: syn::token::Bracket(span),
            expr: Box::new(elem),
            semi_token: Token![;](span),
            len: Box::new(len),
        }));
    }
    let elems = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens).ok()?;
    Some(Expr::Array(syn::ExprArray { attrs: Vec::new(), bracket_token: syn::token::Bracket(span), elems }))
}

/// `__macro_NAME(args)`, its every token at the invocation's span. Built as a tree rather
/// than printed and parsed again: the arguments are parsed once already, and a file's
/// formatting and logging macros are many.
fn stand_in_call(name: &str, span: Span, args: Punctuated<Expr, Token![,]>) -> Expr {
    let callee = format_ident!("__macro_{}", name, span = span);
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: callee.into() })),
        paren_token: syn::token::Paren(span),
        args,
    })
}

fn expand_opaque(name: &str, tokens: TokenStream, span: Span) -> Option<Expr> {
    let args = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens).ok()?;
    Some(stand_in_call(name, span, args))
}

/// A formatting or logging macro's values, as arguments of `__macro_NAME(…)`. Each
/// comma-separated part is read as the value it passes: `name = value` and `field = value`
/// give `value`, tracing's `%value`/`?value` give `value`, `target: "x"`/`parent: span`
/// prefixes are dropped, and a part that is no expression (`level = Level::INFO` still is)
/// is left out. `None` when nothing but the format string is left: the macro stays as it is.
fn expand_format(name: &str, tokens: TokenStream, span: Span) -> Option<Expr> {
    use proc_macro2::TokenTree;
    let mut parts: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => parts.push(Vec::new()),
            _ => parts.last_mut()?.push(tt),
        }
    }
    let mut values: Vec<Expr> = Vec::new();
    for mut part in parts {
        // `target: "x"`, `parent: &span`, `name: "…"`: a key, then the value.
        if matches!((part.first(), part.get(1), part.get(2)), (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p)), Some(TokenTree::Punct(q))) if p.as_char() == ':' && q.as_char() != ':')
            || matches!((part.first(), part.get(1), part.get(2)), (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p)), Some(t)) if p.as_char() == ':' && !matches!(t, TokenTree::Punct(_)))
        {
            part.drain(..2);
        }
        // `field = value`, `a.b = value`: the value after the first lone `=`.
        let eq = part.iter().enumerate().position(|(i, t)| {
            matches!(t, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone)
                && !matches!(i.checked_sub(1).and_then(|j| part.get(j)), Some(TokenTree::Punct(q)) if matches!(q.as_char(), '=' | '!' | '<' | '>'))
        });
        if let Some(eq) = eq {
            part.drain(..=eq);
        }
        // tracing's `%value` (Display) and `?value` (Debug).
        if matches!(part.first(), Some(TokenTree::Punct(p)) if matches!(p.as_char(), '%' | '?')) {
            part.remove(0);
        }
        if part.is_empty() {
            continue;
        }
        if let Ok(expr) = syn::parse2::<Expr>(part.into_iter().collect()) {
            if !matches!(&expr, Expr::Lit(l) if matches!(l.lit, syn::Lit::Str(_))) {
                values.push(expr);
            }
        }
    }
    if values.is_empty() {
        return None;
    }
    let mut args = Punctuated::new();
    for v in values {
        if !args.is_empty() {
            args.push_punct(Token![,](span));
        }
        args.push_value(v);
    }
    Some(stand_in_call(name, span, args))
}

/// Whether a callee name is the stand-in for an unexpanded-but-readable macro.
pub fn is_opaque_macro_call(name: &str) -> bool {
    name.starts_with("__macro_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn expanded(src: &str) -> String {
        let mut file: syn::File = syn::parse_str(src).unwrap();
        expand(&mut file);
        file.into_token_stream().to_string()
    }

    #[test]
    fn select_becomes_match_with_awaited_futures() {
        let out = expanded(
            "async fn f() { loop { tokio::select! { biased; _ = tok.cancelled() => break, Some(x) = rx.recv(), if ok => { go(x) } else => {} } } }",
        );
        assert!(out.contains("match ()"), "{out}");
        assert!(out.contains("let _ = (tok . cancelled ()) . await ; break"), "{out}");
        assert!(out.contains("_ if ok =>"), "{out}");
    }

    #[test]
    fn join_vec_and_opaque_macros() {
        let out =
            expanded("async fn f() { let (a, b) = tokio::join!(x(), y()); let v = vec![1; 3]; assert_eq!(a, 1); }");
        assert!(out.contains("((x ()) . await , (y ()) . await ,)"), "{out}");
        assert!(out.contains("[1 ; 3]"), "{out}");
        assert!(out.contains("__macro_assert_eq (a , 1)"), "{out}");
    }

    #[test]
    fn item_macros_are_spliced() {
        let out = expanded("cfg_rt! { pub fn spawn() {} } macro_rules! m { () => {} }");
        assert!(out.starts_with("pub fn spawn"), "{out}");
        assert!(out.contains("macro_rules"), "{out}");
    }

    #[test]
    fn lazy_static_bodies_are_statics() {
        let out = expanded(
            "lazy_static::lazy_static! { static ref A: Mutex<u8> = Mutex::new(0); #[doc = \"b\"] pub static ref B: u8 = 1; }",
        );
        assert!(out.starts_with("static A : Mutex < u8 > = Mutex :: new (0) ;"), "{out}");
        assert!(out.contains("pub static B : u8 = 1 ;"), "{out}");
        assert!(!out.contains("ref"), "{out}");
    }

    #[test]
    fn formatting_macros_pass_their_values() {
        let out = expanded(r#"fn f() { println!("{} {x}", a.lock(), x = b.len()); }"#);
        assert!(out.contains("__macro_println (a . lock () , b . len ())"), "{out}");
        let out = expanded(r#"fn f() { tracing::info!(target: "t", parent: &s, n = c.get(), %d, ?e.f, "m {}", g); }"#);
        assert!(out.contains("__macro_info (& s , c . get () , d , e . f , g)"), "{out}");
        let out = expanded(r#"fn f() { write!(f, "{}", v == w)?; }"#);
        assert!(out.contains("__macro_write (f , v == w)"), "{out}");
    }

    #[test]
    fn a_bare_format_string_stays_a_macro() {
        let out = expanded(r#"fn f() { println!("hello"); log::info!("x"); }"#);
        assert!(out.contains("println !"), "{out}");
        assert!(!out.contains("__macro_"), "{out}");
    }
}
