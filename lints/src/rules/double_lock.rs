use crate::context::{FileCx, WorkspaceCx};
use crate::diagnostic::Diagnostic;
use crate::facts::locks::{
    Acquisition, CalleeLock, Conflict, GuardId, Holder, LockFacts, LockFamily, LockKey, TempReason,
};
use crate::facts::test_attrs::is_deadlock_test;
use crate::model::locks::{deadlocks, relocks, GuardShown, PackageLocks, ReturnedGuard};
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds a lock locked again, by the same thread or task, while a guard from it is still
    /// alive: the same lock expression (`self.state`, a local, a `static`) locked a second time
    /// in the guard's scope, including the classic temporary guard of a `match`, `if let` or
    /// `while let` scrutinee (`match *self.state.lock().unwrap() { … => self.state.lock() … }`),
    /// and a call to a function of the same file that locks it, directly or through further
    /// calls of the file at any depth (`flush()` holds `self.state` and calls `summary()`, which
    /// calls `pending()`, which locks `self.state`; or a helper given the lock as an argument).
    /// Such a finding points at the call made while the guard is alive, the line to change, with
    /// a label at each step of the chain down to the lock. A function of the file that returns a
    /// guard (`fn state(&self) -> MutexGuard<'_, State> { self.state.lock().unwrap() }`, also a
    /// trait method implemented in the file) locks at each call: `let _g = self.state();` then
    /// `self.state.lock()` is a re-lock. So does one of another file of the package, when the
    /// call resolves to it as calls are followed across files (below): `let g = self.wl();`
    /// with `fn wl(&self) -> RwLockWriteGuard<'_, T> { self.inner.write().unwrap() }` in a
    /// trait impl elsewhere, then `self.wl()` or `self.inner.write()` while `g` lives, or a
    /// call that locks `self.inner`; a label shows where the function takes the lock and
    /// returns its guard. The guard lives as long as the value the call returned: the `let`
    /// that binds it (until its block ends or it is dropped or moved), or the temporary's
    /// statement. Arguments of formatting,
    /// printing, panicking and logging macros (`println!`, `format!`, `write!`, `panic!`,
    /// `log`'s and `tracing`'s `info!`…, with `target:` keys and `%`/`?` fields) count like
    /// any other expression.
    ///
    /// A lock is the same lock under another name: a local that is a clone of an `Arc` or
    /// `Rc` holding it (`let a2 = Arc::clone(&a);`, `let s = self.state.clone();` with `state:
    /// Arc<Mutex<…>>`, a clone of a clone, `let me = self.clone();` in a method taking `self:
    /// &Arc<Self>`) or a reference to it (`let m = &self.m;`), never
    /// reassigned; and a lock in a static, whichever way it is declared: `static`,
    /// `lazy_static! { static ref M: Mutex<…> = …; }`, `once_cell`'s `Lazy` or std's
    /// `LazyLock` (`M.lock()`), a `OnceLock` (`M.get_or_init(…)` and `M.get().unwrap()` are
    /// one lock), and `thread_local!` (`M.with(|m| …)` runs its closure on the spot, its `m` is
    /// this thread's lock, so locking it again inside, or in a function called there that
    /// calls `M.with` too, is a re-lock). A static's declared type makes parking_lot's
    /// `M.lock()`, which has no `unwrap()`, a lock.
    ///
    /// Only re-locks that wait forever whatever other threads do are reported: any second
    /// acquisition of a mutex (std, parking_lot, spin, tokio, async-lock, futures), and on a
    /// read-write lock `write()` after anything and anything after `write()`. Two `read()`s are
    /// not a certain deadlock (they hang only when a writer queues in between and the lock makes
    /// new readers wait for it), so they are reported by `recursive_read_lock`, a `warn` lint
    /// that explains each kind of lock. parking_lot's `read_recursive()`, reentrant mutexes
    /// (`ReentrantMutex`) and `try_lock()`-style calls (they fail instead of waiting) are not
    /// reported.
    ///
    /// A test about deadlocks is left alone: a test whose name or code names a deadlock
    /// (`test_mutex_deadlock_reentrant`, a detector's `check_deadlock()`), since it deadlocks a
    /// thread on purpose to see the deadlock detected (parking_lot's own tests do this).
    ///
    /// An `if let` scrutinee's temporary lives through the `else` block before edition 2024
    /// (the package's edition is read), and only through the `then` block from 2024 on.
    ///
    /// ### Why is this bad
    /// The second acquisition waits for a guard that its own thread holds and will only release
    /// after the wait: the thread hangs forever (std's `Mutex::lock` may also panic), and every
    /// other thread that needs the lock hangs behind it. For an async lock, the task never
    /// wakes up.
    ///
    /// ### Known problems
    /// Locks are compared by the path written (`self.state`), seen through the names above. A
    /// `.clone()` counts as the same lock only when the file shows the value is an `Arc` or
    /// `Rc` (a local built by `Arc::new`, a declared type, or a field every struct of the file
    /// declares so): another type's `clone()` may copy the value into a new lock. A local
    /// declared `mut`, a name bound by a pattern other than a tuple, a struct holding a clone
    /// (`let s = Shared { m: m.clone() }`), and a `.get()` on anything but a static or a
    /// `OnceLock` field (a pool hands out a new value each time) are not followed. A guard released on some paths only
    /// counts as released, and a guard moved out of its binding on one path (`let g = if c
    /// { g0 } else { drop(g0); m.lock()… }`) is followed on each path separately. A guard
    /// used by value in a closure (`|| drop(g)`) goes with the closure. A lock of the crate's
    /// own type passed to `Box::pin(…)` is a future polled by hand, not an acquisition, and an
    /// `async fn` called without `.await` takes none of its locks then.
    ///
    /// Calls are followed into the functions of the package, up to eight calls deep (a
    /// recursive call ends there): functions called by name, `self.method()`, and methods
    /// called on a field of `self` or a parameter or `let` whose type the file writes
    /// (`self.peer.total()` with `peer: Peer`; `other.summary()` with `other: &Self` locks
    /// `other`'s lock, not `self`'s). Within a file, the callee must be the only function of
    /// the file with that name. Across the files of the package (the crate model: each file's
    /// functions summarised once, joined in the workspace phase), a call is followed into
    /// another file when the file making it defines no function of that name and exactly one
    /// function of the package fits: a method of the caller's type for `self.m()` (or a
    /// trait's default method), of the declared type for `peer.m()`, `Type::f()` or
    /// `Self::f()`, or the one free function of that name for `f()` and `module::f()`. There,
    /// a lock of `self` or a `static` counts (not one passed as an argument), and each step of
    /// the chain is labelled in its file. A chain may pass through several files (`flush` in
    /// one, `summary` in a second, `pending` locking in a third), as long as each file on the
    /// way has a lock-method call of its own (`.lock()`, `.read()`, `.write()`…): the prefilter
    /// does not read the others for the lock lints. A lock taken anywhere in a callee counts, on any
    /// path, but not in the closures and async blocks it creates. A closure handed to a method runs during the call, while the
    /// caller's guards are held, when the method is an iterator, `Option`, `Result` or entry
    /// adaptor, or when the closure borrows `self` or the function's locals and is neither
    /// `move` nor a spawn's (it is not `'static`, so the method cannot keep it:
    /// `rows.visit_each(|r| self.rows.lock()…)`). Not seen: functions of other crates,
    /// names several functions of the package share, calls through `dyn Trait` or
    /// generic parameters, callbacks that borrow nothing
    /// or are `move` (they may be kept and run later), and closures stored and called later. A guard
    /// moved into a call is followed one level only. A guard-returning function counts only when
    /// its return type names the guard (`MutexGuard`, `RwLockWriteGuard`, parking_lot's mapped
    /// guards, tokio's owned ones…, or a `Result` of one, not an `Option`) and it locks one
    /// lock. A guard-returning function of another file is seen only from a file that the lock
    /// lints read, which has a lock-method call of its own (`.lock()`, `.read()`, `.write()`…:
    /// the prefilter skips the others), in a function calling at least two functions of other
    /// files, and only for a lock of `self` or a `static` whose type the function's file shows
    /// (or unwrapped). Calls named like constructors, conversions, predicates or spawns
    /// (`new…`, `from…`, `into…`, `to_…`, `as_…`, `is_…`, `try_…`, `clone`, `len`…) and paths
    /// through std or an imported crate are not taken for such a function, and a guard moved on
    /// to a local already holding one is the one that local holds. A caller's re-lock of it is
    /// reported once per guard, and a read guard
    /// taken twice this way is not reported (`recursive_read_lock` reads one file). A lock whose type
    /// the file does not show is recognised only when unwrapped (`.lock().unwrap()`) or awaited;
    /// a type named `Mutex`/`RwLock` that the crate defines or re-exports counts as a lock
    /// (`ReentrantMutex` as a reentrant one).
    ///
    /// ### Example
    /// ```rust,ignore
    /// match *self.state.lock().unwrap() {
    ///     State::Idle => *self.state.lock().unwrap() = State::Busy,
    ///     _ => {}
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let mut state = self.state.lock().unwrap();
    /// if let State::Idle = *state {
    ///     *state = State::Busy;
    /// }
    /// ```
    pub static DOUBLE_LOCK = {
        name: "double_lock",
        rule: Some(Rule::LocksAndChannels),
        category: Correctness,
        cost: Hang,
        summary: "a lock is locked again while this thread holds its guard",
        why: "locking what the same thread already holds waits forever",
    };
}

pub fn check(cx: &FileCx<'_>) {
    let locks = cx.locks();
    for a in &locks.acquisitions {
        if a.is_try || a.pending || is_deadlock_test(cx.facts, a.fn_id) {
            continue;
        }
        if let Some(h) = deadlock(locks, &a.held, a, a.key.as_ref()) {
            cx.report(direct(cx, locks, a, h));
        }
    }
    for call in locks.calls.iter().filter(|c| !is_deadlock_test(cx.facts, c.fn_id)) {
        let inner = locks.callee_locks(cx.facts, call);
        let found = inner.iter().find_map(|cl| {
            let a = &locks.acquisitions[cl.acq];
            deadlock(locks, &cl.held, a, Some(&cl.key)).map(|h| (cl, h))
        });
        if let Some((cl, h)) = found {
            let held = locks.guard_acq(h);
            let who = holder_word(held);
            let message = format!("`{}` locks `{}` again while this {who} holds its guard", call.text, held.lock_text);
            let called = call.callee.map_or(call.name.as_str(), |f| cx.facts.func(f).name.as_str());
            let mut d = Diagnostic::new(&DOUBLE_LOCK, call.span, message)
                .primary_label(format!("`{called}` is called while the guard is alive"));
            d = d.label(held.span, first_label(cx, locks, h));
            d = with_via(cx, d, locks, held);
            d = call_chain(cx, d, locks, cl, "locks it here");
            d = finish(cx, d, locks, h, held, true);
            cx.report(d);
        }
    }
}

/// A held guard that taking `a` waits for forever, whatever other threads do (two read
/// guards are `recursive_read_lock`'s).
fn deadlock(locks: &LockFacts, held: &[GuardId], a: &Acquisition, key: Option<&LockKey>) -> Option<GuardId> {
    locks.conflicts(held, a, key).into_iter().find(|&(_, c)| c == Conflict::Deadlock).map(|(h, _)| h)
}

fn direct(cx: &FileCx<'_>, locks: &LockFacts, a: &Acquisition, h: GuardId) -> Diagnostic {
    let held = locks.guard_acq(h);
    let who = holder_word(held);
    let message = format!("`{}` is locked again while this {who} holds its guard", a.lock_text);
    let primary = format!("this `{}()` waits for the guard above, which is released only after it", a.method);
    let mut d = Diagnostic::new(&DOUBLE_LOCK, a.span, message)
        .primary_label(primary)
        .label(held.span, first_label(cx, locks, h));
    d = with_via(cx, d, locks, held);
    d = with_via(cx, d, locks, a);
    d = with_callback(d, a, held);
    if a.lock_text != held.lock_text && a.via.is_none() && held.via.is_none() {
        d = d.note(format!(
            "`{}` and `{}` name the same lock (a clone of an `Arc`, a reference, or the value of a lazy static shares it)",
            a.lock_text, held.lock_text
        ));
    }
    finish(cx, d, locks, h, held, false)
}

/// Labels each step from a call to the lock its callee takes, like rustc's borrow errors:
/// "`summary` calls `self.pending()` here", then "`pending` locks it here: `self.state.read()`"
/// (`what` is the last label's verb phrase).
pub(crate) fn call_chain(
    cx: &FileCx<'_>,
    mut d: Diagnostic,
    locks: &LockFacts,
    cl: &CalleeLock,
    what: &str,
) -> Diagnostic {
    for &step in &cl.chain {
        let c = &locks.calls[step];
        d = d.label(c.span, format!("`{}` calls `{}` here", cx.facts.func(c.fn_id).name, c.text));
    }
    let a = &locks.acquisitions[cl.acq];
    d = d.label(a.span, format!("`{}` {what}: `{}`", cx.facts.func(a.fn_id).name, a.call_text));
    with_via(cx, d, locks, a)
}

/// For an acquisition that is a call of a guard-returning wrapper, a label where the wrapper
/// takes the lock.
pub(crate) fn with_via(cx: &FileCx<'_>, d: Diagnostic, locks: &LockFacts, a: &Acquisition) -> Diagnostic {
    let Some(inner) = a.via else { return d };
    let inner = &locks.acquisitions[inner];
    if d.labels.iter().any(|l| l.span == inner.span) {
        return d;
    }
    let name = &cx.facts.func(inner.fn_id).name;
    d.label(inner.span, format!("`{name}` locks `{}` here and returns its guard", inner.lock_text))
}

/// Says which call runs the closure the second acquisition is in while the guard is held
/// (`rows.visit_each(…)`), when the guard was taken outside that closure.
pub(crate) fn with_callback(d: Diagnostic, a: &Acquisition, held: &Acquisition) -> Diagnostic {
    match &a.callback {
        Some(callback) if held.callback.as_ref() != Some(callback) => {
            d.label(callback.0, format!("`{}` runs this closure during the call, while the guard is held", callback.1))
        }
        _ => d,
    }
}

/// An async lock is held by a task, a blocking one by a thread.
pub(crate) fn holder_word(held: &Acquisition) -> &'static str {
    if held.ty.family.is_async() {
        "task"
    } else {
        "thread"
    }
}

/// The label on the first acquisition: how long its guard lives.
pub(crate) fn first_label(cx: &FileCx<'_>, locks: &LockFacts, h: GuardId) -> String {
    let g = &locks.guards[h];
    match &g.holder {
        Holder::Binding { name, binding } => {
            if cx.facts.binding(*binding).span.start > locks.acquisitions[g.acq].span.start {
                format!("first locked here; the guard was moved to `{name}`, which still holds it")
            } else {
                format!("first locked here; `{name}` holds the guard")
            }
        }
        Holder::Temporary(reason) => match reason {
            TempReason::Match => {
                "first locked here; this temporary guard lives until the end of the whole `match`".to_string()
            }
            TempReason::IfLet if cx.package.edition >= 2024 => {
                "first locked here; this temporary guard lives until the end of the `if let` block".to_string()
            }
            TempReason::IfLet => {
                "first locked here; before edition 2024 this temporary guard lives through the `else` block too"
                    .to_string()
            }
            TempReason::WhileLet => {
                "first locked here; this temporary guard lives through each iteration of the loop body".to_string()
            }
            TempReason::ForIter => {
                "first locked here; this temporary guard lives until the end of the `for` loop".to_string()
            }
            TempReason::Extended => {
                "first locked here; the borrow keeps this guard alive until the end of the block".to_string()
            }
            _ => "first locked here; this temporary guard lives until the end of the statement".to_string(),
        },
    }
}

fn finish(
    cx: &FileCx<'_>,
    mut d: Diagnostic,
    locks: &LockFacts,
    h: GuardId,
    held: &Acquisition,
    via_call: bool,
) -> Diagnostic {
    let g = &locks.guards[h];
    let primary_start = d.primary.span.start;
    if let Some(r) = g.release {
        if r.span.start > primary_start {
            d = d.label(r.span, super::lock_across_await::release_label(g, r.kind, cx.package.edition));
        }
    }
    d = d.help(help(&g.holder, via_call)).note(family_note(held));
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}

/// What to write instead of re-locking what `holder` holds (directly, or through a call).
fn help(holder: &Holder, via_call: bool) -> String {
    match holder {
        Holder::Binding { name, .. } if via_call => {
            format!("release `{name}` before the call (`drop({name})`), or pass the guard's data to the callee instead of letting it lock")
        }
        Holder::Binding { name, .. } => {
            format!("use the guard you already hold (`{name}`), or release it first (`drop({name})` or end its block)")
        }
        Holder::Temporary(TempReason::Match | TempReason::IfLet | TempReason::WhileLet) => {
            "take what you need from the lock in a `let` before the branch (`let v = …;`), so the temporary guard is dropped first, or hold one named guard and use it throughout".to_string()
        }
        Holder::Temporary(_) => "lock once into a named guard (`let mut g = ….lock()…;`) and use it throughout".to_string(),
    }
}

/// Why re-locking a lock of `held`'s family never returns.
fn family_note(held: &Acquisition) -> &'static str {
    match held.ty.family {
        LockFamily::UnknownSync | LockFamily::UnknownAsync if held.ty.name.is_empty() && held.type_known => {
            "a lock that is not reentrant never lets its holder in again: this waits forever"
        }
        LockFamily::Std | LockFamily::UnknownSync => {
            "std's locks are not reentrant: locking one the current thread holds never returns (it deadlocks or panics)"
        }
        LockFamily::ParkingLot => {
            "parking_lot's locks are not reentrant: this deadlocks (`ReentrantMutex` is the reentrant one)"
        }
        LockFamily::Spin => "spin locks are not reentrant: this spins forever",
        _ => "async locks are not reentrant either: the task waits for a guard it holds itself and never wakes up",
    }
}

/// Exports the file's lock summaries for the crate model, with how a re-lock through a call
/// shows each held guard.
pub fn collect(cx: &FileCx<'_>) {
    crate::model::locks::export(cx, &|locks, h| guard_shown(cx, locks, h));
}

/// A held guard as [`check_across_files`] shows it.
pub(crate) fn guard_shown(cx: &FileCx<'_>, locks: &LockFacts, h: GuardId) -> GuardShown {
    let g = &locks.guards[h];
    let held = locks.guard_acq(h);
    GuardShown {
        label: first_label(cx, locks, h),
        release: g.release.map(|r| (r.span, super::lock_across_await::release_label(g, r.kind, cx.package.edition))),
        help: help(&g.holder, true),
        note: family_note(held).to_string(),
        holder: holder_word(held).to_string(),
    }
}

/// Re-locks that the crate model finds through a call into another file of the package: the
/// caller holds a guard and calls a function that, in another file, locks the same lock
/// again (`self.summary()` under `self.state`'s guard, `summary` in `stats.rs` reading
/// `self.state`).
pub fn check_across_files(cx: &WorkspaceCx<'_>) {
    for package in 0..cx.packages.len() {
        let Some(model) = cx.locks_of(package) else { continue };
        for (file, caller, call) in model.calls_holding() {
            if call.deadlock_test {
                continue;
            }
            let found = model.callee_locks(file, caller, call).into_iter().filter(|r| r.crossed).find_map(|r| {
                let h = caller.held_at(call).find(|h| deadlocks(h, &r))?;
                Some((r, h))
            });
            let Some((reached, held)) = found else { continue };
            let message =
                format!("`{}` locks `{}` again while this {} holds its guard", call.text, held.lock.text, held.holder);
            let mut d = Diagnostic::new(&DOUBLE_LOCK, call.span, message)
                .primary_label(format!("`{}` is called while the guard is alive", call.target.name))
                .label(held.span, held.label.clone());
            for (span, label) in reached.steps() {
                d = d.label(span, label);
            }
            if let Some((span, label)) = &held.release {
                if (span.file, span.start) > (call.span.file, call.span.start) {
                    d = d.label(*span, label.clone());
                }
            }
            d = d.help(held.help.clone()).note(held.note.clone());
            if let Some(note) = d.rule_note() {
                d = d.note(note);
            }
            cx.report(d);
        }
        for held in model.returned_guards() {
            if let Some(d) = relock_of_returned(model, &held) {
                cx.report(d);
            }
        }
    }
}

/// A lock taken again while the caller holds the guard a function of another file returned
/// (`let g = self.wl();` then `self.wl()`, or `self.inner.write()`), once per such guard.
fn relock_of_returned(model: &PackageLocks<'_>, held: &ReturnedGuard<'_>) -> Option<Diagnostic> {
    let p = held.pending;
    if p.call.deadlock_test {
        return None;
    }
    let lock = &held.returned.lock;
    let direct = held.locks().find(|t| relocks(lock, &held.key, &t.lock, &t.lock.key));
    let (span, text, name, steps) = match direct {
        Some(t) => {
            let (span, _) = t.steps.first()?;
            (*span, t.lock.text.clone(), None, t.steps.clone())
        }
        None => {
            let (call, reached) = held.calls().find_map(|c| {
                let r = model
                    .callee_locks(held.file, held.caller, c)
                    .into_iter()
                    .find(|r| relocks(lock, &held.key, &r.lock.lock, &r.key))?;
                Some((c, r))
            })?;
            (call.span, call.text.clone(), Some(call.target.name.clone()), reached.steps())
        }
    };
    let message = match &name {
        Some(_) => format!("`{text}` locks `{}` again while this thread holds its guard", lock.text),
        None => format!("`{text}` is locked again while this thread holds its guard"),
    };
    let primary = match &name {
        Some(name) => format!("`{name}` is called while the guard `{}` returned is alive", p.call.text),
        None => format!("this waits for the guard `{}` returned, which is released only after it", p.call.text),
    };
    let mut d = Diagnostic::new(&DOUBLE_LOCK, span, message).primary_label(primary).label(p.call.span, p.label.clone());
    let (wspan, wlabel) = held.wrapper_label();
    d = d.label(wspan, wlabel);
    for (s, label) in steps {
        if s != span && !d.labels.iter().any(|l| l.span == s) {
            d = d.label(s, label);
        }
    }
    if let Some((s, label)) = &p.release {
        if (s.file, s.start) > (span.file, span.start) {
            d = d.label(*s, label.clone());
        }
    }
    d = d
        .help(p.help.clone())
        .note("a lock that is not reentrant never lets its holder in again: this waits forever".to_string());
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    Some(d)
}
