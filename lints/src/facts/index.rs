//! Lookups over the walk's lists, built on first use: a lint that asks "which call is this
//! expression?" or "which calls are in this function?" once per finding candidate would
//! otherwise scan every call of the file each time, which is quadratic in a large file.
//!
//! Every lookup answers exactly what the scan it replaces answered: lists keep the walk's
//! order, and where several entries match, the first one in that order is kept.

use super::items::TypeDef;
use super::{Binding, BindingId, Call, Expr, Facts, FnId, LoopFacts, Spawn};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Index {
    /// Call indices by the address of the call expression.
    call_by_expr: HashMap<usize, u32>,
    /// Call indices by the address of a method call's payload ([`super::Flow::Method`]).
    call_by_method: HashMap<usize, u32>,
    /// Call indices per enclosing function, in walk order.
    calls_by_fn: HashMap<Option<FnId>, Vec<u32>>,
    /// Binding indices per enclosing function, in walk order.
    bindings_by_fn: HashMap<Option<FnId>, Vec<u32>>,
    /// Spawn indices per enclosing function, in walk order.
    spawns_by_fn: HashMap<Option<FnId>, Vec<u32>>,
    /// Loop indices by the address of the iterated expression (`for x in SOURCE`).
    loop_by_source: HashMap<usize, u32>,
    /// Use indices by the address of the path expression.
    use_by_expr: HashMap<usize, u32>,
    /// Call indices sorted by where the callee starts.
    calls_by_start: Vec<u32>,
    /// [`super::handles::any_call_aborts`], computed once.
    file_aborts: bool,
    /// Type definitions by name, in walk order.
    types_by_name: HashMap<String, Vec<u32>>,
    /// Type definitions by the address of their name's identifier.
    type_by_ident: HashMap<usize, u32>,
}

impl Index {
    pub(super) fn new(facts: &Facts<'_>) -> Index {
        let mut index = Index::default();
        for (i, call) in facts.calls.iter().enumerate() {
            let i = i as u32;
            index.call_by_expr.entry(call.expr as *const Expr as usize).or_insert(i);
            if let Expr::MethodCall(m) = call.expr {
                index.call_by_method.entry(m as *const syn::ExprMethodCall as usize).or_insert(i);
            }
            index.calls_by_fn.entry(call.ctx.fn_id).or_default().push(i);
        }
        for (i, b) in facts.bindings.iter().enumerate() {
            index.bindings_by_fn.entry(b.ctx.fn_id).or_default().push(i as u32);
        }
        for (i, spawn) in facts.spawns.iter().enumerate() {
            index.spawns_by_fn.entry(spawn.ctx.fn_id).or_default().push(i as u32);
        }
        for (i, lp) in facts.loops.iter().enumerate() {
            if let Some(source) = lp.source {
                index.loop_by_source.entry(source as *const Expr as usize).or_insert(i as u32);
            }
        }
        for (i, u) in facts.uses.iter().enumerate() {
            if let Some(e) = u.expr {
                index.use_by_expr.entry(e as *const Expr as usize).or_insert(i as u32);
            }
        }
        index.calls_by_start = (0..facts.calls.len() as u32).collect();
        index.calls_by_start.sort_by_key(|&i| facts.calls[i as usize].callee_span.start);
        index.file_aborts = super::handles::any_call_aborts(facts);
        for (i, t) in facts.types.iter().enumerate() {
            index.types_by_name.entry(t.ident.to_string()).or_default().push(i as u32);
            index.type_by_ident.entry(t.ident as *const syn::Ident as usize).or_insert(i as u32);
        }
        index
    }
}

impl<'a> Facts<'a> {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(self))
    }

    /// The call that is `expr`, if the walk recorded one.
    pub fn call_of_expr(&self, expr: &Expr) -> Option<&Call<'a>> {
        let i = *self.index().call_by_expr.get(&(expr as *const Expr as usize))?;
        Some(&self.calls[i as usize])
    }

    /// The call whose method-call payload is `m` (as [`super::Flow::Method`] hands it out).
    pub fn call_of_method(&self, m: &syn::ExprMethodCall) -> Option<&Call<'a>> {
        let i = *self.index().call_by_method.get(&(m as *const syn::ExprMethodCall as usize))?;
        Some(&self.calls[i as usize])
    }

    /// The calls whose context is function `fn_id` (`None`: outside any function), in walk order.
    pub fn calls_in(&self, fn_id: Option<FnId>) -> impl Iterator<Item = &Call<'a>> {
        let ids = self.index().calls_by_fn.get(&fn_id).map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.calls[i as usize])
    }

    /// The bindings declared in function `fn_id`, with their ids, in walk order.
    pub fn bindings_in(&self, fn_id: Option<FnId>) -> impl Iterator<Item = (BindingId, &Binding<'a>)> {
        let ids = self.index().bindings_by_fn.get(&fn_id).map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| (BindingId(i), &self.bindings[i as usize]))
    }

    /// The spawns whose context is function `fn_id`, in walk order.
    pub fn spawns_in(&self, fn_id: Option<FnId>) -> impl Iterator<Item = &Spawn<'a>> {
        let ids = self.index().spawns_by_fn.get(&fn_id).map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.spawns[i as usize])
    }

    /// The first loop (in walk order) that iterates `source`.
    pub fn loop_over(&self, source: &Expr) -> Option<&LoopFacts<'a>> {
        let i = *self.index().loop_by_source.get(&(source as *const Expr as usize))?;
        Some(&self.loops[i as usize])
    }

    /// The first use (in walk order) recorded for the path expression `expr`.
    pub fn use_of_expr(&self, expr: &Expr) -> Option<&super::Use<'a>> {
        let i = *self.index().use_by_expr.get(&(expr as *const Expr as usize))?;
        Some(&self.uses[i as usize])
    }

    /// Whether any call of the file aborts, cancels or shuts something down (see
    /// [`super::handles`]).
    pub fn file_aborts(&self) -> bool {
        self.index().file_aborts
    }

    /// The type definitions named `name` (as [`syn::Ident`]'s `==` with a string compares).
    pub fn types_named(&self, name: &str) -> impl Iterator<Item = &TypeDef<'a>> {
        let ids = self.index().types_by_name.get(name).map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.types[i as usize])
    }

    /// The type definition whose name is the identifier `ident` itself.
    pub fn type_of_ident(&self, ident: &syn::Ident) -> Option<&TypeDef<'a>> {
        let i = *self.index().type_by_ident.get(&(ident as *const syn::Ident as usize))?;
        Some(&self.types[i as usize])
    }

    /// The calls whose callee starts at or after `start` and before `end`, in no set order.
    pub fn calls_starting_in(&self, start: u32, end: u32) -> impl Iterator<Item = &Call<'a>> {
        let order = &self.index().calls_by_start;
        let from = order.partition_point(|&i| self.calls[i as usize].callee_span.start < start);
        order[from..].iter().map(move |&i| &self.calls[i as usize]).take_while(move |c| c.callee_span.start < end)
    }
}
