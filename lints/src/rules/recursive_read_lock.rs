use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::locks::{Acquisition, Conflict, GuardId, KeyRoot, LockFacts, LockFamily, LockKey, LockType};
use crate::facts::test_attrs::is_deadlock_test;
use crate::facts::{BindingKind, ClosureCtx, Flow};
use crate::registry::Rule;
use crate::rules::double_lock::{first_label, holder_word};

crate::declare_lint! {
    /// ### What it does
    /// Finds a read-write lock read-locked again by the same thread or task while a read guard
    /// from it is still alive: `self.table.read()` twice in one scope, a `match` on
    /// `*self.table.read()` whose arm reads it again, or a call to a function of the same file
    /// that reads it (`self.len()` while holding a read guard). Guard scopes are followed as
    /// `double_lock` follows them; a read after a `write()` (or a `write()` after a read) is
    /// `double_lock`'s, since it deadlocks whatever other threads do.
    ///
    /// Whether two reads can hang depends on the lock:
    /// - **std** (`std::sync::RwLock`): the priority policy is the platform's. Where a writer
    ///   that waits blocks new readers (the futex-based lock on Linux does), a writer arriving
    ///   between the two reads waits for the first read while the second read waits for it: a
    ///   deadlock. std's docs also say `read()` might panic when the current thread already holds
    ///   the lock.
    /// - **parking_lot** (`parking_lot::RwLock`): task-fair, so new readers wait while a writer
    ///   waits, and the second read deadlocks if a writer came in between.
    ///   `read_recursive()` is the fix: it takes a read lock even while writers wait, and is
    ///   never reported.
    /// - **tokio** (`tokio::sync::RwLock`): fair, first in first out: once a writer is queued,
    ///   later `read().await`s queue behind it, and the task never wakes up.
    /// - **async-lock** (`async_lock::RwLock`, `smol::lock::RwLock`): writer-preferring, the same
    ///   hang.
    /// - **spin** (`spin::RwLock`): not reported. A writer waiting for it does not hold new
    ///   readers back (it waits until no reader is left, and can starve instead), so a waiting
    ///   writer cannot make two reads deadlock. Only an `upgradeable_read()` guard taken by
    ///   another thread between the two reads and then upgraded could, which taskcheck does not
    ///   try to see.
    ///
    /// Not reported either: a lock whose kind the file does not show (a type this crate defines,
    /// `lock_api::RwLock` over a raw lock of unknown policy, async-std's, a receiver known only
    /// from `.unwrap()` or `.await`), and a lock that is local to the function: built there
    /// (`let lock = RwLock::new(…)`, or in an `Arc`) and only ever locked, never cloned, passed,
    /// borrowed out or used in a closure or async block, so no other thread can be waiting to
    /// write it (a single-threaded test of the lock itself), or a `thread_local!` lock (no
    /// other thread can reach it). Locks in statics (`static`, `lazy_static!`, `Lazy`,
    /// `LazyLock`, `OnceLock`) and other names for one lock (an `Arc`'s clone, a reference) are
    /// seen as `double_lock` sees them. A test about deadlocks (its name or code names one,
    /// as `test_rwlock_deadlock_reentrant` or a detector's `check_deadlock()`) locks on purpose
    /// and is left alone, as `double_lock` leaves it.
    ///
    /// ### Why is this bad
    /// The first read holds the lock while the second one waits for its turn. Alone, the second
    /// read gets in at once; but a writer that asks for the lock between the two reads is put
    /// before it by a fair or writer-preferring lock, and waits for the first read to end. The
    /// first read ends only after the second one returns: the thread (or task) and the writer
    /// wait for each other forever. It happens only under contention, so tests rarely show it.
    ///
    /// ### Known problems
    /// The same limits as `double_lock`: locks are compared by the path written, calls are
    /// followed only into functions of the same file (at any depth, up to eight calls), and a
    /// guard released on some
    /// paths only counts as released. A lock shared with other threads that never write it
    /// (written only before they start) cannot deadlock this way, and is reported all the same.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let names = self.names.read().unwrap();
    /// let count = self.names.read().unwrap().len(); // waits behind a queued writer
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let names = self.names.read().unwrap();
    /// let count = names.len();
    /// ```
    pub static RECURSIVE_READ_LOCK = {
        name: "recursive_read_lock",
        rule: Some(Rule::LocksAndChannels),
        category: Suspicious,
        cost: Hang,
        summary: "a read-write lock is read-locked again while this thread holds a read guard",
        why: "a fair or writer-preferring lock makes the second read wait for a writer that waits for the first",
    };
}

/// How a kind of read-write lock treats a reader that arrives while a writer waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// The platform decides (`std::sync::RwLock`).
    Platform,
    /// parking_lot: task-fair; `read_recursive()` exists.
    TaskFair,
    /// tokio: a first-in-first-out queue.
    Fifo,
    /// async-lock: writers first.
    WriterPreferring,
}

fn policy(ty: &LockType) -> Option<Policy> {
    match (ty.family, ty.name) {
        (LockFamily::Std, _) => Some(Policy::Platform),
        (LockFamily::ParkingLot, "parking_lot::RwLock") => Some(Policy::TaskFair),
        (LockFamily::Tokio, _) => Some(Policy::Fifo),
        (LockFamily::AsyncLock, _) => Some(Policy::WriterPreferring),
        // spin: waiting writers have no priority. lock_api, async-std, the crate's own types and
        // receivers of unknown type: the policy is not known.
        _ => None,
    }
}

pub fn check(cx: &FileCx<'_>) {
    let locks = cx.locks();
    for a in &locks.acquisitions {
        if a.is_try || a.pending || is_deadlock_test(cx.facts, a.fn_id) {
            continue;
        }
        let Some((h, policy)) = read_read(cx, locks, &a.held, a, a.key.as_ref()) else { continue };
        let held = locks.guard_acq(h);
        let who = holder_word(held);
        let message = format!(
            "`{}` is read-locked again while this {who} holds a read guard: {}",
            a.lock_text,
            claim(policy, who)
        );
        let mut d = Diagnostic::new(&RECURSIVE_READ_LOCK, a.span, message)
            .primary_label(primary_label(policy, &a.method))
            .label(held.span, first_label(cx, locks, h));
        d = super::double_lock::with_via(cx, d, locks, held);
        d = super::double_lock::with_via(cx, d, locks, a);
        if policy == Policy::TaskFair && a.method == "read" && a.via.is_none() {
            let method = cx.span_of(cx.facts.lock_sites[a.site].call.method.span());
            d = d.suggest(
                "use `read_recursive()`, which does not wait behind queued writers",
                method,
                "read_recursive",
                Applicability::MaybeIncorrect,
            );
        }
        cx.report(finish(cx, d, locks, h, policy, false));
    }
    for call in locks.calls.iter().filter(|c| !is_deadlock_test(cx.facts, c.fn_id)) {
        let inner = locks.callee_locks(cx.facts, call);
        let found = inner.iter().find_map(|cl| {
            let a = &locks.acquisitions[cl.acq];
            read_read(cx, locks, &cl.held, a, Some(&cl.key)).map(|(h, p)| (cl, h, p))
        });
        let Some((cl, h, policy)) = found else { continue };
        let held = locks.guard_acq(h);
        let callee = call.callee.map_or(call.name.as_str(), |f| cx.facts.func(f).name.as_str());
        let who = holder_word(held);
        let message = format!(
            "`{}` read-locks `{}` again while this {who} holds a read guard: {}",
            call.text,
            held.lock_text,
            claim(policy, who)
        );
        let mut d = Diagnostic::new(&RECURSIVE_READ_LOCK, call.span, message)
            .primary_label(format!("`{callee}` is called while the read guard is alive"))
            .label(held.span, first_label(cx, locks, h));
        d = super::double_lock::with_via(cx, d, locks, held);
        d = super::double_lock::call_chain(cx, d, locks, cl, "read-locks it here");
        cx.report(finish(cx, d, locks, h, policy, true));
    }
}

/// A held read guard of the lock `key` that taking `a` reads again, on a lock whose policy
/// makes that a hang when a writer comes in between. Nothing when the same acquisition is a
/// certain deadlock (`double_lock` reports it).
fn read_read(
    cx: &FileCx<'_>,
    locks: &LockFacts,
    held: &[GuardId],
    a: &Acquisition,
    key: Option<&LockKey>,
) -> Option<(GuardId, Policy)> {
    let conflicts = locks.conflicts(held, a, key);
    let &(h, c) = conflicts.first()?;
    if c != Conflict::ReadRead {
        return None;
    }
    let ha = locks.guard_acq(h);
    let ty = if ha.type_known {
        ha.ty
    } else if a.type_known {
        a.ty
    } else {
        return None;
    };
    let policy = policy(&ty)?;
    if is_function_local(cx, ha.key.as_ref()?) {
        return None;
    }
    Some((h, policy))
}

/// What holds for this kind of lock, after "holds a read guard: ".
fn claim(policy: Policy, who: &str) -> String {
    match policy {
        Policy::Platform => format!("a writer waiting between the two reads may deadlock this {who}"),
        Policy::TaskFair | Policy::WriterPreferring => {
            format!("a writer waiting between the two reads deadlocks this {who}")
        }
        Policy::Fifo => format!("a writer queued between the two reads deadlocks this {who}"),
    }
}

fn primary_label(policy: Policy, method: &str) -> String {
    match policy {
        Policy::Platform => format!("this `{method}()` may wait behind a writer that waits for the first read"),
        _ => format!("this `{method}()` waits behind any writer that came after the first read"),
    }
}

fn finish(
    cx: &FileCx<'_>,
    mut d: Diagnostic,
    locks: &LockFacts,
    h: GuardId,
    policy: Policy,
    via_call: bool,
) -> Diagnostic {
    let g = &locks.guards[h];
    if let Some(r) = g.release.filter(|r| r.span.start > d.primary.span.start) {
        d = d.label(r.span, super::lock_across_await::release_label(g, r.kind, cx.package.edition));
    }
    let note = match policy {
        Policy::Platform => {
            "std's `RwLock` leaves its priority policy to the platform: where a waiting writer blocks new readers (as on Linux), the second read waits for the writer, which waits for the first read; std's docs also say `read()` might panic when this thread already holds the lock"
        }
        Policy::TaskFair => {
            "parking_lot's `RwLock` is task-fair: while a writer waits, new readers wait behind it, so the second read waits for the writer, which waits for the first read"
        }
        Policy::Fifo => {
            "tokio's `RwLock` is fair (first in, first out): once a writer is queued, later reads queue behind it, so the second read waits for the writer, which waits for the first read"
        }
        Policy::WriterPreferring => {
            "async-lock's `RwLock` prefers writers: while a writer waits, new readers wait behind it, so the second read waits for the writer, which waits for the first read"
        }
    };
    let help = match (policy, via_call) {
        (Policy::TaskFair, false) => "use `read_recursive()` for the nested read, or reuse the read guard you already hold",
        (Policy::TaskFair, true) => {
            "pass the guard's data to the callee instead of letting it read-lock again, or make the callee use `read_recursive()`"
        }
        (_, false) => "reuse the read guard you already hold instead of read-locking again",
        (_, true) => "pass the guard's data to the callee instead of letting it read-lock again, or release the guard before the call",
    };
    d = d.help(help).note(note);
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}

/// The lock is a `thread_local!` one, or a local of its function that no other thread or task
/// can reach, so no writer can be waiting for it: `let lock = RwLock::new(…)` (or `Arc::new(RwLock::new(…))`), and
/// every use of `lock` is a method call on it (not `clone()`) in the function's own flow, not
/// in a closure, an async block or a spawned body.
fn is_function_local(cx: &FileCx<'_>, key: &LockKey) -> bool {
    if matches!(key.root, KeyRoot::ThreadLocal(_)) {
        // Each thread has its own: no other thread can queue a writer on it.
        return true;
    }
    let KeyRoot::Local(b) = key.root else { return false };
    if !key.path.is_empty() {
        return false;
    }
    let binding = cx.facts.binding(b);
    if binding.kind != BindingKind::Let || !binding.init.is_some_and(builds_lock) {
        return false;
    }
    let home = binding.ctx;
    cx.facts.uses_of(b).all(|u| {
        let same_flow = u.ctx.fn_id == home.fn_id
            && u.ctx.async_span == home.async_span
            && u.ctx.spawn_body == home.spawn_body
            && u.ctx.closure == ClosureCtx::None
            && !u.ctx.deferred;
        let only_locked = match &u.flow {
            Flow::Method(m) => !matches!(m.method.to_string().as_str(), "clone" | "as_ref" | "borrow" | "deref"),
            _ => false,
        };
        same_flow && only_locked
    })
}

/// `RwLock::new(…)`, `RwLock::default()`, possibly in `Arc::new`/`Rc::new`/`Box::new`.
fn builds_lock(e: &syn::Expr) -> bool {
    let syn::Expr::Call(c) = e else { return false };
    let syn::Expr::Path(p) = &*c.func else { return false };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let [.., ty, func] = segs.as_slice() else { return false };
    match (ty.as_str(), func.as_str()) {
        ("RwLock", "new" | "default" | "const_new") => true,
        ("Arc" | "Rc" | "Box", "new") => c.args.first().is_some_and(builds_lock),
        _ => false,
    }
}
