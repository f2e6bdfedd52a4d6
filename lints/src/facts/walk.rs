//! The one walk over a file that fills [`Facts`].

use super::flow::{flow_of, Flow, Node};
use super::paths::Resolver;
use super::spawns::{extra_spawner, is_spawn_method, method_spawner, path_spawner, Spawner};
use super::test_attrs::{is_cfg_test, test_attr};
use super::types::{
    constructor_type, known_type, method_result_type, scope_method_param_type, scope_param_type, type_path,
};
use super::*;
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Pat};

/// How the walk treats the file.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// The whole file is test code (it lives under `tests/`).
    pub is_test_file: bool,
    /// More attribute names that mark a test (`rstest`, `test_case`).
    pub extra_test_attrs: Vec<String>,
    /// The project's own spawn functions, from [`crate::PackageInfo::extra_spawners`].
    pub extra_spawners: Vec<(String, Spawner)>,
}

pub fn span_of<T: Spanned + std::any::Any>(file: FileId, node: &T) -> Span {
    let r = crate::facts::spans::byte_range(node);
    Span::new(file, r.start, r.end)
}

/// [`span_of`] for a node of any type: through syn's `Spanned`, which prints the node, so
/// for small nodes (identifiers, patterns) only.
pub fn span_of_dyn(file: FileId, node: &dyn Spanned) -> Span {
    let r = node.span().byte_range();
    Span::new(file, r.start, r.end)
}

/// A path's span from its first and last identifiers.
pub fn path_span(file: FileId, path: &syn::Path) -> Span {
    let (Some(first), Some(last)) = (path.segments.first(), path.segments.last()) else {
        return span_of(file, path);
    };
    let start = path.leading_colon.map(|c| c.spans[0]).unwrap_or_else(|| first.ident.span());
    span_of_span(file, start).to(span_of_span(file, last.ident.span()))
}

pub fn span_of_span(file: FileId, span: proc_macro2::Span) -> Span {
    let r = span.byte_range();
    Span::new(file, r.start, r.end)
}

/// Walks `ast` once and returns its facts.
pub fn collect<'a>(file: FileId, ast: &'a syn::File, options: &WalkOptions) -> Facts<'a> {
    let mut field_types = FieldTypes::default();
    field_types.visit_file(ast);
    let statics = std::mem::take(&mut field_types.statics);
    let mut w = Walker {
        file,
        facts: Facts::default(),
        resolver: Resolver::new(),
        ancestors: Vec::new(),
        scopes: vec![Vec::new()],
        scope_floor: 0,
        ctx: Ctx { is_test: options.is_test_file, ..Ctx::default() },
        in_test_module: options.is_test_file,
        field_types: field_types.fields,
        statics,
        self_ty: None,
        in_trait_impl: false,
        options,
        closure_param_types: HashMap::new(),
        sync_closures: HashSet::new(),
        spawn_bodies: HashMap::new(),
        iter_closures: HashMap::new(),
        select_futures: HashSet::new(),
        inline_bodies: HashSet::new(),
        depth: 0,
    };
    w.resolver.push_module(&ast.items);
    for item in &ast.items {
        w.visit_item(item);
    }
    w.resolver.pop();
    w.facts
}

/// Field name → declared type, for fields whose name means one type across the file; and the
/// types of `static` items (outside function bodies), for typing locks.
#[derive(Default)]
struct FieldTypes<'a> {
    fields: HashMap<String, Option<&'a syn::Type>>,
    statics: HashMap<String, &'a syn::Type>,
}

impl<'a> Visit<'a> for FieldTypes<'a> {
    fn visit_item_static(&mut self, s: &'a syn::ItemStatic) {
        self.statics.insert(s.ident.to_string(), &s.ty);
    }
    fn visit_field(&mut self, f: &'a syn::Field) {
        if let Some(ident) = &f.ident {
            self.fields
                .entry(ident.to_string())
                .and_modify(|t| {
                    if t.is_some_and(|t| t != &f.ty) {
                        *t = None;
                    }
                })
                .or_insert(Some(&f.ty));
        }
    }
    fn visit_block(&mut self, _: &'a syn::Block) {}
}

struct Walker<'a, 'o> {
    file: FileId,
    facts: Facts<'a>,
    resolver: Resolver,
    ancestors: Vec<Node<'a>>,
    /// Local bindings in scope, innermost last.
    scopes: Vec<Vec<(String, BindingId)>>,
    /// Scopes below this index belong to an enclosing function and are not visible.
    scope_floor: usize,
    ctx: Ctx,
    in_test_module: bool,
    field_types: HashMap<String, Option<&'a syn::Type>>,
    statics: HashMap<String, &'a syn::Type>,
    /// The self type of the innermost `impl` block (`Bank` for `impl Bank` and `impl T for Bank`).
    self_ty: Option<String>,
    /// Inside `impl Trait for Type`.
    in_trait_impl: bool,
    options: &'o WalkOptions,
    /// Closures whose first parameter has a known type (`thread::scope(|s| …)`).
    closure_param_types: HashMap<*const Expr, &'static str>,
    /// Closures run on a thread of their own, outside any async context.
    sync_closures: HashSet<*const Expr>,
    /// Closure or async-block arguments that are the body of a spawn.
    spawn_bodies: HashMap<*const Expr, SpawnId>,
    /// The `let PAT = (FUT).await` statements that stand for `select!` branches.
    select_futures: HashSet<*const syn::Local>,
    /// Closures and async blocks run in place: passed to `block_on`, or called at once.
    inline_bodies: HashSet<*const Expr>,
    /// Closures passed to iterator adaptors: they run once per element, like a loop body.
    iter_closures: HashMap<*const Expr, (Span, &'a Expr)>,
    depth: usize,
}

/// Deep syntax is analysed only this far; the parser's own limits are larger.
const MAX_DEPTH: usize = 400;

impl<'a> Walker<'a, '_> {
    fn span<T: Spanned + std::any::Any>(&self, node: &T) -> Span {
        span_of(self.file, node)
    }

    fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn lookup(&self, name: &str) -> Option<BindingId> {
        for scope in self.scopes[self.scope_floor..].iter().rev() {
            if let Some((_, id)) = scope.iter().rev().find(|(n, _)| n == name) {
                return Some(*id);
            }
        }
        None
    }

    /// [`Self::lookup`] without turning the identifier into a `String` (the hot path).
    fn lookup_ident(&self, ident: &syn::Ident) -> Option<BindingId> {
        for scope in self.scopes[self.scope_floor..].iter().rev() {
            if let Some((_, id)) = scope.iter().rev().find(|(n, _)| ident == n) {
                return Some(*id);
            }
        }
        None
    }

    /// The span of a path or field expression from its identifiers, without re-tokenizing it
    /// the way `Spanned::span` does.
    fn cheap_span(&self, expr: &Expr) -> Span {
        match expr {
            Expr::Path(p) => path_span(self.file, &p.path),
            Expr::Field(f) => {
                let member = match &f.member {
                    syn::Member::Named(n) => n.span(),
                    syn::Member::Unnamed(i) => i.span,
                };
                self.cheap_span(&f.base).to(span_of_span(self.file, member))
            }
            other => self.span(other),
        }
    }

    fn resolve(&self, path: &syn::Path) -> Option<String> {
        self.resolver.resolve(path)
    }

    // One parameter per `Binding` field the caller knows; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    fn declare(
        &mut self,
        ident: &syn::Ident,
        kind: BindingKind,
        mutable: bool,
        init: Option<&'a Expr>,
        ty: Option<&'a syn::Type>,
        known_type: Option<&'static str>,
        scope_end: Option<Span>,
    ) -> BindingId {
        let id = BindingId(self.facts.bindings.len() as u32);
        let span = span_of_span(self.file, ident.span());
        self.facts.bindings.push(Binding {
            name: ident.to_string(),
            span,
            kind,
            mutable,
            init,
            ty,
            known_type,
            handle_type: ty.and_then(|t| super::handles::join_handle_type(t, &|p| self.resolve(p))),
            ctx: self.ctx,
            scope_end,
            uses: Vec::new(),
            tuple_init: None,
        });
        self.facts.binding_by_span.insert(span.start, id);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((ident.to_string(), id));
        }
        id
    }

    /// Declares every name a pattern binds. A single-name pattern gets `init` and `ty`.
    fn declare_pat(
        &mut self,
        pat: &'a Pat,
        kind: BindingKind,
        init: Option<&'a Expr>,
        ty: Option<&'a syn::Type>,
        known: Option<&'static str>,
        scope_end: Option<Span>,
    ) {
        match pat {
            Pat::Ident(p) => {
                if p.ident != "self" {
                    self.declare(&p.ident, kind, p.mutability.is_some(), init, ty, known, scope_end);
                }
                if let Some((_, sub)) = &p.subpat {
                    self.declare_pat(sub, BindingKind::Pattern, None, None, None, scope_end);
                }
            }
            Pat::Type(t) => self.declare_pat(&t.pat, kind, init, Some(&t.ty), known, scope_end),
            // `let &(ref lock, ref cvar) = &*pair;`: the tuple's elements still come from `init`.
            Pat::Reference(r) if matches!(&*r.pat, Pat::Tuple(_)) => {
                self.declare_pat(&r.pat, kind, init, None, None, scope_end)
            }
            Pat::Reference(r) => self.declare_pat(&r.pat, kind, None, None, None, scope_end),
            Pat::Paren(p) => self.declare_pat(&p.pat, kind, init, ty, known, scope_end),
            Pat::Tuple(t) => {
                for (i, p) in t.elems.iter().enumerate() {
                    let first = self.facts.bindings.len();
                    self.declare_pat(p, BindingKind::Pattern, None, None, None, scope_end);
                    if let (BindingKind::Let, Some(init), Pat::Ident(_)) = (kind, init, p) {
                        for b in &mut self.facts.bindings[first..] {
                            b.tuple_init = Some((init, i));
                        }
                    }
                }
            }
            Pat::TupleStruct(t) => {
                t.elems.iter().for_each(|p| self.declare_pat(p, BindingKind::Pattern, None, None, None, scope_end))
            }
            Pat::Slice(s) => {
                s.elems.iter().for_each(|p| self.declare_pat(p, BindingKind::Pattern, None, None, None, scope_end))
            }
            Pat::Or(o) => {
                if let Some(first) = o.cases.first() {
                    self.declare_pat(first, BindingKind::Pattern, None, None, None, scope_end);
                }
            }
            Pat::Struct(s) => {
                for f in &s.fields {
                    self.declare_pat(&f.pat, BindingKind::Pattern, None, None, None, scope_end);
                }
            }
            _ => {}
        }
    }

    /// The known type of an expression, if any (see [`super::types`]).
    fn type_of(&self, expr: &Expr, depth: u8) -> Option<&'static str> {
        if depth > 8 {
            return None;
        }
        match expr {
            Expr::Path(p) => {
                let ident = p.path.get_ident()?;
                let b = self.facts.binding(self.lookup(&ident.to_string())?);
                if let Some(t) = b.known_type {
                    return Some(t);
                }
                if let Some(ty) = b.ty {
                    if let Some(t) = type_path(ty).and_then(|p| self.resolve(p)).and_then(|r| known_type(&r)) {
                        return Some(t);
                    }
                }
                b.init.and_then(|init| self.type_of(init, depth + 1))
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let resolved = self.resolve(&p.path)?;
                if let Some(t) = constructor_type(&resolved) {
                    return Some(t);
                }
                match resolved.as_str() {
                    "Arc::new"
                    | "std::sync::Arc::new"
                    | "Rc::new"
                    | "std::rc::Rc::new"
                    | "Box::new"
                    | "Arc::clone"
                    | "std::sync::Arc::clone"
                    | "Some" => self.type_of(c.args.first()?, depth + 1),
                    _ => None,
                }
            }
            Expr::MethodCall(m) => {
                let recv = self.type_of(&m.receiver, depth + 1)?;
                method_result_type(recv, &m.method.to_string())
            }
            Expr::Field(f) => {
                let syn::Member::Named(name) = &f.member else { return None };
                let ty = (*self.field_types.get(&name.to_string())?)?;
                type_path(ty).and_then(|p| self.resolve(p)).and_then(|r| known_type(&r))
            }
            Expr::Reference(r) => self.type_of(&r.expr, depth + 1),
            Expr::Paren(p) => self.type_of(&p.expr, depth + 1),
            Expr::Group(g) => self.type_of(&g.expr, depth + 1),
            Expr::Try(t) => self.type_of(&t.expr, depth + 1),
            _ => None,
        }
    }

    fn flow(&self, expr: &'a Expr) -> (Flow<'a>, bool) {
        let resolver = &self.resolver;
        flow_of(expr, &self.ancestors, &|p| resolver.resolve(p))
    }

    fn enter_fn(
        &mut self,
        name: &syn::Ident,
        attrs: &'a [syn::Attribute],
        sig: &'a syn::Signature,
        body: &'a syn::Block,
        private_method: bool,
    ) {
        self.facts.fn_items.entry(name.to_string()).or_default().push(body);
        let file = self.file;
        let test = test_attr(attrs, &self.options.extra_test_attrs, |a| span_of(file, a));
        let saved_ctx = self.ctx;
        let saved_floor = self.scope_floor;
        let saved_ancestors = std::mem::take(&mut self.ancestors);
        let fn_id = FnId(self.facts.fns.len() as u32);
        self.ctx = Ctx {
            fn_id: Some(fn_id),
            is_async: sig.asyncness.is_some(),
            async_span: sig.asyncness.map(|a| span_of_span(file, a.span)),
            is_test: self.in_test_module || test.is_some() || is_cfg_test(attrs),
            loop_id: None,
            spawn_body: None,
            in_select_future: false,
            deferred: false,
            closure: ClosureCtx::None,
        };
        self.facts.fns.push(FnFacts {
            name: name.to_string(),
            ident_span: span_of_span(file, name.span()),
            sig,
            attrs,
            body,
            test_attr: test,
            ctx: self.ctx,
            self_ty: self.self_ty.clone(),
            private_method,
        });
        self.scope_floor = self.scopes.len();
        self.push_scope();
        let scope_end = Some(span_of_span(file, body.brace_token.span.close()));
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                self.declare_pat(&t.pat, BindingKind::Param, None, Some(&t.ty), None, scope_end);
            }
        }
        self.ancestors.push(Node::FnBody);
        self.visit_block(body);
        self.ancestors.pop();
        self.pop_scope();
        self.scope_floor = saved_floor;
        self.ancestors = saved_ancestors;
        self.ctx = saved_ctx;
    }

    fn record_discard(&mut self, value: &'a Expr, kind: DiscardKind) {
        self.facts.discards.insert(discard_key(peel_parens(value)), kind);
    }

    fn item_is_test(&self, attrs: &[syn::Attribute]) -> bool {
        self.in_test_module || self.ctx.is_test || is_cfg_test(attrs)
    }

    /// Records a type definition with its fields' types resolved in the current `use` scope.
    fn record_type(
        &mut self,
        kind: items::TypeKind,
        ident: &'a syn::Ident,
        attrs: &'a [syn::Attribute],
        vis: &'a syn::Visibility,
        generics: &'a syn::Generics,
        fields: Vec<&'a syn::Field>,
    ) {
        let resolver = &self.resolver;
        let resolve = |p: &syn::Path| resolver.resolve(p);
        let fields = fields.into_iter().map(|f| items::field_fact(f, self.file, &resolve)).collect();
        let is_test = self.item_is_test(attrs);
        self.facts.types.push(items::TypeDef { kind, ident, attrs, vis, generics, fields, is_test });
    }

    fn record_impl(&mut self, i: &'a syn::ItemImpl) {
        let unsafe_auto_trait = match (&i.unsafety, &i.trait_) {
            (Some(_), Some((None, path, _))) => items::send_sync_trait(path),
            _ => None,
        };
        let self_name = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let is_test = self.item_is_test(&i.attrs);
        self.facts.impls.push(items::ImplFact { item: i, unsafe_auto_trait, self_name, is_test });
    }

    fn record_spawn(&mut self, call: &'a Expr, spawner: Spawner, api: String, callee_span: Span, args: &[&'a Expr]) {
        let id = SpawnId(self.facts.spawns.len() as u32);
        let body = args
            .iter()
            .copied()
            .map(block_tail)
            .find(|a| matches!(a, Expr::Closure(_) | Expr::Async(_)))
            .or(args.first().copied());
        if let Some(b) = body {
            if matches!(b, Expr::Closure(_) | Expr::Async(_)) {
                self.spawn_bodies.insert(b as *const Expr, id);
            }
        }
        let (flow, per_element) = self.flow(call);
        self.facts.spawns.push(Spawn { call, spawner, api, callee_span, body, flow, per_element, ctx: self.ctx });
        // A plain closure handed to any spawner (a thread, `spawn_blocking` of tokio, async-std
        // or a runtime `Handle`, a rayon pool) runs on a thread of its own, outside async code;
        // spawners of futures take async blocks, which are async context again.
        for a in args.iter().copied().map(block_tail) {
            if matches!(a, Expr::Closure(_)) {
                self.sync_closures.insert(a as *const Expr);
            }
        }
    }

    fn visit_call(&mut self, e: &'a Expr, c: &'a syn::ExprCall) {
        let args: Vec<&'a Expr> = c.args.iter().collect();
        if let Expr::Path(p) = &*c.func {
            let resolved = self.resolve(&p.path);
            let callee_span = path_span(self.file, &p.path);
            let known = resolved.as_deref().and_then(path_spawner);
            let configured = || {
                let options = self.options;
                (!options.extra_spawners.is_empty())
                    .then(|| extra_spawner(&options.extra_spawners, &self.resolver.written_target(&p.path)))
                    .flatten()
            };
            if let Some(spawner) = known.or_else(configured) {
                let api = path_text(&p.path);
                self.record_spawn(e, spawner, api, callee_span, &args);
            }
            if let Some(r) = resolved.as_deref() {
                if let Some(t) = scope_param_type(r) {
                    for a in &args {
                        if matches!(a, Expr::Closure(_)) {
                            self.closure_param_types.insert(*a as *const Expr, t);
                        }
                    }
                }
                if matches!(
                    r,
                    "tokio::task::block_in_place"
                        | "std::thread::scope"
                        | "crossbeam::scope"
                        | "async_std::task::spawn_blocking"
                        | "smol::unblock"
                        | "blocking::unblock"
                ) {
                    for a in &args {
                        if matches!(a, Expr::Closure(_)) {
                            self.sync_closures.insert(*a as *const Expr);
                        }
                    }
                }
            }
            let last = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            if is_block_on(&last) {
                self.mark_inline(&args);
            }
            let (flow, _) = self.flow(e);
            self.facts.calls.push(Call {
                expr: e,
                callee: Callee::Path { resolved, path: &p.path },
                args: args.clone(),
                callee_span,
                flow,
                ctx: self.ctx,
            });
        } else {
            // `(|| …)()`: an immediately invoked closure runs in place.
            if let Expr::Paren(p) = &*c.func {
                self.inline_bodies.insert(&*p.expr as *const Expr);
            }
            self.visit_expr(&c.func);
        }
        for a in args {
            self.visit_expr(a);
        }
    }

    fn mark_inline(&mut self, args: &[&'a Expr]) {
        for a in args {
            self.inline_bodies.insert(*a as *const Expr);
        }
    }

    fn visit_method_call(&mut self, e: &'a Expr, m: &'a syn::ExprMethodCall) {
        let name = m.method.to_string();
        let args: Vec<&'a Expr> = m.args.iter().collect();
        let method_span = span_of_span(self.file, m.method.span());
        let simple_receiver = matches!(&*m.receiver, Expr::Path(_) | Expr::Field(_));
        let callee_span = if simple_receiver { self.cheap_span(&m.receiver).to(method_span) } else { method_span };
        let needs_type = is_spawn_method(&name) || matches!(name.as_str(), "scope" | "scope_fifo" | "in_place_scope");
        if needs_type {
            if let Some(recv_ty) = self.type_of(&m.receiver, 0) {
                if is_spawn_method(&name) {
                    if let Some(spawner) = method_spawner(recv_ty, &name) {
                        let api = if simple_receiver {
                            format!("{}.{}", expr_text(&m.receiver), name)
                        } else {
                            format!("{}::{}", recv_ty.rsplit("::").next().unwrap_or(recv_ty), name)
                        };
                        self.record_spawn(e, spawner, api, callee_span, &args);
                    }
                }
                if let Some(t) = scope_method_param_type(recv_ty, &name) {
                    for a in &args {
                        if matches!(a, Expr::Closure(_)) {
                            self.closure_param_types.insert(*a as *const Expr, t);
                        }
                    }
                }
            }
        }
        if is_block_on(&name) {
            self.mark_inline(&args);
        }
        // `spawn_blocking` by any receiver (a runtime `Handle` or `Runtime` of unknown type, a
        // `JoinSet`) runs its closure on a blocking pool: never async context. Matching the
        // method name only makes code quieter, never louder.
        if matches!(name.as_str(), "spawn_blocking" | "block_in_place") {
            for a in &args {
                if matches!(a, Expr::Closure(_)) {
                    self.sync_closures.insert(*a as *const Expr);
                }
            }
        }
        if is_iterator_closure_method(&name) && looks_like_iterator(&m.receiver) {
            for a in &args {
                if matches!(a, Expr::Closure(_)) {
                    self.iter_closures.insert(*a as *const Expr, (method_span, &m.receiver));
                }
            }
        }
        if let Some((mode, is_try)) = super::locks::lock_method(&name, args.len()) {
            let ty = super::locks::receiver_lock_type(self, &m.receiver);
            let fn_id = self.ctx.fn_id;
            let in_place = super::locks::lock_in_place(self, &m.receiver);
            self.facts.lock_sites.push(super::locks::LockSite { expr: e, call: m, mode, is_try, ty, fn_id, in_place });
        }
        let (flow, _) = self.flow(e);
        self.facts.calls.push(Call {
            expr: e,
            callee: Callee::Method { name, receiver: &m.receiver },
            args: args.clone(),
            callee_span,
            flow,
            ctx: self.ctx,
        });
        self.visit_expr(&m.receiver);
        for a in args {
            self.visit_expr(a);
        }
    }

    fn visit_closure(&mut self, e: &'a Expr, c: &'a syn::ExprClosure) {
        let saved = self.ctx;
        let key = e as *const Expr;
        if !self.inline_bodies.contains(&key) && !self.iter_closures.contains_key(&key) {
            self.ctx.deferred = true;
        }
        if self.sync_closures.contains(&key) {
            self.ctx.is_async = false;
            self.ctx.async_span = None;
            self.ctx.closure = ClosureCtx::None;
        } else if c.asyncness.is_none() && self.ctx.closure != ClosureCtx::Opaque {
            self.ctx.closure = if self.closure_runs_in_place() { ClosureCtx::Inline } else { ClosureCtx::Opaque };
        }
        if c.asyncness.is_some() {
            self.ctx.is_async = true;
            self.ctx.async_span = c.asyncness.map(|a| span_of_span(self.file, a.span));
            self.ctx.closure = ClosureCtx::None;
        }
        if let Some(id) = self.spawn_bodies.get(&key) {
            self.ctx.spawn_body = Some(*id);
        }
        if let Some((kw, source)) = self.iter_closures.get(&key).copied() {
            let id = self.push_loop(e, LoopKind::IterClosure, kw, None, Some(source), None);
            self.ctx.loop_id = Some(id);
        }
        let known = self.closure_param_types.get(&key).copied();
        self.push_scope();
        for (i, input) in c.inputs.iter().enumerate() {
            self.declare_pat(input, BindingKind::ClosureParam, None, None, if i == 0 { known } else { None }, None);
        }
        self.visit_expr(&c.body);
        self.pop_scope();
        self.ctx = saved;
    }

    /// Whether the closure on top of the ancestor stack visibly runs where it is written: it
    /// is called at once, or passed to an adaptor that calls it before returning.
    fn closure_runs_in_place(&self) -> bool {
        let n = self.ancestors.len();
        let Some(Node::Expr(closure)) = self.ancestors.last() else { return false };
        let mut child: &Expr = closure;
        let mut i = n.saturating_sub(1);
        while i > 0 {
            i -= 1;
            let Node::Expr(parent) = self.ancestors[i] else { return false };
            match parent {
                Expr::Paren(_) | Expr::Group(_) => {}
                Expr::MethodCall(m) => {
                    return !std::ptr::eq(&*m.receiver, child) && runs_closure_in_place(&m.method.to_string());
                }
                Expr::Call(c) => {
                    if std::ptr::eq(&*c.func, child) {
                        return true;
                    }
                    let Expr::Path(p) = &*c.func else { return false };
                    match self.resolve(&p.path).as_deref() {
                        Some("std::panic::catch_unwind") => return true,
                        // `catch_unwind(AssertUnwindSafe(|| …))`
                        Some("std::panic::AssertUnwindSafe" | "AssertUnwindSafe") => {}
                        _ => return false,
                    }
                }
                _ => return false,
            }
            child = parent;
        }
        false
    }

    fn push_loop(
        &mut self,
        expr: &'a Expr,
        kind: LoopKind,
        keyword_span: Span,
        label: Option<&syn::Label>,
        source: Option<&'a Expr>,
        body: Option<&'a syn::Block>,
    ) -> LoopId {
        let id = LoopId(self.facts.loops.len() as u32);
        self.facts.loops.push(LoopFacts {
            expr,
            kind,
            keyword_span,
            label: label.map(|l| l.name.ident.to_string()),
            source,
            body,
            ctx: self.ctx,
            parent: self.ctx.loop_id,
        });
        id
    }

    fn visit_path_expr(&mut self, e: &'a Expr, p: &'a syn::ExprPath) {
        if p.qself.is_some() {
            return;
        }
        if let Some(ident) = p.path.get_ident() {
            if let Some(binding) = self.lookup_ident(ident) {
                let (flow, _) = self.flow(e);
                self.add_use(binding, Some(e), span_of_span(self.file, ident.span()), flow);
            }
        }
    }

    fn add_use(&mut self, binding: BindingId, expr: Option<&'a Expr>, span: Span, flow: Flow<'a>) {
        let id = UseId(self.facts.uses.len() as u32);
        if let Some(e) = expr {
            self.facts.use_by_expr.insert(e as *const Expr as usize, id);
        }
        self.facts.uses.push(Use { binding, expr, span, flow, ctx: self.ctx });
        self.facts.bindings[binding.0 as usize].uses.push(id);
    }

    /// Names used inside macro tokens we could not read as code count as used, in an unknown way.
    fn visit_macro_tokens(&mut self, tokens: &proc_macro2::TokenStream) {
        for tt in tokens.clone() {
            match tt {
                proc_macro2::TokenTree::Ident(ident) => {
                    if let Some(binding) = self.lookup_ident(&ident) {
                        self.add_use(binding, None, span_of_span(self.file, ident.span()), Flow::Other);
                    }
                }
                proc_macro2::TokenTree::Group(g) => self.visit_macro_tokens(&g.stream()),
                _ => {}
            }
        }
    }
}

/// Functions that run a future or closure to completion on the calling thread.
fn is_block_on(name: &str) -> bool {
    matches!(name, "block_on" | "run" | "block_in_place" | "scope" | "in_place_scope")
}

/// `{ let x = x.clone(); move || … }` as an argument: the closure is the tail of the block.
fn block_tail(e: &Expr) -> &Expr {
    match e {
        Expr::Block(b) if b.label.is_none() => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => block_tail(tail),
            _ => e,
        },
        Expr::Paren(p) => block_tail(&p.expr),
        _ => e,
    }
}

/// Adaptors that call their closure argument before they return (or while the value they
/// return is iterated or polled in place).
pub(crate) fn runs_closure_in_place(name: &str) -> bool {
    matches!(
        name,
        "map"
            | "map_err"
            | "and_then"
            | "or_else"
            | "unwrap_or_else"
            | "map_or"
            | "map_or_else"
            | "ok_or_else"
            | "filter"
            | "filter_map"
            | "flat_map"
            | "for_each"
            | "try_for_each"
            | "fold"
            | "try_fold"
            | "any"
            | "all"
            | "find"
            | "find_map"
            | "position"
            | "inspect"
            | "take_while"
            | "skip_while"
            | "map_while"
            | "scan"
            | "retain"
            | "sort_by"
            | "sort_by_key"
            | "sort_unstable_by"
            | "sort_unstable_by_key"
            | "max_by_key"
            | "min_by_key"
            | "max_by"
            | "min_by"
            | "then"
            | "get_or_insert_with"
            | "or_insert_with"
            | "or_insert_with_key"
            | "and_modify"
            | "is_some_and"
            | "is_ok_and"
            | "is_none_or"
            | "with"
            | "with_borrow"
            | "with_borrow_mut"
            | "partition"
            | "get_or_init"
            | "call_once"
            | "zip_with"
    )
}

/// `_` on the left of `_ = expr`.
fn is_underscore(e: &Expr) -> bool {
    match e {
        Expr::Infer(_) => true,
        Expr::Path(p) => p.path.is_ident("_"),
        _ => false,
    }
}

impl<'a> super::locks::LockTypeEnv<'a> for Walker<'a, '_> {
    fn resolve_path(&self, path: &syn::Path) -> Option<String> {
        self.resolve(path)
    }

    fn local(
        &self,
        name: &str,
        before: Option<BindingId>,
    ) -> Option<(BindingId, Option<&'a syn::Type>, Option<&'a Expr>)> {
        let visible = |(n, id): &&(String, BindingId)| n == name && before.is_none_or(|b| *id < b);
        let id = self.scopes[self.scope_floor..]
            .iter()
            .rev()
            .find_map(|scope| scope.iter().rev().find(visible).map(|(_, id)| *id))?;
        let b = self.facts.binding(id);
        Some((id, b.ty, b.init))
    }

    fn field_type(&self, name: &str) -> Option<&'a syn::Type> {
        *self.field_types.get(name)?
    }

    fn static_type(&self, name: &str) -> Option<&'a syn::Type> {
        self.statics.get(name).copied()
    }
}

fn is_iterator_closure_method(name: &str) -> bool {
    matches!(
        name,
        "for_each"
            | "try_for_each"
            | "map"
            | "filter_map"
            | "flat_map"
            | "for_each_concurrent"
            | "try_for_each_concurrent"
    )
}

/// A receiver chain that is visibly an iterator or stream over many elements.
fn looks_like_iterator(expr: &Expr) -> bool {
    let mut cur = expr;
    loop {
        match cur {
            Expr::MethodCall(m) => {
                let n = m.method.to_string();
                if matches!(
                    n.as_str(),
                    "iter"
                        | "into_iter"
                        | "iter_mut"
                        | "drain"
                        | "chunks"
                        | "chunks_exact"
                        | "windows"
                        | "lines"
                        | "incoming"
                        | "keys"
                        | "values"
                        | "values_mut"
                        | "split"
                        | "enumerate"
                        | "zip"
                        | "par_iter"
                        | "into_par_iter"
                        | "bytes"
                        | "chars"
                        | "par_chunks"
                ) {
                    return true;
                }
                cur = &m.receiver;
            }
            Expr::Paren(p) => return matches!(&*p.expr, Expr::Range(_)),
            Expr::Range(_) => return true,
            _ => return false,
        }
    }
}

/// The path as written, without generic arguments.
pub fn path_text(path: &syn::Path) -> String {
    let mut s = String::new();
    if path.leading_colon.is_some() {
        s.push_str("::");
    }
    for (i, seg) in path.segments.iter().enumerate() {
        if i > 0 {
            s.push_str("::");
        }
        s.push_str(&seg.ident.to_string());
    }
    s
}

/// A short rendering of a simple expression (`self.rt`, `handle`), for messages.
pub fn expr_text(expr: &Expr) -> String {
    match expr {
        Expr::Path(p) => path_text(&p.path),
        Expr::Field(f) => {
            let member = match &f.member {
                syn::Member::Named(n) => n.to_string(),
                syn::Member::Unnamed(i) => i.index.to_string(),
            };
            format!("{}.{}", expr_text(&f.base), member)
        }
        Expr::Reference(r) => expr_text(&r.expr),
        Expr::Paren(p) => expr_text(&p.expr),
        Expr::MethodCall(m) => format!("{}.{}()", expr_text(&m.receiver), m.method),
        Expr::Call(c) => format!("{}(…)", expr_text(&c.func)),
        _ => "…".to_string(),
    }
}

impl<'a> Visit<'a> for Walker<'a, '_> {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.enter_fn(&f.sig.ident, &f.attrs, &f.sig, &f.block, false);
    }

    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        let private = !self.in_trait_impl && matches!(f.vis, syn::Visibility::Inherited);
        self.enter_fn(&f.sig.ident, &f.attrs, &f.sig, &f.block, private);
    }

    fn visit_trait_item_fn(&mut self, f: &'a syn::TraitItemFn) {
        if let Some(body) = &f.default {
            self.enter_fn(&f.sig.ident, &f.attrs, &f.sig, body, false);
        }
    }

    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        let Some((_, items)) = &m.content else { return };
        let saved = self.in_test_module;
        self.in_test_module |= is_cfg_test(&m.attrs);
        self.resolver.push_module(items);
        for item in items {
            self.visit_item(item);
        }
        self.resolver.pop();
        self.in_test_module = saved;
    }

    fn visit_item_impl(&mut self, i: &'a syn::ItemImpl) {
        let saved = self.in_test_module;
        self.in_test_module |= is_cfg_test(&i.attrs);
        self.record_impl(i);
        let ty = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let saved_ty = std::mem::replace(&mut self.self_ty, ty);
        let saved_trait = std::mem::replace(&mut self.in_trait_impl, i.trait_.is_some());
        visit::visit_item_impl(self, i);
        self.in_trait_impl = saved_trait;
        self.self_ty = saved_ty;
        self.in_test_module = saved;
    }

    fn visit_item_const(&mut self, c: &'a syn::ItemConst) {
        self.visit_expr(&c.expr);
    }

    fn visit_item_trait(&mut self, t: &'a syn::ItemTrait) {
        self.facts.traits.push(t);
        visit::visit_item_trait(self, t);
    }

    fn visit_item_struct(&mut self, s: &'a syn::ItemStruct) {
        let fields: Vec<&'a syn::Field> = s.fields.iter().collect();
        self.record_type(items::TypeKind::Struct, &s.ident, &s.attrs, &s.vis, &s.generics, fields);
    }

    fn visit_item_enum(&mut self, e: &'a syn::ItemEnum) {
        let fields: Vec<&'a syn::Field> = e.variants.iter().flat_map(|v| v.fields.iter()).collect();
        self.record_type(items::TypeKind::Enum, &e.ident, &e.attrs, &e.vis, &e.generics, fields);
        for v in &e.variants {
            if let Some((_, d)) = &v.discriminant {
                self.visit_expr(d);
            }
        }
    }

    fn visit_item_union(&mut self, u: &'a syn::ItemUnion) {
        let fields: Vec<&'a syn::Field> = u.fields.named.iter().collect();
        self.record_type(items::TypeKind::Union, &u.ident, &u.attrs, &u.vis, &u.generics, fields);
    }

    fn visit_item_static(&mut self, s: &'a syn::ItemStatic) {
        let is_test = self.item_is_test(&s.attrs);
        let handle_type = super::handles::join_handle_type(&s.ty, &|p| self.resolve(p));
        self.facts.statics.push(items::StaticFact { item: s, is_test, handle_type });
        self.visit_expr(&s.expr);
    }

    fn visit_item_macro(&mut self, _: &'a syn::ItemMacro) {}

    fn visit_block(&mut self, b: &'a syn::Block) {
        let items = b.stmts.iter().filter_map(|s| match s {
            syn::Stmt::Item(i) => Some(i),
            _ => None,
        });
        self.resolver.push_block(items);
        self.push_scope();
        self.ancestors.push(Node::Block(b));
        for stmt in &b.stmts {
            self.visit_stmt(stmt);
        }
        self.ancestors.pop();
        self.pop_scope();
        self.resolver.pop();
    }

    fn visit_stmt(&mut self, s: &'a syn::Stmt) {
        if let syn::Stmt::Expr(e, Some(_)) = s {
            match e {
                Expr::Assign(a) if is_underscore(&a.left) => self.record_discard(&a.right, DiscardKind::AssignWild),
                _ => self.record_discard(e, DiscardKind::Statement),
            }
        }
        self.ancestors.push(Node::Stmt(s));
        match s {
            syn::Stmt::Local(l) => self.visit_local(l),
            syn::Stmt::Item(i) => self.visit_item(i),
            syn::Stmt::Expr(e, _) => self.visit_expr(e),
            syn::Stmt::Macro(m) => self.visit_macro_tokens(&m.mac.tokens),
        }
        self.ancestors.pop();
    }

    fn visit_local(&mut self, l: &'a syn::Local) {
        let wild = match &l.pat {
            Pat::Wild(_) => true,
            Pat::Type(t) => matches!(&*t.pat, Pat::Wild(_)),
            _ => false,
        };
        if let (true, Some(init)) = (wild, &l.init) {
            if init.diverge.is_none() {
                self.record_discard(&init.expr, DiscardKind::LetWild);
            }
        }
        self.ancestors.push(Node::Local(l));
        let saved = self.ctx;
        if self.select_futures.contains(&(l as *const syn::Local)) {
            self.ctx.in_select_future = true;
        }
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.ctx = saved;
        self.ancestors.pop();
        let scope_end = self.ancestors.iter().rev().find_map(|n| match n {
            Node::Block(b) => Some(span_of_span(self.file, b.brace_token.span.close())),
            _ => None,
        });
        let init = l.init.as_ref().map(|i| &*i.expr);
        self.declare_pat(&l.pat, BindingKind::Let, init, None, None, scope_end);
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.ancestors.push(Node::Expr(e));
        match e {
            Expr::Call(c) => self.visit_call(e, c),
            Expr::MethodCall(m) => self.visit_method_call(e, m),
            Expr::Path(p) => self.visit_path_expr(e, p),
            Expr::Closure(c) => self.visit_closure(e, c),
            Expr::Async(a) => {
                let saved = self.ctx;
                if !self.inline_bodies.contains(&(e as *const Expr)) {
                    let (flow, _) = self.flow(e);
                    if !matches!(flow, Flow::Awaited(_) | Flow::Returned) {
                        self.ctx.deferred = true;
                    }
                }
                self.ctx.is_async = true;
                self.ctx.async_span = Some(span_of_span(self.file, a.async_token.span));
                self.ctx.closure = ClosureCtx::None;
                if let Some(id) = self.spawn_bodies.get(&(e as *const Expr)) {
                    self.ctx.spawn_body = Some(*id);
                }
                self.visit_block(&a.block);
                self.ctx = saved;
            }
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                let kw = span_of_span(self.file, f.for_token.span);
                let id = self.push_loop(e, LoopKind::For, kw, f.label.as_ref(), Some(&f.expr), Some(&f.body));
                let saved = self.ctx;
                self.ctx.loop_id = Some(id);
                self.push_scope();
                let end = Some(span_of_span(self.file, f.body.brace_token.span.close()));
                self.declare_pat(&f.pat, BindingKind::ForElement, Some(&f.expr), None, None, end);
                self.visit_block(&f.body);
                self.pop_scope();
                self.ctx = saved;
            }
            Expr::While(w) => {
                let kind = if matches!(&*w.cond, Expr::Let(_)) { LoopKind::WhileLet } else { LoopKind::While };
                let kw = span_of_span(self.file, w.while_token.span);
                let id = self.push_loop(e, kind, kw, w.label.as_ref(), Some(&w.cond), Some(&w.body));
                let saved = self.ctx;
                self.ctx.loop_id = Some(id);
                self.push_scope();
                self.visit_expr(&w.cond);
                self.visit_block(&w.body);
                self.pop_scope();
                self.ctx = saved;
            }
            Expr::Loop(l) => {
                let kw = span_of_span(self.file, l.loop_token.span);
                let id = self.push_loop(e, LoopKind::Loop, kw, l.label.as_ref(), None, Some(&l.body));
                let saved = self.ctx;
                self.ctx.loop_id = Some(id);
                self.visit_block(&l.body);
                self.ctx = saved;
            }
            Expr::Let(l) => {
                self.visit_expr(&l.expr);
                self.declare_pat(&l.pat, BindingKind::Pattern, None, None, None, None);
            }
            Expr::If(i) => {
                // `if let` bindings are visible in the then-branch only.
                self.push_scope();
                self.visit_expr(&i.cond);
                self.visit_block(&i.then_branch);
                self.pop_scope();
                if let Some((_, els)) = &i.else_branch {
                    self.visit_expr(els);
                }
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                if matches!(&*m.expr, Expr::Tuple(t) if t.elems.is_empty()) {
                    // `select!` as rewritten by `macros::expand`: each arm starts with its future.
                    for arm in &m.arms {
                        if let Expr::Block(b) = &*arm.body {
                            if let Some(syn::Stmt::Local(l)) = b.block.stmts.first() {
                                self.select_futures.insert(l as *const syn::Local);
                            }
                        }
                    }
                }
                for arm in &m.arms {
                    self.push_scope();
                    self.declare_pat(&arm.pat, BindingKind::Pattern, None, None, None, None);
                    if let Some((_, guard)) = &arm.guard {
                        self.visit_expr(guard);
                    }
                    self.visit_expr(&arm.body);
                    self.pop_scope();
                }
            }
            Expr::Macro(m) => self.visit_macro_tokens(&m.mac.tokens),
            _ => visit::visit_expr(self, e),
        }
        self.ancestors.pop();
        self.depth -= 1;
    }
}
