use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::{peel_parens, BindingId, BindingKind, Call, Callee, Ctx, Flow, FnId, LoopId, LoopKind, SpawnId};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::BTreeMap;
use syn::visit::{self, Visit};
use syn::Expr;

crate::declare_lint! {
    /// ### What it does
    /// Counts the participants of a `Barrier::new(N)` (`std::sync::Barrier`,
    /// `tokio::sync::Barrier`, `async_std::sync::Barrier`) created with a literal `N`, and
    /// reports when the count visible in the function is not a multiple of `N`. A participant is a
    /// thread or task spawned in the function whose body calls `wait` on the barrier (or on a
    /// clone of it: `barrier.clone()`, `Arc::clone(&barrier)`, `&barrier`), counted once per
    /// iteration of the literal loops around the spawn (`for _ in 0..4`, `(0..4).map(…)`,
    /// `for x in [a, b, c]`), plus the calling thread when it calls `wait` itself.
    ///
    /// ### Why is this bad
    /// A barrier releases its waiters only when exactly `N` of them have arrived. With fewer
    /// participants than `N`, every `wait` blocks forever; with more, the extra ones start a
    /// round that never fills and block forever. Barriers are reusable, so `2 × N` waiters fill
    /// two rounds and are fine: only a count that is not a multiple of `N` leaves a round
    /// unfilled. Either way the program deadlocks, usually
    /// after an off-by-one (the caller that does, or does not, wait too). Go's `WaitGroup`
    /// rule: the count must match the workers.
    ///
    /// ### Known problems
    /// The lint only counts what it can count, and stays silent otherwise: a non-literal `N`
    /// (even a `const`), a spawn in a loop whose trip count is not a literal, a spawn or a
    /// `wait` under an `if` or `match`, a `wait` in a closure that is not the spawned body, a
    /// barrier passed to a function, stored or returned, a caller that waits inside a loop.
    /// A `break` in a literal loop is not seen.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let barrier = Arc::new(Barrier::new(4));
    /// for _ in 0..4 {
    ///     let b = Arc::clone(&barrier);
    ///     thread::spawn(move || {
    ///         setup();
    ///         b.wait();
    ///     });
    /// }
    /// barrier.wait(); // a 5th participant: one thread blocks forever
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let barrier = Arc::new(Barrier::new(5)); // 4 workers and the caller
    /// ```
    pub static BARRIER_COUNT_MISMATCH = {
        name: "barrier_count_mismatch",
        rule: Some(Rule::JoinAccounting),
        category: Correctness,
        cost: Hang,
        summary: "a `Barrier::new(N)` has a different number of participants than `N`",
        why: "a barrier whose count does not match its waiters deadlocks",
    };
}

const BARRIERS: &[&str] = &["std::sync::Barrier::new", "tokio::sync::Barrier::new", "async_std::sync::Barrier::new"];

pub fn check(cx: &FileCx<'_>) {
    // Closures passed to iterator adaptors, computed for the first barrier only.
    let mut iter_closures: Option<Vec<*const Expr>> = None;
    for call in &cx.facts.calls {
        if !call.resolved().is_some_and(|p| BARRIERS.contains(&p)) {
            continue;
        }
        let Some(n) = call.args.first().and_then(|a| int_literal(a)) else {
            continue;
        };
        let Some(fn_id) = call.ctx.fn_id else {
            continue;
        };
        let iter_closures = iter_closures.get_or_insert_with(|| {
            cx.facts.loops.iter().filter(|l| l.kind == LoopKind::IterClosure).map(|l| l.expr as *const Expr).collect()
        });
        if let Some(count) = count_participants(cx, call, fn_id, iter_closures) {
            // A barrier of 0 releases every waiter at once, like a barrier of 1. Barriers are
            // reusable: waiters in a multiple of `N` fill every round.
            if !fills_every_round(count.total(), n.max(1)) {
                report(cx, call, n, &count);
            }
        }
    }
}

fn fills_every_round(waiters: u64, n: u64) -> bool {
    waiters >= n && waiters % n == 0
}

fn int_literal(e: &Expr) -> Option<u64> {
    match peel_parens(e) {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Who waits on the barrier.
struct Count {
    /// Participant spawns: how many times each runs, and the loops that multiply it.
    spawns: BTreeMap<SpawnId, (u64, Vec<LoopId>)>,
    /// The calling thread's first `wait`.
    caller: Option<Span>,
}

impl Count {
    fn total(&self) -> u64 {
        self.spawns.values().map(|(n, _)| *n).sum::<u64>() + u64::from(self.caller.is_some())
    }
}

/// A stretch of the function's body that runs conditionally or in another closure.
struct Region {
    span: Span,
    expr: Option<*const Expr>,
}

struct RegionFinder {
    file: crate::source::FileId,
    out: Vec<Region>,
    depth: usize,
}

impl RegionFinder {
    fn push<T: syn::spanned::Spanned + std::any::Any>(&mut self, node: &T, expr: Option<*const Expr>) {
        self.out.push(Region { span: crate::facts::walk::span_of(self.file, node), expr });
    }
}

impl<'a> Visit<'a> for RegionFinder {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.depth > 300 {
            return;
        }
        match e {
            Expr::Closure(_) | Expr::Async(_) => self.push(e, Some(e as *const Expr)),
            Expr::If(i) => {
                self.push(&i.then_branch, None);
                if let Some((_, els)) = &i.else_branch {
                    self.push(&**els, None);
                }
            }
            Expr::Match(m) => {
                for arm in &m.arms {
                    self.push(&*arm.body, None);
                }
            }
            _ => {}
        }
        self.depth += 1;
        visit::visit_expr(self, e);
        self.depth -= 1;
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Closures and async blocks that run on the calling thread, before the call returns: thread
/// scopes, `block_on`, a pool's `install`/`scope`.
fn runs_in_place(cx: &FileCx<'_>, fn_id: FnId) -> Vec<*const Expr> {
    let mut out = Vec::new();
    for c in cx.facts.calls_in(Some(fn_id)) {
        let in_place = match &c.callee {
            Callee::Path { resolved, path } => {
                let last = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                last == "block_on"
                    || resolved.as_deref().is_some_and(|r| {
                        crate::facts::types::scope_param_type(r).is_some()
                            || r == "std::thread::scope"
                            || r == "crossbeam::scope"
                    })
            }
            Callee::Method { name, .. } => {
                matches!(name.as_str(), "block_on" | "install" | "scope" | "scope_fifo" | "in_place_scope")
            }
        };
        if in_place {
            out.extend(c.args.iter().map(|a| *a as *const Expr));
        }
    }
    out
}

fn count_participants(cx: &FileCx<'_>, new: &Call<'_>, fn_id: FnId, iter_closures: &[*const Expr]) -> Option<Count> {
    let facts = cx.facts;
    let barrier = binding_of_barrier(cx, new, fn_id)?;
    let is_async = !new.resolved().is_some_and(|p| p.starts_with("std::"));
    let new_span = cx.span(new.expr);
    let func = facts.func(fn_id);
    let mut finder = RegionFinder { file: cx.file, out: Vec::new(), depth: 0 };
    finder.visit_block(func.body);
    // Regions around the barrier's creation are common to every use; ignore them.
    let regions: Vec<Region> = finder.out.into_iter().filter(|r| !contains(r.span, new_span)).collect();
    let in_place = runs_in_place(cx, fn_id);
    let new_loops: Vec<LoopId> = facts.enclosing_loops(new.ctx).map(|(id, _)| id).collect();
    let aliases = alias_inits(cx, fn_id);

    let mut count = Count { spawns: BTreeMap::new(), caller: None };
    let mut set = vec![barrier];
    let mut i = 0;
    while i < set.len() {
        if set.len() > 64 {
            return None;
        }
        let b = set[i];
        i += 1;
        for u in facts.uses_of(b) {
            if u.ctx.fn_id != Some(fn_id) {
                return None;
            }
            let expr = u.expr? as *const Expr;
            if let Some((_, alias)) = aliases.iter().find(|(inner, _)| *inner == expr) {
                if !set.contains(alias) {
                    set.push(*alias);
                }
                continue;
            }
            let Flow::Method(wait) = u.flow else {
                return None;
            };
            if wait.method != "wait" {
                return None;
            }
            // An async barrier's `wait()` is a future: it takes part only when awaited here.
            if is_async && !wait_is_awaited(cx, wait) {
                return None;
            }
            // The closures and conditionals between the `wait` and its participant.
            let around: Vec<&Region> = regions
                .iter()
                .filter(|r| contains(r.span, u.span) && !r.expr.is_some_and(|e| in_place.contains(&e)))
                .collect();
            if u.ctx.spawn_body == new.ctx.spawn_body {
                // The caller: not in a closure, not conditional, not in a loop of its own.
                if !around.is_empty() || facts.enclosing_loops(u.ctx).any(|(id, _)| !new_loops.contains(&id)) {
                    return None;
                }
                count.caller.get_or_insert(u.span);
                continue;
            }
            let sid = u.ctx.spawn_body?;
            let spawn = facts.spawns.get(sid.0 as usize)?;
            let body = spawn.body? as *const Expr;
            // The innermost region must be the spawned body itself.
            let innermost = around.iter().min_by_key(|r| r.span.end - r.span.start)?;
            if innermost.expr != Some(body)
                || around.iter().any(|r| contains(innermost.span, r.span) && r.span != innermost.span)
            {
                return None;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = count.spawns.entry(sid) {
                let runs = spawn_runs(
                    cx,
                    spawn.callee_span,
                    spawn.ctx,
                    new.ctx,
                    &new_loops,
                    &regions,
                    &in_place,
                    iter_closures,
                )?;
                slot.insert(runs);
            }
        }
    }
    if count.spawns.is_empty() && count.caller.is_none() {
        return None;
    }
    Some(count)
}

/// How many times a spawn runs per barrier: the product of the literal trip counts of the
/// loops around it that are not around the barrier's creation. `None` if not countable.
#[allow(clippy::too_many_arguments)]
fn spawn_runs(
    cx: &FileCx<'_>,
    at: Span,
    ctx: Ctx,
    new_ctx: Ctx,
    new_loops: &[LoopId],
    regions: &[Region],
    in_place: &[*const Expr],
    iter_closures: &[*const Expr],
) -> Option<(u64, Vec<LoopId>)> {
    if ctx.fn_id != new_ctx.fn_id || ctx.spawn_body != new_ctx.spawn_body {
        return None;
    }
    // Only in-place closures and loop closures may stand between the spawn and the barrier.
    let blocked = regions
        .iter()
        .any(|r| contains(r.span, at) && !r.expr.is_some_and(|e| in_place.contains(&e) || iter_closures.contains(&e)));
    if blocked {
        return None;
    }
    let mut runs = 1u64;
    let mut loops = Vec::new();
    for (id, lp) in cx.facts.enclosing_loops(ctx) {
        if new_loops.contains(&id) {
            break;
        }
        let trips = match lp.kind {
            LoopKind::For | LoopKind::IterClosure => trip_count(lp.source?)?,
            _ => return None,
        };
        runs = runs.checked_mul(trips)?;
        loops.push(id);
    }
    Some((runs, loops))
}

/// The number of elements of a literal range or array, seen through `into_iter`, `iter`,
/// `rev`, `enumerate`.
fn trip_count(e: &Expr) -> Option<u64> {
    match peel_parens(e) {
        Expr::Range(r) => {
            let start = match &r.start {
                Some(s) => int_literal(s)?,
                None => return None,
            };
            let end = int_literal(r.end.as_deref()?)?;
            match r.limits {
                syn::RangeLimits::HalfOpen(_) => Some(end.saturating_sub(start)),
                syn::RangeLimits::Closed(_) => Some((end + 1).saturating_sub(start)),
            }
        }
        Expr::Array(a) => Some(a.elems.len() as u64),
        Expr::Reference(r) => trip_count(&r.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(m.method.to_string().as_str(), "into_iter" | "iter" | "rev" | "enumerate") =>
        {
            trip_count(&m.receiver)
        }
        _ => None,
    }
}

fn wait_is_awaited(cx: &FileCx<'_>, wait: &syn::ExprMethodCall) -> bool {
    cx.facts.call_of_method(wait).is_some_and(|c| matches!(c.flow, Flow::Awaited(_)))
}

/// The local binding that holds the barrier: `let b = Barrier::new(n)`, through `Arc::new`,
/// `Rc::new`, `&`.
fn binding_of_barrier(cx: &FileCx<'_>, new: &Call<'_>, fn_id: FnId) -> Option<BindingId> {
    cx.facts.bindings_in(Some(fn_id)).find_map(|(id, b)| {
        if b.kind != BindingKind::Let {
            return None;
        }
        let mut init = peel_parens(b.init?);
        for _ in 0..4 {
            if std::ptr::eq(init, new.expr) {
                return Some(id);
            }
            init = match init {
                Expr::Reference(r) => peel_parens(&r.expr),
                Expr::Call(c) if c.args.len() == 1 && is_shared_new(&c.func) => peel_parens(&c.args[0]),
                _ => return None,
            };
        }
        None
    })
}

fn is_shared_new(func: &Expr) -> bool {
    let Expr::Path(p) = func else { return false };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), [.., "Arc" | "Rc", "new"])
}

fn is_shared_clone(func: &Expr) -> bool {
    let Expr::Path(p) = func else { return false };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), [.., "Arc" | "Rc", "clone"])
}

/// `let b = barrier.clone()`, `Arc::clone(&barrier)`, `&barrier`, `barrier`: the path
/// expression read, and the binding that becomes another name for the barrier.
fn alias_inits(cx: &FileCx<'_>, fn_id: FnId) -> Vec<(*const Expr, BindingId)> {
    let mut out = Vec::new();
    for (id, b) in cx.facts.bindings_in(Some(fn_id)) {
        if b.kind != BindingKind::Let {
            continue;
        }
        let Some(init) = b.init else { continue };
        let inner = match peel_parens(init) {
            Expr::MethodCall(m) if m.method == "clone" && m.args.is_empty() => peel_ref(&m.receiver),
            Expr::Call(c) if c.args.len() == 1 && is_shared_clone(&c.func) => peel_ref(&c.args[0]),
            Expr::Reference(r) => peel_parens(&r.expr),
            e @ Expr::Path(_) => e,
            _ => continue,
        };
        if matches!(inner, Expr::Path(_)) {
            out.push((inner as *const Expr, id));
        }
    }
    out
}

fn peel_ref(e: &Expr) -> &Expr {
    match peel_parens(e) {
        Expr::Reference(r) => peel_parens(&r.expr),
        other => other,
    }
}

fn report(cx: &FileCx<'_>, new: &Call<'_>, n: u64, count: &Count) {
    let total = count.total();
    let tasks =
        count.spawns.keys().all(|id| !cx.facts.spawns[id.0 as usize].spawner.is_thread()) && !count.spawns.is_empty();
    let who = if tasks { "tasks" } else { "threads" };
    let call_text = cx.snippet(cx.span(new.expr)).to_string();
    let message = if total < n {
        format!("`{call_text}` waits for {n} participants, but only {total} call `wait`")
    } else {
        format!("`{call_text}` waits for {n} participants, but {total} call `wait`")
    };
    let primary = if total < n {
        format!("every `wait` blocks until {n} {who} have arrived, and only {total} ever do")
    } else {
        match total % n.max(1) {
            1 => "the last waiter to arrive starts a round that never fills and blocks forever".to_string(),
            k => format!("the last {k} waiters to arrive start a round that never fills and block forever"),
        }
    };
    let mut d = Diagnostic::new(&BARRIER_COUNT_MISMATCH, cx.span(new.expr), message).primary_label(primary);
    for (id, (runs, loops)) in &count.spawns {
        let spawn = &cx.facts.spawns[id.0 as usize];
        let unit = if spawn.spawner.is_thread() { "thread" } else { "task" };
        let verb = if *runs == 1 { "waits" } else { "wait" };
        let label = if loops.is_empty() {
            format!("1 {unit} waits on the barrier from here")
        } else {
            format!("{} {verb} on the barrier from here, one per loop iteration", plural(*runs, unit))
        };
        d = d.label(spawn.callee_span, label);
    }
    if let Some(w) = count.caller {
        d = d.label(w, "the calling thread waits too");
    }
    d = d.help(format!("create the barrier with the number of participants that call `wait`: `Barrier::new({total})`"));
    if total < n && count.caller.is_none() {
        d = d.note("the caller never waits on this barrier; if it should take part, call `wait` on it after spawning");
    }
    if let Some(arg) = new.args.first() {
        d = d.suggest(
            format!("count the {total} participants"),
            cx.span(*arg),
            total.to_string(),
            Applicability::MaybeIncorrect,
        );
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
