//! Questions about a spawned body: can it run forever, and does it watch for shutdown?

use super::Facts;
use crate::source::{FileId, Span};
use syn::visit::{self, Visit};
use syn::Expr;

/// A loop that nothing inside it can leave.
#[derive(Clone, Copy, Debug)]
pub struct EndlessLoop<'a> {
    pub expr: &'a Expr,
    /// The `loop` / `while` / `for` keyword.
    pub keyword: Span,
}

/// The code a spawn runs: a closure's body, an async block, or (one level deep) the body of a
/// function defined in the same file that the spawn calls (`tokio::spawn(run(rx))`).
pub fn spawned_code<'a>(body: &'a Expr, facts: &Facts<'a>) -> Option<SpawnedCode<'a>> {
    match body {
        Expr::Closure(c) => match &*c.body {
            Expr::Async(a) => Some(SpawnedCode::Block(&a.block)),
            other => Some(SpawnedCode::Expr(other)),
        },
        Expr::Async(a) => Some(SpawnedCode::Block(&a.block)),
        Expr::Paren(p) => spawned_code(&p.expr, facts),
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let ident = p.path.get_ident()?;
            match facts.fn_items.get(&ident.to_string()).map(Vec::as_slice) {
                Some([block]) => Some(SpawnedCode::Block(block)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A closure or `async` block whose whole body is one call of a function defined once in the
/// same file (`move || run_forever(rx)`, `async move { serve(listener).await }`): that
/// function's body, and the call. The spawned code is then the function's, which is where its
/// loop is.
pub fn only_call<'a>(body: &'a Expr, facts: &Facts<'a>) -> Option<(SpawnedCode<'a>, &'a syn::ExprCall)> {
    let inner = match body {
        Expr::Closure(c) => &*c.body,
        Expr::Async(_) => body,
        Expr::Paren(p) => return only_call(&p.expr, facts),
        _ => return None,
    };
    let call = sole_call(inner)?;
    let Expr::Path(p) = &*call.func else { return None };
    let ident = p.path.get_ident()?;
    match facts.fn_items.get(&ident.to_string()).map(Vec::as_slice) {
        Some([block]) => Some((SpawnedCode::Block(block), call)),
        _ => None,
    }
}

/// The call a closure or `async` block spawned consists of (`move || worker::run(rx)`), or
/// the spawned call itself (`tokio::spawn(worker::run(rx))`), whatever function it calls.
pub fn spawned_call(body: &Expr) -> Option<&syn::ExprCall> {
    match body {
        Expr::Closure(c) => sole_call(&c.body),
        Expr::Async(_) | Expr::Call(_) => sole_call(body),
        Expr::Paren(p) => spawned_call(&p.expr),
        _ => None,
    }
}

/// The method call a closure or `async` block spawned consists of: `move || worker.run()`,
/// `async move { server.serve().await }`.
pub fn spawned_method_call(body: &Expr) -> Option<&syn::ExprMethodCall> {
    let inner = match body {
        Expr::Closure(c) => &*c.body,
        Expr::Async(_) => body,
        Expr::Paren(p) => return spawned_method_call(&p.expr),
        _ => return None,
    };
    match sole_expr(inner) {
        Expr::MethodCall(m) => Some(m),
        _ => None,
    }
}

/// The call an expression consists of: `f(x)`, `{ f(x) }`, `{ f(x); }`, `async { f(x).await }`,
/// `f(x)?`-free forms only (a `?` or anything else beside the call is more than the call).
fn sole_call(e: &Expr) -> Option<&syn::ExprCall> {
    match sole_expr(e) {
        Expr::Call(c) => Some(c),
        _ => None,
    }
}

/// What an expression consists of once the wrappers that add nothing are taken off: `.await`,
/// parentheses, and blocks (plain or `async`) of one statement.
fn sole_expr(e: &Expr) -> &Expr {
    match e {
        Expr::Await(a) => sole_expr(&a.base),
        Expr::Paren(p) => sole_expr(&p.expr),
        Expr::Block(syn::ExprBlock { block, .. }) | Expr::Async(syn::ExprAsync { block, .. }) => {
            match block.stmts.as_slice() {
                [syn::Stmt::Expr(inner, _)] => sole_expr(inner),
                _ => e,
            }
        }
        _ => e,
    }
}

#[derive(Clone, Copy, Debug)]
pub enum SpawnedCode<'a> {
    Expr(&'a Expr),
    Block(&'a syn::Block),
}

impl<'a> SpawnedCode<'a> {
    fn visit(self, v: &mut impl Visit<'a>) {
        match self {
            SpawnedCode::Expr(e) => v.visit_expr(e),
            SpawnedCode::Block(b) => v.visit_block(b),
        }
    }
}

/// The first loop in `code` (outside nested closures, async blocks and items) that can run
/// without end: `loop`, `while true`, `for _ in 0..`, a `for` over `incoming()`, a
/// `while let Ok(…) = ….accept()…` — with no `break` that leaves it, no `return`, no `?`, and
/// no `unwrap`/`expect` of a call that fails once the other side is gone (see
/// [`ends_when_peer_goes`]).
pub fn find_endless_loop<'a>(file: FileId, code: SpawnedCode<'a>) -> Option<EndlessLoop<'a>> {
    let mut finder = LoopFinder { file, found: None, depth: 0 };
    code.visit(&mut finder);
    finder.found
}

struct LoopFinder<'a> {
    file: FileId,
    found: Option<EndlessLoop<'a>>,
    depth: usize,
}

impl<'a> Visit<'a> for LoopFinder<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found.is_some() || self.depth > 200 {
            return;
        }
        let candidate = match e {
            Expr::Loop(l) => Some((l.loop_token.span, l.label.as_ref(), &l.body)),
            Expr::While(w) if is_literal_true(&w.cond) || is_endless_while_let(&w.cond) => {
                Some((w.while_token.span, w.label.as_ref(), &w.body))
            }
            Expr::ForLoop(f) if is_endless_iterable(&f.expr) => Some((f.for_token.span, f.label.as_ref(), &f.body)),
            _ => None,
        };
        if let Some((kw, label, body)) = candidate {
            let label = label.map(|l| l.name.ident.to_string());
            if !has_exit(body, label.as_deref()) && !ends_when_peer_goes(body) {
                let r = kw.byte_range();
                self.found = Some(EndlessLoop { expr: e, keyword: Span::new(self.file, r.start, r.end) });
                return;
            }
        }
        match e {
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => {
                self.depth += 1;
                visit::visit_expr(self, e);
                self.depth -= 1;
            }
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

fn is_literal_true(e: &Expr) -> bool {
    matches!(e, Expr::Lit(l) if matches!(&l.lit, syn::Lit::Bool(b) if b.value))
}

fn method_names(e: &Expr) -> Vec<String> {
    let mut names = Vec::new();
    let mut cur = e;
    loop {
        match cur {
            Expr::MethodCall(m) => {
                names.push(m.method.to_string());
                cur = &m.receiver;
            }
            Expr::Await(a) => cur = &a.base,
            Expr::Try(t) => cur = &t.expr,
            Expr::Paren(p) => cur = &p.expr,
            Expr::Reference(r) => cur = &r.expr,
            _ => return names,
        }
    }
}

fn is_endless_while_let(cond: &Expr) -> bool {
    let Expr::Let(l) = cond else { return false };
    let is_ok_pattern = matches!(&*l.pat, syn::Pat::TupleStruct(t) if t.path.is_ident("Ok"));
    is_ok_pattern && method_names(&l.expr).iter().any(|n| n == "accept")
}

fn is_endless_iterable(e: &Expr) -> bool {
    match e {
        Expr::Range(r) => r.end.is_none(),
        Expr::Paren(p) => is_endless_iterable(&p.expr),
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "repeat"))
                && p_is_iter_repeat(&c.func)
        }
        _ => {
            let names = method_names(e);
            names.first().is_some_and(|n| n == "incoming" || n == "cycle")
        }
    }
}

fn p_is_iter_repeat(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.len() >= 2
        && p.path.segments[p.path.segments.len() - 2].ident == "iter")
}

/// Whether `body` (of a loop labelled `label`) contains a `break` leaving it, a `return`, or `?`.
pub fn has_exit(body: &syn::Block, label: Option<&str>) -> bool {
    let mut f = ExitFinder { label, loop_depth: 0, found: false };
    f.visit_block(body);
    f.found
}

struct ExitFinder<'l> {
    label: Option<&'l str>,
    /// Loops entered inside the body: an unlabelled `break` there leaves only them.
    loop_depth: usize,
    found: bool,
}

impl<'a> Visit<'a> for ExitFinder<'_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found {
            return;
        }
        match e {
            Expr::Return(_) | Expr::Try(_) => self.found = true,
            Expr::Break(b) => match &b.label {
                Some(l) => self.found |= Some(l.ident.to_string().as_str()) == self.label,
                None => self.found |= self.loop_depth == 0,
            },
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.loop_depth += 1;
                visit::visit_expr(self, e);
                self.loop_depth -= 1;
            }
            Expr::Closure(_) | Expr::Async(_) => {}
            Expr::Call(c) => {
                // `process::exit` and `std::process::abort` end the loop too.
                if let Expr::Path(p) = &*c.func {
                    let last = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    let in_process = p.path.segments.iter().any(|s| s.ident == "process");
                    if in_process && (last == "exit" || last == "abort") {
                        self.found = true;
                        return;
                    }
                }
                visit::visit_expr(self, e);
            }
            _ => visit::visit_expr(self, e),
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
    /// A macro left unexpanded (crossbeam's `select!`, a logging macro with `return` in an
    /// arm): a `break` or `return` among its tokens counts as an exit, since which loop an
    /// unlabelled `break` leaves cannot be told. Erring towards an exit keeps lints quiet.
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        if !self.found && tokens_exit(m.tokens.clone(), self.label) {
            self.found = true;
        }
    }
}

fn tokens_exit(tokens: proc_macro2::TokenStream, label: Option<&str>) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            proc_macro2::TokenTree::Ident(i) if i == "return" => return true,
            proc_macro2::TokenTree::Ident(i) if i == "break" => {
                // `break 'label`: only a break to this loop's label (or an unlabelled one) exits.
                let to_label = match iter.peek() {
                    Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '\'' => {
                        iter.next();
                        match iter.next() {
                            Some(proc_macro2::TokenTree::Ident(l)) => Some(l.to_string()),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                match to_label {
                    None => return true,
                    Some(l) if Some(l.as_str()) == label => return true,
                    Some(_) => {}
                }
            }
            proc_macro2::TokenTree::Group(g) if tokens_exit(g.stream(), label) => return true,
            _ => {}
        }
    }
    false
}

/// Words that name a shutdown mechanism: a token, a stop flag, a shutdown channel.
const SHUTDOWN_WORDS: &[&str] = &[
    "cancel", "cancelled", "canceled", "cancellation", "shutdown", "stop", "stopped", "stopping", "quit", "terminate",
    "terminated", "exit", "kill", "halt", "running", "alive", "closed", "close", "done", "finish", "finished", "abort",
    "token", "ctrl", "signal", "shutting", "is_shutdown", "graceful", "drain", "die", "dead", "end", "poison",
];

/// Whether the code mentions a cancellation token, shutdown channel or stop flag anywhere.
pub fn observes_shutdown(code: SpawnedCode<'_>) -> bool {
    let mut f = ShutdownFinder { found: false };
    code.visit(&mut f);
    f.found
}

struct ShutdownFinder {
    found: bool,
}

fn is_shutdown_word(ident: &str) -> bool {
    let lower = ident.to_ascii_lowercase();
    lower.split('_').any(|part| SHUTDOWN_WORDS.contains(&part))
        || SHUTDOWN_WORDS.iter().any(|w| w.len() >= 6 && lower.contains(w))
}

impl<'a> Visit<'a> for ShutdownFinder {
    fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
        if !self.found && is_shutdown_word(&i.to_string()) {
            self.found = true;
        }
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        for tt in m.tokens.clone() {
            scan_tokens(tt, &mut self.found);
        }
        visit::visit_macro(self, m);
    }
}

fn scan_tokens(tt: proc_macro2::TokenTree, found: &mut bool) {
    match tt {
        proc_macro2::TokenTree::Ident(i) => *found |= is_shutdown_word(&i.to_string()),
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().for_each(|t| scan_tokens(t, found)),
        _ => {}
    }
}

/// Every `return`, `?` and `break` in `body` (of a loop labelled `label`) that leaves the loop,
/// in source order; code in nested closures, async blocks and items is not the loop's.
/// `process::exit` is not listed: it ends every thread and task with it.
pub fn loop_exits<'a>(body: &'a syn::Block, label: Option<&str>) -> Vec<&'a Expr> {
    let mut f = ExitCollector { label, loop_depth: 0, found: Vec::new(), depth: 0 };
    f.visit_block(body);
    f.found
}

struct ExitCollector<'l, 'a> {
    label: Option<&'l str>,
    loop_depth: usize,
    found: Vec<&'a Expr>,
    depth: usize,
}

impl<'a> Visit<'a> for ExitCollector<'_, 'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.depth > 200 {
            return;
        }
        match e {
            Expr::Return(_) => self.found.push(e),
            Expr::Try(_) => self.found.push(e),
            Expr::Break(b) => {
                let leaves = match &b.label {
                    Some(l) => Some(l.ident.to_string().as_str()) == self.label,
                    None => self.loop_depth == 0,
                };
                if leaves {
                    self.found.push(e);
                }
            }
            _ => {}
        }
        match e {
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.loop_depth += 1;
                self.depth += 1;
                visit::visit_expr(self, e);
                self.depth -= 1;
                self.loop_depth -= 1;
            }
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => {
                self.depth += 1;
                visit::visit_expr(self, e);
                self.depth -= 1;
            }
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// The arguments of a macro invocation [`find_macro`] found.
#[derive(Clone, Copy)]
pub enum MacroArgs<'a> {
    /// Rewritten by [`super::macros`] into `__macro_NAME(args…)`.
    Exprs(&'a syn::punctuated::Punctuated<Expr, syn::Token![,]>),
    /// Left as tokens.
    Tokens(&'a proc_macro2::TokenStream),
}

/// The first invocation in `code` of a macro that `is_match` accepts, given its name (`panic`,
/// `assert_eq`…) and arguments, whether written as a macro or rewritten by
/// [`super::macros`] into `__macro_NAME(…)`; the span of its name. Nested closures and async
/// blocks are searched only if `nested`.
pub fn find_macro(
    code: SpawnedCode<'_>,
    is_match: &dyn Fn(&str, MacroArgs<'_>) -> bool,
    nested: bool,
) -> Option<proc_macro2::Span> {
    let mut f = MacroFinder { is_match, nested, found: None, depth: 0 };
    code.visit(&mut f);
    f.found
}

struct MacroFinder<'n> {
    is_match: &'n dyn Fn(&str, MacroArgs<'_>) -> bool,
    nested: bool,
    found: Option<proc_macro2::Span>,
    depth: usize,
}

impl<'a> Visit<'a> for MacroFinder<'_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found.is_some() || self.depth > 200 {
            return;
        }
        match e {
            Expr::Call(c) => {
                if let Expr::Path(p) = &*c.func {
                    if let Some(ident) = p.path.get_ident() {
                        let name = ident.to_string();
                        if name.strip_prefix("__macro_").is_some_and(|n| (self.is_match)(n, MacroArgs::Exprs(&c.args)))
                        {
                            self.found = Some(ident.span());
                            return;
                        }
                    }
                }
            }
            Expr::Closure(_) | Expr::Async(_) if !self.nested => return,
            _ => {}
        }
        self.depth += 1;
        visit::visit_expr(self, e);
        self.depth -= 1;
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        if let (None, Some(last)) = (self.found, m.path.segments.last()) {
            if (self.is_match)(&last.ident.to_string(), MacroArgs::Tokens(&m.tokens)) {
                self.found = Some(m.path.segments[0].ident.span());
            }
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// The loop panics out (`unwrap`, `expect`) of a channel or I/O call that fails once the other
/// side is gone: `tx.send(x).unwrap()` once the receiver is dropped, `rx.recv().unwrap()` once
/// every sender is, `socket.write_all(buf).unwrap()` or a websocket's `ws.read().unwrap()` once
/// the peer hangs up. Not `read(&mut buf)`: a byte stream reports its end as `Ok(0)`, and a
/// loop that ignores it spins. The work ends with whoever consumes or feeds it, like a `?` would end it.
fn ends_when_peer_goes(body: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'a> Visit<'a> for Finder {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            if matches!(m.method.to_string().as_str(), "unwrap" | "expect") && fails_when_peer_goes(&m.receiver) {
                self.0 = true;
            }
            visit::visit_expr_method_call(self, m);
        }
        // Code that runs elsewhere does not end this loop.
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    fn fails_when_peer_goes(e: &Expr) -> bool {
        match e {
            Expr::Await(a) => fails_when_peer_goes(&a.base),
            Expr::Paren(p) => fails_when_peer_goes(&p.expr),
            // A message read (`ws.read()`, no buffer) fails once the connection is closed.
            Expr::MethodCall(m) if m.method == "read" => m.args.is_empty(),
            Expr::MethodCall(m) => matches!(
                m.method.to_string().as_str(),
                "send"
                    | "send_to"
                    | "recv"
                    | "recv_from"
                    | "write"
                    | "write_all"
                    | "flush"
                    | "read_exact"
                    | "read_message"
                    | "write_message"
            ),
            _ => false,
        }
    }
    let mut f = Finder(false);
    f.visit_block(body);
    f.0
}
