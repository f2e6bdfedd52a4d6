//! Syntax rustc accepts for older editions that syn 2 does not parse.
//!
//! syn follows the current edition. A 2015-edition crate can still write bare trait objects
//! (`Box<Fn(u8) + Send>`), anonymous trait-method parameters (`fn f(&self, u8);`) and `try`,
//! `async`, `await` or `dyn` as identifiers; old nightly crates write `box` expressions. rustc
//! accepts all of them for their edition, so such a file must be analysed, not reported as a
//! `parse_error`. (syn reads some old forms itself: `...` range patterns, `box` patterns, bare
//! trait objects without parenthesised arguments such as `Box<Error + Send>` or `&Trait`.)
//!
//! How: a file is parsed as it is first, so a file syn accepts costs nothing more and its
//! tree is never touched. Only when that fails is the text lexed again and its *token
//! stream* rewritten into the current syntax, then parsed once more. Rewriting tokens rather
//! than text has two reasons:
//! - strings, comments and doc comments are single tokens, so they are never touched;
//! - every original token keeps its own span, and an inserted token (`dyn`, `_:`) takes the
//!   span of the token it stands before, so each span of the tree is still a byte range of the
//!   original text: no offset map is needed, and a finding after an insertion on the same
//!   line points at the right column.
//!
//! The rewrites, each applied only where the package's edition allows the old form, since a
//! later edition gives it another meaning or rejects it:
//!
//! | old form | becomes | editions |
//! |---|---|---|
//! | `box EXPR`, `box PAT` | `&EXPR`, `&PAT` | all |
//! | `Fn(A) -> B` as a type (`Box<Fn()>`, `&mut FnMut(u8)`, `type F = Fn() + Send;`) | `dyn Fn(A) -> B` | 2015, 2018 |
//! | `fn f(&self, u8);` in a trait | `fn f(&self, _: u8);` | 2015 |
//! | `try`, `async`, `await`, `dyn` as identifiers | `r#try`, … | 2015 |
//!
//! `box` is reserved in every edition and its syntax was a nightly feature of every edition,
//! so it cannot mean anything else; `&` is a prefix operator of the same precedence that is
//! also a pattern, so the operand is still analysed (as a borrow, where `box` moved it into a
//! new box). `dyn` stays a keyword where rustc's 2015 parser reads it as one:
//! before something that can start a bound, other than `::` or `<`.
//!
//! When the rewritten stream fails too, the error of whichever parse got further is reported,
//! and the file is not analysed. Recovering item by item (analysing the items around a broken
//! one) was left out on purpose: such a file does not compile, so findings in it would be about
//! code that never runs, and the lints that read a whole file (handles joined elsewhere in it,
//! `SAFETY` comments, a type's impls) would reason without the missing item.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// Which old forms a failed parse is retried with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rewrites {
    /// `box` expressions and patterns.
    pub box_syntax: bool,
    /// Bare `Fn(…)` trait objects (2015 and 2018).
    pub edition2018: bool,
    /// Anonymous trait-method parameters and the 2018 keywords as identifiers (2015 only).
    pub edition2015: bool,
}

impl Rewrites {
    /// What `edition` (2015, 2018, 2021, 2024) accepts beyond the current syntax.
    pub fn for_edition(edition: u16) -> Rewrites {
        Rewrites { box_syntax: true, edition2018: edition <= 2018, edition2015: edition <= 2015 }
    }
}

/// Parses `text` as a file of a package of `edition`: as it is, or, when that fails, with the
/// old forms the edition accepts rewritten (see the module docs). The error is the one of
/// whichever attempt got further.
pub fn parse_file(text: &str, edition: u16) -> syn::Result<syn::File> {
    let first = match syn::parse_str::<syn::File>(text) {
        Ok(file) => return Ok(file),
        Err(err) => err,
    };
    let Some(tokens) = rewrite_text(text, Rewrites::for_edition(edition)) else { return Err(first) };
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => Ok(file),
        Err(second) if second.span().byte_range().start > first.span().byte_range().start => Err(second),
        Err(_) => Err(first),
    }
}

/// The token stream of `text` with the old forms rewritten, or `None` when it has none (or
/// does not lex).
pub fn rewrite_text(text: &str, rewrites: Rewrites) -> Option<TokenStream> {
    let tokens = TokenStream::from_str(text).ok()?;
    let mut changed = false;
    let tokens = rewrite(tokens, rewrites, &mut changed);
    changed.then_some(tokens)
}

/// Rewrites one token list and, recursively, every group in it. The recursion is as deep as
/// the brackets nest, which the nesting guard has bounded before any parse.
fn rewrite(stream: TokenStream, rewrites: Rewrites, changed: &mut bool) -> TokenStream {
    let mut toks: Vec<TokenTree> = stream.into_iter().collect();
    if rewrites.edition2015 {
        raw_identifiers(&mut toks, changed);
        anonymous_parameters(&mut toks, changed);
    }
    if rewrites.box_syntax {
        box_syntax(&mut toks, changed);
    }
    if rewrites.edition2018 {
        bare_fn_trait_objects(&mut toks, changed);
    }
    for t in &mut toks {
        if let TokenTree::Group(g) = t {
            *t = TokenTree::Group(regroup(g, rewrite(g.stream(), rewrites, changed)));
        }
    }
    toks.into_iter().collect()
}

/// `g` with new contents and its own spans (both delimiters included).
fn regroup(g: &Group, stream: TokenStream) -> Group {
    let mut new = Group::new(g.delimiter(), stream);
    new.set_span(g.span());
    new
}

fn is_ident(t: Option<&TokenTree>, name: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == name)
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_joint(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c && p.spacing() == Spacing::Joint)
}

fn ident(name: &str, span: Span) -> TokenTree {
    TokenTree::Ident(Ident::new(name, span))
}

fn punct(c: char, span: Span) -> TokenTree {
    let mut p = Punct::new(c, Spacing::Alone);
    p.set_span(span);
    TokenTree::Punct(p)
}

/// Whether `toks[i]` is the identifier of a lifetime (`'a`: a joint `'` then `a`).
fn is_lifetime_name(toks: &[TokenTree], i: usize) -> bool {
    matches!(toks.get(i), Some(TokenTree::Ident(_))) && i > 0 && is_joint(toks.get(i - 1), '\'')
}

/// Words that cannot start a path, so `dyn` before them is an identifier (`dyn as u8`).
const RESERVED: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe",
    "use", "where", "while", "box", "async", "await", "try",
];

/// 2015: `try`, `async`, `await` are identifiers (`fn try()`, `macro_rules! await`), and so is
/// `dyn` unless a bound follows it. `try!(…)` stays as it is: syn reads that macro already.
fn raw_identifiers(toks: &mut [TokenTree], changed: &mut bool) {
    for i in 0..toks.len() {
        let TokenTree::Ident(id) = &toks[i] else { continue };
        let name = id.to_string();
        let raw = match name.as_str() {
            "async" | "await" => true,
            "try" => !is_punct(toks.get(i + 1), '!'),
            "dyn" => !starts_bound(&toks[i + 1..]),
            _ => false,
        };
        if raw {
            toks[i] = TokenTree::Ident(Ident::new_raw(&name, id.span()));
            *changed = true;
        }
    }
}

/// rustc's 2015 rule for `dyn`: a keyword when the next token can start a bound and cannot
/// continue a path (`dyn::f`, `dyn<T>`).
fn starts_bound(rest: &[TokenTree]) -> bool {
    match rest.first() {
        Some(TokenTree::Ident(i)) => {
            let word = i.to_string();
            word == "for" || !RESERVED.contains(&word.as_str())
        }
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), '\'' | '?'),
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Parenthesis,
        _ => false,
    }
}

/// 2015: a trait method's parameter may be a bare type (`fn f(&self, u8);`). Each such
/// parameter of a method in a trait body gets the name `_`.
fn anonymous_parameters(toks: &mut [TokenTree], changed: &mut bool) {
    for i in 0..toks.len() {
        if !is_ident(toks.get(i), "trait") {
            continue;
        }
        // The body is the first brace group after the name, generics, supertraits and where
        // clause (a trait alias, `trait A = B;`, has none).
        let Some(body) = toks[i + 1..]
            .iter()
            .take_while(|t| !is_punct(Some(t), ';'))
            .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))
            .map(|n| i + 1 + n)
        else {
            continue;
        };
        let TokenTree::Group(g) = &toks[body] else { continue };
        let mut items: Vec<TokenTree> = g.stream().into_iter().collect();
        let mut any = false;
        for f in 0..items.len() {
            if !is_ident(items.get(f), "fn") {
                continue;
            }
            let Some(p) = parameter_list(&items, f) else { continue };
            let TokenTree::Group(params) = &items[p] else { continue };
            if let Some(named) = name_parameters(params.stream()) {
                items[p] = TokenTree::Group(regroup(params, named));
                any = true;
            }
        }
        if any {
            toks[body] = TokenTree::Group(regroup(g, items.into_iter().collect()));
            *changed = true;
        }
    }
}

/// The index of the parameter list of the `fn` at `f`: the first parenthesised group after
/// its name outside the generics (`fn f<F: Fn(u8)>(…)`).
fn parameter_list(items: &[TokenTree], f: usize) -> Option<usize> {
    let mut angles = 0usize;
    for (n, t) in items.iter().enumerate().skip(f + 2) {
        match t {
            TokenTree::Punct(p) if p.as_char() == '<' => angles += 1,
            TokenTree::Punct(p) if p.as_char() == '>' && !is_joint(items.get(n - 1), '-') => {
                angles = angles.saturating_sub(1)
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis && angles == 0 => return Some(n),
            TokenTree::Punct(p) if p.as_char() == ';' => return None,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return None,
            _ => {}
        }
    }
    None
}

/// The parameter list with `_: ` before every parameter that is only a type, or `None` when
/// every parameter has a name.
fn name_parameters(params: TokenStream) -> Option<TokenStream> {
    let toks: Vec<TokenTree> = params.into_iter().collect();
    let mut out = Vec::with_capacity(toks.len() + 4);
    let mut any = false;
    let mut start = 0;
    while start < toks.len() {
        let end = parameter_end(&toks, start);
        let param = &toks[start..end];
        if !param.is_empty() && !has_name(param) && !is_self_parameter(param) {
            let span = param[0].span();
            out.push(ident("_", span));
            out.push(punct(':', span));
            any = true;
        }
        out.extend_from_slice(param);
        if let Some(comma) = toks.get(end) {
            out.push(comma.clone());
        }
        start = end + 1;
    }
    any.then(|| out.into_iter().collect())
}

/// The index of the `,` that ends the parameter starting at `start` (or the end): commas
/// inside generic arguments (`HashMap<K, V>`) do not count.
fn parameter_end(toks: &[TokenTree], start: usize) -> usize {
    let mut angles = 0usize;
    for (n, t) in toks.iter().enumerate().skip(start) {
        if let TokenTree::Punct(p) = t {
            match p.as_char() {
                '<' => angles += 1,
                '>' if !(n > 0 && is_joint(toks.get(n - 1), '-')) => angles = angles.saturating_sub(1),
                ',' if angles == 0 => return n,
                _ => {}
            }
        }
    }
    toks.len()
}

/// Whether a parameter is `PATTERN: TYPE`: a `:` outside generics that is not half of `::`.
fn has_name(param: &[TokenTree]) -> bool {
    let mut angles = 0usize;
    let mut n = 0;
    while n < param.len() {
        if let TokenTree::Punct(p) = &param[n] {
            match p.as_char() {
                '<' => angles += 1,
                '>' if !(n > 0 && is_joint(param.get(n - 1), '-')) => angles = angles.saturating_sub(1),
                ':' if is_joint(param.get(n), ':') && is_punct(param.get(n + 1), ':') => n += 1,
                ':' if angles == 0 => return true,
                _ => {}
            }
        }
        n += 1;
    }
    false
}

/// `self`, `mut self`, `&self`, `&mut self`, `&'a self`, `&'a mut self`.
fn is_self_parameter(param: &[TokenTree]) -> bool {
    is_ident(param.last(), "self")
}

/// `box` (a keyword in every edition) becomes `&`, which parses both as an expression and as
/// a pattern with the same precedence.
fn box_syntax(toks: &mut [TokenTree], changed: &mut bool) {
    for t in toks.iter_mut() {
        if is_ident(Some(t), "box") {
            *t = punct('&', t.span());
            *changed = true;
        }
    }
}

/// The traits whose arguments may be written in parentheses: a path ending in one of them
/// followed by `(…)` is a trait, never a function call or a tuple struct.
const FN_TRAITS: &[&str] = &["Fn", "FnMut", "FnOnce", "FnBox"];

/// `Fn(A) -> B` where a type is expected becomes `dyn Fn(A) -> B`. syn reads a bare trait
/// object as long as its first bound has no parenthesised arguments; those need the `dyn`.
/// A bound (`F: Fn()`, `+ Fn()`, `impl Fn()`) stays as it is: only a path after something
/// that is followed by a type gets it.
fn bare_fn_trait_objects(toks: &mut Vec<TokenTree>, changed: &mut bool) {
    let mut inserts = Vec::new();
    for i in 0..toks.len() {
        let is_fn_trait = matches!(&toks[i], TokenTree::Ident(id) if FN_TRAITS.iter().any(|f| id == f));
        let has_args = matches!(toks.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
        if !(is_fn_trait && has_args) {
            continue;
        }
        let start = path_start(toks, i);
        if start == 0 || expects_type(toks, start - 1) {
            inserts.push(start);
        }
    }
    for &at in inserts.iter().rev() {
        let span = toks[at].span();
        toks.insert(at, ident("dyn", span));
        *changed = true;
    }
}

/// Where the path whose last segment is at `last` starts: back over `a::b::` and a leading
/// `::`, then over a `for<'a>` before it.
fn path_start(toks: &[TokenTree], last: usize) -> usize {
    let mut start = last;
    while start >= 2 && is_punct(toks.get(start - 1), ':') && is_joint(toks.get(start - 2), ':') {
        if start >= 3 && is_path_segment(toks, start - 3) {
            start -= 3;
        } else {
            start -= 2;
            break;
        }
    }
    if start > 0 && is_punct(toks.get(start - 1), '>') {
        // `for<'a, 'b>`: lifetimes and commas only.
        let mut n = start - 1;
        while n > 0 && !is_punct(toks.get(n), '<') {
            n -= 1;
        }
        if is_punct(toks.get(n), '<') && n > 0 && is_ident(toks.get(n - 1), "for") {
            let inside = &toks[n + 1..start - 1];
            if inside
                .iter()
                .all(|t| matches!(t, TokenTree::Ident(_)) || is_punct(Some(t), '\'') || is_punct(Some(t), ','))
            {
                start = n - 1;
            }
        }
    }
    start
}

/// Whether `toks[i]` is a path segment's name (not `const` in `*const ::f`, nor a lifetime).
fn is_path_segment(toks: &[TokenTree], i: usize) -> bool {
    matches!(&toks[i], TokenTree::Ident(id) if !RESERVED.iter().chain(&["for", "dyn"]).any(|w| id == w))
        && !is_lifetime_name(toks, i)
}

/// Whether the token at `prev` is followed by a type, not a bound: `<` and `,` of generic
/// arguments, `&`, `&'a`, `&mut`, `*const`, `=` of a type alias or an associated type, `->`,
/// and `for` in `impl Trait for Type`. The start of a group (`&(Fn() + Send)`, and `Fn(Fn())`)
/// counts too: [`bare_fn_trait_objects`] checks it before calling this.
fn expects_type(toks: &[TokenTree], prev: usize) -> bool {
    match &toks[prev] {
        TokenTree::Punct(p) => match p.as_char() {
            '<' | ',' | '&' | '*' => true,
            // `=` alone, not the second half of `==`, `<=`, `+=`…
            '=' => !(prev > 0 && matches!(&toks[prev - 1], TokenTree::Punct(q) if q.spacing() == Spacing::Joint)),
            '>' => prev > 0 && is_joint(toks.get(prev - 1), '-'),
            _ => false,
        },
        TokenTree::Ident(id) => id == "mut" || id == "const" || id == "for" || is_lifetime_name(toks, prev),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewritten text of `src` for `edition`, tokens separated by spaces.
    fn rewritten(src: &str, edition: u16) -> String {
        rewrite_text(src, Rewrites::for_edition(edition)).map(|t| t.to_string()).unwrap_or_default()
    }

    fn parses(src: &str, edition: u16) -> bool {
        let ok = parse_file(src, edition).is_ok();
        proc_macro2::extra::invalidate_current_thread_spans();
        ok
    }

    /// Each span in the parsed tree, as the original text it covers.
    fn text_of(src: &str, span: proc_macro2::Span) -> &str {
        &src[span.byte_range()]
    }

    #[test]
    fn every_old_form_parses_in_its_edition_and_not_later() {
        let cases: &[(&str, u16)] = &[
            ("type F = Box<Fn(u8) + Send>;", 2018),
            ("type A = Fn() + Sync;", 2018),
            ("fn f(x: &mut FnMut(u8) -> bool) {}", 2018),
            ("type C<'a> = &'a (Fn() + Send);", 2018),
            ("struct S<'a>(&'a Closure<Fn(usize) -> *mut u8>);", 2018),
            ("impl<T> Tr for Box<Fn(T)> {}", 2018),
            ("type H = Box<for<'a> Fn(&'a u8)>;", 2018),
            ("fn f<'a>(x: &'a Fn(), y: &'a mut FnOnce(), z: &'a [&'a Fn(u8)]) {}", 2018),
            ("impl Tr for Fn() {}", 2018),
            ("type N = Box<Fn(&Fn(u8)) -> Box<FnMut()>>;", 2018),
            ("type T = (u8, Fn());", 2018),
            ("type P = *const ::std::ops::Fn();", 2018),
            ("trait T { fn f(&self, &mut u8) -> u8; fn g(&mut self, Vec<(u8, u8)>, HashMap<K, V>); }", 2015),
            ("unsafe fn try<R>(f: R) -> R { f }", 2015),
            ("fn f() { let async = 1; let await = async; }", 2015),
            ("macro_rules! await { ($e:expr) => { $e } }", 2015),
            ("fn f() { let dyn = 1; let x = dyn + 1; }", 2015),
        ];
        for &(src, last_edition) in cases {
            assert!(!parses(src, 2021), "syn 2 parses `{src}` already: the case proves nothing");
            assert!(parses(src, last_edition), "`{src}` should parse in edition {last_edition}");
            if last_edition < 2024 {
                let next = if last_edition == 2015 { 2018 } else { 2021 };
                assert!(!parses(src, next), "`{src}` should not parse in edition {next}");
            }
        }
        // `box` was a nightly feature of every edition.
        assert!(parses("fn f() { let b = box 5; match b { box x => {} } }", 2024));
    }

    #[test]
    fn rewrites_leave_valid_forms_alone() {
        // Bounds keep their form; the trait object gets `dyn`.
        assert_eq!(
            rewritten("fn f<F: Fn(u8) + Send>(f: F) where G: FnMut() {} type B = Box<Fn()>;", 2015),
            "fn f < F : Fn (u8) + Send > (f : F) where G : FnMut () { } type B = Box < dyn Fn () >;"
        );
        // `dyn` before a bound is the keyword; `try!` is std's macro; strings are not tokens
        // to rewrite.
        assert_eq!(
            rewritten("fn f(x: &dyn Tr) { try!(g(\"box try\")); let dyn = 1; dyn::f(); }", 2015),
            "fn f (x : & dyn Tr) { try ! (g (\"box try\")) ; let r#dyn = 1 ; r#dyn :: f () ; }"
        );
        // Named, pattern and `self` parameters keep their form; outside a trait nothing
        // changes.
        assert_eq!(
            rewritten("trait T { fn f(&'a mut self, a: u8, (b, c): (u8, u8), ::std::string::String); }", 2015),
            "trait T { fn f (&'a mut self , a : u8 , (b , c) : (u8 , u8) , _ : :: std :: string :: String) ; }"
        );
        assert_eq!(rewritten("fn f(x: u8) {}", 2015), "");
        // 2018 keeps `async`, `try`, `dyn` as keywords.
        assert_eq!(rewritten("async fn f() { let b: &dyn Tr = x; }", 2018), "");
    }

    #[test]
    fn spans_of_the_tree_are_byte_ranges_of_the_original_text() {
        let src = "trait T { fn f(&self, Box<Fn(u8) + Send>); }\nfn g() { match 1 { 0...9 => {} _ => {} } }";
        let file = parse_file(src, 2015).expect("parses");
        let syn::Item::Trait(t) = &file.items[0] else { panic!("a trait") };
        let syn::TraitItem::Fn(m) = &t.items[0] else { panic!("a method") };
        let syn::FnArg::Typed(arg) = &m.sig.inputs[1] else { panic!("a typed parameter") };
        // The inserted `_:` and `dyn` take the spans of the tokens they stand before.
        assert_eq!(text_of(src, syn::spanned::Spanned::span(&arg.pat)), "Box");
        assert_eq!(text_of(src, syn::spanned::Spanned::span(&*arg.ty)), "Box<Fn(u8) + Send>");
        let syn::Type::Path(boxed) = &*arg.ty else { panic!("a path") };
        let syn::PathArguments::AngleBracketed(args) = &boxed.path.segments[0].arguments else { panic!("generics") };
        let syn::GenericArgument::Type(syn::Type::TraitObject(object)) = &args.args[0] else { panic!("an object") };
        assert!(object.dyn_token.is_some());
        assert_eq!(text_of(src, syn::spanned::Spanned::span(object)), "Fn(u8) + Send");
        let syn::Item::Fn(g) = &file.items[1] else { panic!("a function") };
        let span = syn::spanned::Spanned::span(&g.block.stmts[0]);
        assert_eq!(text_of(src, span), "match 1 { 0...9 => {} _ => {} }");
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn a_broken_file_reports_the_error_that_got_further() {
        // The bare trait object is fine in 2015: the real error is the `let` without a pattern.
        let src = "type A = Box<Fn()>;\nfn g() { let = 1; }";
        let err = parse_file(src, 2015).expect_err("broken");
        let at = err.span().byte_range().start;
        assert!(at > src.find("fn g").unwrap(), "error at {at}: {err}");
        // Without any old form, the error is syn's own.
        let err = parse_file("fn g() { let = 1; }", 2015).expect_err("broken");
        assert_eq!(err.span().byte_range().start, 13);
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
