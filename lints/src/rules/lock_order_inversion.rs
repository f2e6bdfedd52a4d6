use crate::context::{ExportedFact, FileCx, LockEdge, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::locks::{
    has_self_exclusively, in_opposite_branches, AcqMode, Acquisition, CalleeLock, GuardId, LockFacts, LOCAL_KEY_PREFIX,
};
use crate::facts::test_attrs::is_deadlock_test;
use crate::facts::FnId;
use crate::model::locks::{Key, LockUse, OutCall, PackageLocks, ReturnedGuard, Root};
use crate::registry::Rule;
use crate::source::Span;
use std::collections::{BTreeMap, HashSet};

crate::declare_lint! {
    /// ### What it does
    /// Finds two code paths in a package that take the same two locks in opposite orders: one
    /// locks `self.accounts` and, while holding it, `self.log`; another locks `self.log` and,
    /// while holding it, `self.accounts`. The paths may be in different functions and files.
    ///
    /// Locks are compared across functions by their owner's type and field path: `self.log`
    /// in `impl Bank` and `bank.log` with `bank: &Bank` are both `Bank.log`; a `static` is its
    /// name, whether declared as a `static`, in `lazy_static!`, or as a `Lazy`/`LazyLock`/
    /// `OnceLock` (parking_lot's `M.lock()`, without `unwrap()`, counts by the static's type).
    /// A local that is a clone of an `Arc` holding a lock, or a reference to one, is that lock
    /// (`let s = self.state.clone();` is `self.state`, as `double_lock` sees it).
    ///
    /// Locks made by one call of a function (`let a = Arc::new(Mutex::new(…))`, a parameter
    /// `a: &Mutex<…>`) are compared only within that call, between two of its bodies of which
    /// one at least is spawned (`thread::spawn(move || …)`, a scoped thread, `tokio::spawn(async
    /// move { … })`) and that run at once: the thread takes `a2` (a clone of `a`) then `b2`
    /// while its parent takes `b` then `a`, or two spawned threads take the clones in opposite
    /// orders. A spawned body runs from its spawn to its handle's first `join()` or `.await`
    /// (to the end of its scope for a scoped thread); code of the parent after that, or whose
    /// locks are both taken before the spawn, does not run beside it. One body taking both
    /// orders one after the other, or two calls of the function (each has its own locks), are
    /// not reported. A `thread_local!` lock is never compared: each thread has its own.
    ///
    /// "While holding" follows guard scopes as `double_lock` does (a guard dropped before
    /// the second lock does not count), and calls to functions of the package that lock are
    /// followed, in the same file and across its files, as `double_lock` follows them (a label
    /// at each call down to the lock, in whichever file it is). A function that returns a guard
    /// (`fn accounts(&self) -> MutexGuard<'_, u32>`) takes its lock at each call, in another
    /// file too: `let a = self.accounts(); let l = self.log();` is `accounts` then `log`, held
    /// as long as the value returned lives, with a label where the function locks and returns
    /// the guard. Each inverted pair is reported once, at the later of the two second acquisitions,
    /// with the opposite order shown. Longer cycles are found too: `a` then `b` in one function,
    /// `b` then `c` in another, `c` then `a` in a third (three or four locks); each is reported
    /// once, at the latest of its second acquisitions, with a label at every step, unless two
    /// of its locks already form a reported pair.
    ///
    /// A pair is reported only when two threads running the two paths could really wait for
    /// each other:
    /// - at each of the two locks, the guard one path holds excludes what the other wants: two
    ///   reads (`read()`, `read_recursive()`, or a read and an `upgradable_read()`) never wait
    ///   for each other, so read/read at either lock is not an inversion (the single-thread
    ///   hazard of two reads is `recursive_read_lock`'s);
    /// - the two paths do not both hold a third lock that keeps them apart (a "gate": a
    ///   `static TREE: Mutex<()>` both take first, not both for reading);
    /// - they are not both sides of ordered locking: the two orders taken in opposite branches
    ///   of one test that orders the objects (`if a.id < b.id { … } else { … }`, or the arms of
    ///   `match a.id.cmp(&b.id)`) follow one global order;
    /// - neither is taken on two fields of `self` that hold their lock in place (no `Arc`, `Rc`
    ///   or reference on the way) in a method that has `self` to itself: one taking `&mut self`
    ///   or `self`, or a private `&self` method the file calls only as `self.method(…)` from
    ///   such methods (up to three callers deep). No other thread can hold either lock while
    ///   it runs.
    /// - neither is taken in a test about deadlocks (its name or code names one, as
    ///   `test_mutex_deadlock_ab` or a detector's `check_deadlock()`): it takes locks in opposite
    ///   orders on purpose, to see the deadlock detected.
    ///
    /// ### Why is this bad
    /// Two threads (or tasks) running the two paths at once can each take their first lock and
    /// then wait forever for the other's: a deadlock that shows up only under load and is hard
    /// to reproduce. Go's advice carries over: choose locks deliberately, and when a path needs
    /// two, always take them in one global order.
    ///
    /// ### Known problems
    /// Calls are followed into the functions of the same package (not other crates, not
    /// through `dyn Trait`, or closures stored and called later), up to eight calls deep, as
    /// `double_lock` describes; into another file only when the name fits one function of the
    /// package (a guard-returning function of another file only from a caller file with a
    /// lock-method call of its own, as `double_lock` says). A
    /// closure handed to a method that borrows `self` or the function's locals (not `move`, not
    /// a spawn's) runs during the call, under the caller's guards, as `double_lock` explains;
    /// one that borrows nothing or is `move` is taken to run later. Cycles of more than four locks are not looked for, nor cycles through locks local
    /// to a function. Locks reached through method calls or through indexing are not named and
    /// so not compared, nor a clone of a value the file does not show is an `Arc` or `Rc` (see
    /// `double_lock`). One spawned body that takes both orders, spawned once per iteration of a
    /// loop (`for i in 0..2 { spawn(move || if i == 0 { a, b } else { b, a }) }`), is one body
    /// and is not reported; nor are a parent's locks taken before a spawn in a loop, which the
    /// next iteration's thread can run beside; a join in a branch counts as a join. Two values of
    /// one type share their locks' names (`a.log` and `b.log` are both `Bank.log`): the same
    /// field locked on two objects is never compared (the classic `transfer(a, b)` inversion is
    /// not found), while two different fields are compared as if on one object. Paths that can
    /// never run at the same time for reasons other than the above (run only at start-up, an
    /// outer lock taken in a caller) are reported too; suppress them with a reason.
    ///
    /// ### Example
    /// ```rust,ignore
    /// fn deposit(&self, n: u64) {
    ///     let mut accounts = self.accounts.lock().unwrap();
    ///     let mut log = self.log.lock().unwrap();
    ///     // …
    /// }
    /// fn audit(&self) {
    ///     let log = self.log.lock().unwrap();
    ///     let accounts = self.accounts.lock().unwrap(); // opposite order
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// fn audit(&self) {
    ///     let accounts = self.accounts.lock().unwrap(); // always `accounts` before `log`
    ///     let log = self.log.lock().unwrap();
    /// }
    /// ```
    pub static LOCK_ORDER_INVERSION = {
        name: "lock_order_inversion",
        rule: Some(Rule::LocksAndChannels),
        category: Suspicious,
        cost: Hang,
        summary: "two code paths take the same two locks in opposite orders",
        why: "two threads taking two locks in opposite orders can each wait forever for the other",
    };
}

/// Exports every "second lock taken while the first is held" of the file.
pub fn collect(cx: &FileCx<'_>) {
    crate::model::locks::export(cx, &|locks, h| super::double_lock::guard_shown(cx, locks, h));
    let locks = cx.locks();
    let mut seen = HashSet::new();
    let in_fn = |f| cx.facts.func(f).name.clone();
    for a in &locks.acquisitions {
        if a.is_try || a.pending || is_deadlock_test(cx.facts, a.fn_id) {
            continue;
        }
        let Some(second) = &a.global else { continue };
        for &h in &a.held {
            let ha = locks.guard_acq(h);
            let Some(first) = &ha.global else { continue };
            if first == second || !seen.insert((first.clone(), second.clone(), a.span)) {
                continue;
            }
            if owns_both(cx, locks, a.fn_id, a.context, &[ha.site, a.site]) {
                continue;
            }
            cx.export(ExportedFact::LockOrder(Box::new(LockEdge {
                first: first.clone(),
                second: second.clone(),
                first_text: ha.lock_text.clone(),
                second_text: a.lock_text.clone(),
                first_mode: ha.mode,
                second_mode: a.mode,
                gates: gates(locks, &a.held, h),
                order: a.order.clone(),
                first_span: ha.span,
                second_span: a.span,
                via: None,
                in_fn: in_fn(a.fn_id),
                steps: callback_step(ha, a),
                context: a.context,
                spawned: locks.spawned.get(&a.context).copied(),
                first_steps: Vec::new(),
            })));
        }
    }
    for call in locks.calls.iter().filter(|c| !is_deadlock_test(cx.facts, c.fn_id)) {
        let call_context = locks.fn_contexts.get(&call.fn_id).copied();
        for cl in locks.callee_locks(cx.facts, call) {
            let Some(second) = &cl.global else { continue };
            let inner = &locks.acquisitions[cl.acq];
            for &h in &cl.held {
                let ha = locks.guard_acq(h);
                let Some(first) = &ha.global else { continue };
                if first == second || !seen.insert((first.clone(), second.clone(), call.span)) {
                    continue;
                }
                let in_body = call_context == Some(ha.context);
                if in_body && owns_both(cx, locks, call.fn_id, ha.context, &[ha.site, inner.site]) {
                    continue;
                }
                cx.export(ExportedFact::LockOrder(Box::new(LockEdge {
                    first: first.clone(),
                    second: second.clone(),
                    first_text: ha.lock_text.clone(),
                    second_text: inner.lock_text.clone(),
                    first_mode: ha.mode,
                    second_mode: inner.mode,
                    gates: gates(locks, &cl.held, h),
                    order: call.order.clone(),
                    first_span: ha.span,
                    second_span: call.span,
                    via: Some(call.text.clone()),
                    in_fn: in_fn(call.fn_id),
                    steps: steps(cx, locks, &cl),
                    context: call.context,
                    spawned: locks.spawned.get(&call.context).copied(),
                    first_steps: Vec::new(),
                })));
            }
        }
    }
}

/// The steps from a call down to the lock its callee takes: "`summary` calls
/// `self.pending()` here", …, "`pending` locks `self.jobs` here".
/// The call that runs the closure `a` is in, while `held` (taken outside it) is held.
fn callback_step(held: &Acquisition, a: &Acquisition) -> Vec<(Span, String)> {
    match &a.callback {
        Some(callback) if held.callback.as_ref() != Some(callback) => {
            vec![(callback.0, format!("`{}` runs this closure during the call", callback.1))]
        }
        _ => Vec::new(),
    }
}

fn steps(cx: &FileCx<'_>, locks: &LockFacts, cl: &CalleeLock) -> Vec<(Span, String)> {
    let mut out: Vec<(Span, String)> = cl
        .chain
        .iter()
        .map(|&i| {
            let c = &locks.calls[i];
            (c.span, format!("`{}` calls `{}` here", cx.facts.func(c.fn_id).name, c.text))
        })
        .collect();
    let a = &locks.acquisitions[cl.acq];
    out.push((a.span, format!("`{}` locks `{}` here", cx.facts.func(a.fn_id).name, a.lock_text)));
    out
}

/// The other named locks held besides `first`, and how.
fn gates(locks: &LockFacts, held: &[GuardId], first: GuardId) -> Vec<(String, AcqMode)> {
    held.iter()
        .filter(|&&g| g != first)
        .filter_map(|&g| {
            let a = locks.guard_acq(g);
            a.global.clone().map(|name| (name, a.mode))
        })
        .collect()
}

/// Both locks are fields of `self` held in place, taken in the own body of a method that has
/// `self` to itself: no other thread can hold either meanwhile.
fn owns_both(cx: &FileCx<'_>, locks: &LockFacts, f: FnId, context: u32, sites: &[usize]) -> bool {
    locks.fn_contexts.get(&f) == Some(&context)
        && sites.iter().all(|&s| cx.facts.lock_sites.get(s).is_some_and(|s| s.in_place))
        && has_self_exclusively(cx.facts, f, 3)
}

/// Reports each pair of locks taken in both orders within a package, once.
pub fn check(cx: &WorkspaceCx<'_>) {
    for package in 0..cx.packages.len() {
        let across = cx.locks_of(package).map(edges_across_files).unwrap_or_default();
        let mut edges: BTreeMap<(&str, &str), Vec<&LockEdge>> = BTreeMap::new();
        for (_, fact) in cx.facts_of_package(package) {
            if let ExportedFact::LockOrder(e) = fact {
                edges.entry((e.first.as_str(), e.second.as_str())).or_default().push(e);
            }
        }
        for e in &across {
            edges.entry((e.first.as_str(), e.second.as_str())).or_default().push(e);
        }
        for list in edges.values_mut() {
            list.sort_by_key(|e| (e.second_span, e.first_span));
        }
        let mut reported: HashSet<(&str, &str)> = HashSet::new();
        for (&(a, b), forward) in &edges {
            if a >= b {
                continue;
            }
            let Some(backward) = edges.get(&(b, a)) else { continue };
            let pair = forward.iter().find_map(|f| {
                backward
                    .iter()
                    .find(|r| can_deadlock(f, r) && !(ordered(f, backward) && ordered(r, forward)))
                    .map(|r| (*f, *r))
            });
            let Some((f, r)) = pair else { continue };
            reported.insert((a, b));
            let (later, earlier) =
                if (f.second_span.file, f.second_span.start) >= (r.second_span.file, r.second_span.start) {
                    (f, r)
                } else {
                    (r, f)
                };
            cx.report(diagnostic(later, earlier));
        }
        for cycle in cycles(&edges, &reported) {
            cx.report(cycle_diagnostic(&cycle));
        }
    }
}

/// The lock orders the crate model finds through calls into other files of the package: a
/// guard held at a call whose callee, in another file, takes another lock.
fn edges_across_files(model: &PackageLocks<'_>) -> Vec<LockEdge> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (file, caller, call) in model.calls_holding() {
        if call.deadlock_test {
            continue;
        }
        for reached in model.callee_locks(file, caller, call).into_iter().filter(|r| r.crossed) {
            let second_lock = &reached.lock.lock;
            let Some(second) = second_lock.global.as_ref().filter(|g| !g.starts_with(LOCAL_KEY_PREFIX)) else {
                continue;
            };
            for held in caller.held_at(call) {
                let Some(first) = held.lock.global.as_ref().filter(|g| !g.starts_with(LOCAL_KEY_PREFIX)) else {
                    continue;
                };
                if first == second || !seen.insert((first.clone(), second.clone(), call.span)) {
                    continue;
                }
                // Both fields of a `self` the method has to itself: no other thread holds them.
                let own_fields = call.self_exclusive
                    && held.lock.in_place
                    && second_lock.in_place
                    && held.lock.key.root == Root::SelfValue
                    && reached.key.root == Root::SelfValue;
                if own_fields {
                    continue;
                }
                out.push(LockEdge {
                    first: first.clone(),
                    second: second.clone(),
                    first_text: held.lock.text.clone(),
                    second_text: second_lock.text.clone(),
                    first_mode: held.lock.mode,
                    second_mode: second_lock.mode,
                    gates: caller
                        .held_at(call)
                        .filter(|h| !std::ptr::eq(*h, held))
                        .filter_map(|h| Some((h.lock.global.clone()?, h.lock.mode)))
                        .collect(),
                    order: call.order.clone(),
                    first_span: held.span,
                    second_span: call.span,
                    via: Some(call.text.clone()),
                    in_fn: caller.name.clone(),
                    steps: reached.steps(),
                    context: call.context,
                    spawned: call.spawned,
                    first_steps: Vec::new(),
                });
            }
        }
    }
    for held in model.returned_guards() {
        edges_from_returned(model, &held, &mut seen, &mut out);
    }
    out
}

/// The lock orders that start at a guard a function of another file returns: the locks the
/// caller takes, or reaches through calls, while it holds it.
fn edges_from_returned<'w>(
    model: &PackageLocks<'w>,
    held: &ReturnedGuard<'w>,
    seen: &mut HashSet<(String, String, Span)>,
    out: &mut Vec<LockEdge>,
) {
    let p = held.pending;
    let first_lock = &held.returned.lock;
    if p.call.deadlock_test {
        return;
    }
    let Some(first) = first_lock.global.as_ref().filter(|g| !g.starts_with(LOCAL_KEY_PREFIX)) else { return };
    let mut push = |second_lock: &LockUse,
                    second_key: &Key,
                    span: Span,
                    via: Option<String>,
                    steps: Vec<(Span, String)>,
                    call: &OutCall| {
        let Some(second) = second_lock.global.as_ref().filter(|g| !g.starts_with(LOCAL_KEY_PREFIX)) else { return };
        if first == second || !seen.insert((first.clone(), second.clone(), span)) {
            return;
        }
        let own_fields = call.self_exclusive
            && first_lock.in_place
            && second_lock.in_place
            && held.key.root == Root::SelfValue
            && second_key.root == Root::SelfValue;
        if own_fields {
            return;
        }
        out.push(LockEdge {
            first: first.clone(),
            second: second.clone(),
            first_text: first_lock.text.clone(),
            second_text: second_lock.text.clone(),
            first_mode: first_lock.mode,
            second_mode: second_lock.mode,
            // The caller's own guards held there: two paths that both hold one exclusively never
            // run at the same time.
            gates: held.caller.held_at(call).filter_map(|h| Some((h.lock.global.clone()?, h.lock.mode))).collect(),
            order: p.call.order.clone(),
            first_span: p.call.span,
            second_span: span,
            via,
            in_fn: held.caller.name.clone(),
            steps,
            context: p.call.context,
            spawned: p.call.spawned,
            first_steps: vec![held.wrapper_label()],
        });
    };
    for t in held.locks() {
        let Some((span, _)) = t.steps.first() else { continue };
        let steps = if t.steps.len() > 1 { t.steps.clone() } else { Vec::new() };
        push(&t.lock, &t.lock.key, *span, None, steps, &p.call);
    }
    for c in held.calls() {
        for reached in model.callee_locks(held.file, held.caller, c) {
            push(&reached.lock.lock, &reached.key, c.span, Some(c.text.clone()), reached.steps(), c);
        }
    }
}

/// The longest cycle of lock orders looked for (two-lock cycles are the pairs above).
const MAX_CYCLE: usize = 4;

/// Cycles of three or four locks (`a` → `b` in one path, `b` → `c` in another, `c` → `a` in a
/// third), each once (from its smallest lock), with one edge per step such that every thread
/// could hold its first lock while waiting for its second: at each lock, the guard one path
/// holds excludes what the previous one wants, and no gate held by all keeps them apart.
/// Cycles through a pair already reported are left out.
fn cycles<'e>(
    edges: &BTreeMap<(&'e str, &'e str), Vec<&'e LockEdge>>,
    reported: &HashSet<(&str, &str)>,
) -> Vec<Vec<&'e LockEdge>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &(a, b) in edges.keys() {
        // Locks local to a call pair only across a spawn (see `run_beside`): not followed here.
        if a != b && !a.starts_with(LOCAL_KEY_PREFIX) && !b.starts_with(LOCAL_KEY_PREFIX) {
            next.entry(a).or_default().push(b);
        }
    }
    let in_pair = |x: &str, y: &str| reported.contains(&(x, y)) || reported.contains(&(y, x));
    let mut out = Vec::new();
    let mut path: Vec<&str> = Vec::new();
    for &start in next.keys() {
        path.clear();
        path.push(start);
        walk(&next, start, &mut path, &mut |cycle| {
            if cycle.iter().enumerate().any(|(i, x)| cycle[i + 1..].iter().any(|y| in_pair(x, y))) {
                return;
            }
            if let Some(chosen) = choose(edges, cycle) {
                out.push(chosen);
            }
        });
    }
    out
}

/// Extends `path` (whose first lock is the smallest of the cycle) by locks greater than the
/// first, calling `found` for each way back to it of three locks or more.
fn walk<'e>(
    next: &BTreeMap<&'e str, Vec<&'e str>>,
    start: &'e str,
    path: &mut Vec<&'e str>,
    found: &mut dyn FnMut(&[&'e str]),
) {
    let Some(last) = path.last().copied() else { return };
    for &n in next.get(last).into_iter().flatten() {
        if n == start && path.len() >= 3 {
            found(path);
        } else if n > start && !path.contains(&n) && path.len() < MAX_CYCLE {
            path.push(n);
            walk(next, start, path, found);
            path.pop();
        }
    }
}

/// One edge per step of `cycle` such that the threads can all wait for each other.
fn choose<'e>(edges: &BTreeMap<(&'e str, &'e str), Vec<&'e LockEdge>>, cycle: &[&str]) -> Option<Vec<&'e LockEdge>> {
    let n = cycle.len();
    let lists: Vec<&Vec<&LockEdge>> =
        (0..n).map(|i| edges.get(&(cycle[i], cycle[(i + 1) % n]))).collect::<Option<_>>()?;
    let mut pick = vec![0usize; n];
    // At most a few hundred combinations: enough for real code, bounded for generated code.
    for _ in 0..512 {
        let chosen: Vec<&LockEdge> = (0..n).map(|i| lists[i][pick[i]]).collect();
        if waits_in_cycle(&chosen) {
            return Some(chosen);
        }
        let mut i = 0;
        loop {
            if i == n {
                return None;
            }
            pick[i] += 1;
            if pick[i] < lists[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
    None
}

/// Each path's held guard excludes what the previous path wants at that lock, and the paths
/// can all be where they are at once: no two of them hold one lock (the first lock or a gate)
/// in modes that exclude each other. (In `a`, `b`, `c` taken in a row, the step `b` → `c` also
/// holds `a`, so it cannot run beside a thread holding `a` and waiting for `b`.)
fn waits_in_cycle(chosen: &[&LockEdge]) -> bool {
    let n = chosen.len();
    let excludes = (0..n).all(|i| {
        let prev = chosen[(i + n - 1) % n];
        chosen[i].first_mode.excludes(prev.second_mode)
    });
    let held = |e: &'_ LockEdge| {
        std::iter::once((e.first.clone(), e.first_mode)).chain(e.gates.iter().cloned()).collect::<Vec<_>>()
    };
    let sets: Vec<Vec<(String, AcqMode)>> = chosen.iter().map(|e| held(e)).collect();
    let apart = (0..n).any(|i| {
        (i + 1..n).any(|j| {
            sets[i].iter().any(|(g, m)| sets[j].iter().any(|(h, o)| g == h && (m.excludes(*o) || o.excludes(*m))))
        })
    });
    excludes && !apart
}

fn cycle_diagnostic(cycle: &[&LockEdge]) -> Diagnostic {
    let (pos, here) = cycle
        .iter()
        .enumerate()
        .max_by_key(|(_, e)| (e.second_span.file, e.second_span.start))
        .map(|(i, e)| (i, *e))
        .unwrap_or((0, cycle[0]));
    let n = cycle.len();
    // The order from the primary edge on: `here.first` → `here.second` → … → `here.first`.
    let ordered: Vec<&LockEdge> = (0..n).map(|i| cycle[(pos + 1 + i) % n]).collect();
    let mut names: Vec<&str> = ordered.iter().map(|e| e.first_text.as_str()).collect();
    names.push(ordered[0].first_text.as_str());
    let message = format!(
        "`{}` is locked while holding `{}`, closing a cycle of lock orders across {n} paths",
        here.second_text, here.first_text
    );
    let primary = match &here.via {
        Some(call) => format!("`{call}` locks `{}` while `{}` is held", here.second_text, here.first_text),
        None => format!("`{}` is locked here while `{}` is held", here.second_text, here.first_text),
    };
    let mut d = Diagnostic::new(&LOCK_ORDER_INVERSION, here.second_span, message)
        .primary_label(primary)
        .label(here.first_span, format!("`{}` is locked first here", here.first_text));
    d = with_steps(d, here);
    for e in ordered.iter().filter(|e| !std::ptr::eq(**e, here)) {
        d = d.label(e.first_span, format!("{}, `{}` is locked first", place(e), e.first_text));
        let then = match &e.via {
            Some(call) => format!("then `{call}` locks `{}` while it is held", e.second_text),
            None => format!("then `{}` is locked while it is held", e.second_text),
        };
        d = d.label(e.second_span, then);
        d = with_steps(d, e);
    }
    let order = names.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → ");
    d = d
        .note(format!(
            "the paths take the locks in the order {order}: {n} threads, each holding one, can each wait for the next one's lock forever"
        ))
        .help(format!(
            "take these locks in one global order on every path (e.g. `{}` before `{}`), or guard them with one lock",
            here.second_text, here.first_text
        ));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}

/// Labels each step of an edge taken through calls.
fn with_steps(mut d: Diagnostic, e: &LockEdge) -> Diagnostic {
    for (span, label) in e.first_steps.iter().chain(&e.steps) {
        if !d.labels.iter().any(|l| l.span == *span) && d.primary.span != *span {
            d = d.label(*span, label.clone());
        }
    }
    d
}

/// Where an edge is, for labels: "in `start`", or "in what `start` spawns".
fn place(e: &LockEdge) -> String {
    match e.spawned {
        Some(_) => format!("in what `{}` spawns", e.in_fn),
        None => format!("in `{}`", e.in_fn),
    }
}

/// The edge names a lock local to one call of a function (`let a = Arc::new(Mutex::new(…))`,
/// or a clone of it moved into a spawned closure).
fn is_local(e: &LockEdge) -> bool {
    e.first.starts_with(LOCAL_KEY_PREFIX) || e.second.starts_with(LOCAL_KEY_PREFIX)
}

/// Two edges on locks local to one call of a function are on the same locks only within that
/// call: in two bodies of it (the function, the closures and async blocks in it) of which one
/// at least is spawned, and that run at once: a spawned body from its spawn to its `join()`,
/// another from its first lock to its second. One body taking both orders runs them one after
/// the other.
fn run_beside(f: &LockEdge, r: &LockEdge) -> bool {
    let runs = |e: &LockEdge| e.spawned.map_or((e.first_span.start, e.second_span.end), |s| (s.start, s.end));
    let ((fs, fe), (rs, re)) = (runs(f), runs(r));
    f.first_span.file == r.first_span.file
        && f.context != r.context
        && (f.spawned.is_some() || r.spawned.is_some())
        && fs < re
        && rs < fe
}

/// The edge is one side of ordered locking: the opposite order is taken in another branch of
/// the same test that orders the objects (`if a.id < b.id { a, b } else { b, a }`), so this
/// order is taken only when the test says so.
fn ordered(e: &LockEdge, opposite: &[&LockEdge]) -> bool {
    opposite.iter().any(|o| o.second_span.file == e.second_span.file && in_opposite_branches(&e.order, &o.order))
}

/// Two threads running the two paths can each hold its first lock and wait for the other's:
/// at both locks, the held guard excludes the wanted one (two reads never wait for each
/// other), and the paths are not serialised by a third lock both hold exclusively.
fn can_deadlock(f: &LockEdge, r: &LockEdge) -> bool {
    if !f.first_mode.excludes(r.second_mode) || !r.first_mode.excludes(f.second_mode) {
        return false;
    }
    if (is_local(f) || is_local(r)) && !run_beside(f, r) {
        return false;
    }
    !f.gates.iter().any(|(g, fm)| r.gates.iter().any(|(h, rm)| g == h && fm.excludes(*rm)))
}

fn diagnostic(here: &LockEdge, there: &LockEdge) -> Diagnostic {
    let message = format!(
        "`{}` is locked while holding `{}`, but elsewhere they are taken in the opposite order",
        here.second_text, here.first_text
    );
    let primary = match &here.via {
        Some(call) => format!("`{call}` locks `{}` while `{}` is held", here.second_text, here.first_text),
        None => format!("`{}` is locked here while `{}` is held", here.second_text, here.first_text),
    };
    let there_place = place(there);
    let there_label = match &there.via {
        Some(call) => {
            format!("{there_place}, `{call}` locks `{}` while `{}` is held", there.second_text, there.first_text)
        }
        None => format!("{there_place}, `{}` is locked while `{}` is held", there.second_text, there.first_text),
    };
    let mut d = Diagnostic::new(&LOCK_ORDER_INVERSION, here.second_span, message)
        .primary_label(primary)
        .label(here.first_span, format!("`{}` is locked first here", here.first_text))
        .label(there.first_span, format!("{there_place}, `{}` is locked first", there.first_text))
        .label(there.second_span, there_label);
    d = with_steps(d, here);
    d = with_steps(d, there).note(format!(
        "a thread {} holding `{}` and a thread {there_place} holding `{}` each wait for the other's lock forever",
        place(here),
        here.first_text,
        there.first_text
    ));
    let renamed: Vec<String> = [(&here.first_text, &there.second_text), (&here.second_text, &there.first_text)]
        .into_iter()
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("`{x}` and `{y}`"))
        .collect();
    if !renamed.is_empty() && is_local(here) {
        d = d.note(format!(
            "{} name the same lock (clones of one `Arc`, or one local borrowed by both)",
            renamed.join(", and ")
        ));
    }
    d = d
        .help(format!(
            "take the two locks in the same order on every path (e.g. always `{}` before `{}`), or guard both with one lock",
            there.first_text, there.second_text
        ));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::{analyze_file, check_workspace, FileInput, Levels, PackageInfo, SourceFile, SourceMap, WorkspaceInput};

    /// The two orders in two files of one package: one finding, with the other file's span.
    #[test]
    fn inversion_across_files() {
        let a = "use std::sync::Mutex;\npub struct Bank { accounts: Mutex<u32>, log: Mutex<u32> }\nimpl Bank {\n    pub fn deposit(&self) {\n        let _a = self.accounts.lock().unwrap();\n        let _l = self.log.lock().unwrap();\n    }\n}\n";
        let b = "impl crate::Bank {\n    pub fn audit(&self) {\n        let _l = self.log.lock().unwrap();\n        let _a = self.accounts.lock().unwrap();\n    }\n}\n";
        let mut sources = SourceMap::default();
        let ia = sources.add(SourceFile::new("src/bank.rs", a));
        let ib = sources.add(SourceFile::new("src/audit.rs", b));
        let package = PackageInfo::default();
        let levels = Levels::default();
        let mut summaries = Vec::new();
        for id in [ia, ib] {
            let input = FileInput {
                id,
                source: sources.get(id),
                package: &package,
                is_test_file: false,
                is_example_file: false,
                extra_test_attrs: &[],
            };
            let analysis = analyze_file(&input, &levels);
            assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
            summaries.push(analysis.summary);
        }
        let packages = [package.clone()];
        let ws = WorkspaceInput {
            sources: &sources,
            packages: &packages,
            files: &summaries,
            root_manifest: None,
            ci_files: &[],
        };
        let out = check_workspace(&ws, &levels);
        assert_eq!(out.len(), 1, "{out:?}");
        let d = &out[0];
        assert_eq!(d.lint.name, "lock_order_inversion");
        // Reported at the later second acquisition (file order), pointing at the other file.
        assert_eq!(d.primary.span.file, ib);
        assert!(d.labels.iter().any(|l| l.span.file == ia));
        assert_eq!(sources.get(ib).snippet(d.primary.span), "self.accounts.lock()");
    }
}
