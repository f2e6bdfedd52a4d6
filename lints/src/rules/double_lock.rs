use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::locks::{
    conflict, Acquisition, Conflict, GuardId, Holder, LockFacts, LockFamily, LockKind, TempReason,
};
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds a lock locked again, by the same thread or task, while a guard from it is still
    /// alive: the same lock expression (`self.state`, a local, a `static`) locked a second time
    /// in the guard's scope, including the classic temporary guard of a `match`, `if let` or
    /// `while let` scrutinee (`match *self.state.lock().unwrap() { … => self.state.lock() … }`),
    /// and a call to a function of the same file that locks it (`self.flush()` while holding
    /// `self.state`, or a helper given the lock as an argument).
    ///
    /// Which second acquisitions deadlock: any on a mutex (std, parking_lot, spin, tokio,
    /// async-lock, futures); on a read-write lock, `write()` after anything and anything after
    /// `write()`. Two `read()`s are reported too, with their own message: std's `RwLock` (on
    /// most platforms), parking_lot's and tokio's are writer-fair, so a writer that queues
    /// between the two reads blocks the second one, and all of them wait forever. parking_lot's
    /// `read_recursive()` is the sanctioned way and is not reported, nor are reentrant mutexes
    /// (`ReentrantMutex`) and `try_lock()`-style calls (they fail instead of waiting).
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
    /// Locks are compared by the path written (`self.state`), so two names for one lock
    /// (`let a = m.clone();`) are not seen as the same. A guard released on some paths only
    /// counts as released. Calls are followed one level deep, into functions of the same file
    /// whose name is unique, and a lock taken anywhere in the callee counts. A lock whose type
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
        if a.is_try {
            continue;
        }
        if let Some((h, c)) = held_conflict(locks, a, a.key.as_ref()) {
            cx.report(direct(cx, locks, a, h, c));
        }
    }
    for call in &locks.calls {
        let inner = locks.callee_locks(cx.facts, call);
        let found = inner.iter().find_map(|cl| {
            let a = &locks.acquisitions[cl.acq];
            held_conflict_with(locks, &cl.held, a, Some(&cl.key)).map(|(h, c)| (cl, a, h, c))
        });
        if let Some((_, inner_acq, h, c)) = found {
            let held = locks.guard_acq(h);
            let callee = &cx.facts.func(inner_acq.fn_id).name;
            let who = holder_word(held);
            let message = match c {
                Conflict::Deadlock => {
                    format!("`{}` locks `{}` again while this {who} holds its guard", call.text, held.lock_text)
                }
                Conflict::ReadRead => {
                    format!("`{}` read-locks `{}` again while this {who} holds a read guard", call.text, held.lock_text)
                }
            };
            let mut d = Diagnostic::new(&DOUBLE_LOCK, call.span, message)
                .primary_label(format!("`{callee}` is called while the guard is alive"));
            d = d.label(held.span, first_label(cx, locks, h));
            d = d.label(
                inner_acq.span,
                format!("`{callee}` locks it here: `{}.{}()`", inner_acq.lock_text, inner_acq.method),
            );
            d = finish(cx, d, locks, h, held, c, true);
            cx.report(d);
        }
    }
}

fn held_conflict(
    locks: &LockFacts,
    a: &Acquisition,
    key: Option<&crate::facts::locks::LockKey>,
) -> Option<(GuardId, Conflict)> {
    held_conflict_with(locks, &a.held, a, key)
}

fn held_conflict_with(
    locks: &LockFacts,
    held: &[GuardId],
    a: &Acquisition,
    key: Option<&crate::facts::locks::LockKey>,
) -> Option<(GuardId, Conflict)> {
    let key = key?;
    held.iter().find_map(|&h| {
        let ha = locks.guard_acq(h);
        if ha.key.as_ref() != Some(key) {
            return None;
        }
        let kind = if ha.ty.kind == LockKind::Reentrant || a.ty.kind == LockKind::Reentrant {
            LockKind::Reentrant
        } else if ha.type_known {
            ha.ty.kind
        } else {
            a.ty.kind
        };
        conflict(kind, ha.mode, a.mode).map(|c| (h, c))
    })
}

fn direct(cx: &FileCx<'_>, locks: &LockFacts, a: &Acquisition, h: GuardId, c: Conflict) -> Diagnostic {
    let held = locks.guard_acq(h);
    let who = holder_word(held);
    let message = match c {
        Conflict::Deadlock => format!("`{}` is locked again while this {who} holds its guard", a.lock_text),
        Conflict::ReadRead => format!("`{}` is read-locked again while this {who} holds a read guard", a.lock_text),
    };
    let primary = match c {
        Conflict::Deadlock => {
            format!("this `{}()` waits for the guard above, which is released only after it", a.method)
        }
        Conflict::ReadRead => "this `read()` waits forever if a writer queues after the first read".to_string(),
    };
    let d = Diagnostic::new(&DOUBLE_LOCK, a.span, message)
        .primary_label(primary)
        .label(held.span, first_label(cx, locks, h));
    finish(cx, d, locks, h, held, c, false)
}

/// An async lock is held by a task, a blocking one by a thread.
fn holder_word(held: &Acquisition) -> &'static str {
    if held.ty.family.is_async() {
        "task"
    } else {
        "thread"
    }
}

/// The label on the first acquisition: how long its guard lives.
fn first_label(cx: &FileCx<'_>, locks: &LockFacts, h: GuardId) -> String {
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
    c: Conflict,
    via_call: bool,
) -> Diagnostic {
    let g = &locks.guards[h];
    let primary_start = d.primary.span.start;
    if let Some(r) = g.release {
        if r.span.start > primary_start {
            d = d.label(r.span, super::lock_across_await::release_label(g, r.kind, cx.package.edition));
        }
    }
    let help = match (&g.holder, c) {
        (_, Conflict::ReadRead) if held.ty.family == LockFamily::ParkingLot => {
            "use `read_recursive()` for the nested read, or reuse the read guard you already hold".to_string()
        }
        (_, Conflict::ReadRead) => "reuse the read guard you already hold instead of locking again".to_string(),
        (Holder::Binding { name, .. }, _) if via_call => {
            format!("release `{name}` before the call (`drop({name})`), or pass the guard's data to the callee instead of letting it lock")
        }
        (Holder::Binding { name, .. }, _) => {
            format!("use the guard you already hold (`{name}`), or release it first (`drop({name})` or end its block)")
        }
        (Holder::Temporary(TempReason::Match | TempReason::IfLet | TempReason::WhileLet), _) => {
            "take what you need from the lock in a `let` before the branch (`let v = …;`), so the temporary guard is dropped first, or hold one named guard and use it throughout".to_string()
        }
        (Holder::Temporary(_), _) => "lock once into a named guard (`let mut g = ….lock()…;`) and use it throughout".to_string(),
    };
    d = d.help(help);
    let note = match (held.ty.family, c) {
        (_, Conflict::ReadRead) => {
            "read-write locks in std (on most platforms), parking_lot and tokio block new readers while a writer waits: the second read waits for the writer, which waits for the first read"
        }
        (LockFamily::UnknownSync | LockFamily::UnknownAsync, _) if held.ty.name.is_empty() && held.type_known => {
            "a lock that is not reentrant never lets its holder in again: this waits forever"
        }
        (LockFamily::Std | LockFamily::UnknownSync, _) => {
            "std's locks are not reentrant: locking one the current thread holds never returns (it deadlocks or panics)"
        }
        (LockFamily::ParkingLot, _) => {
            "parking_lot's locks are not reentrant: this deadlocks (`ReentrantMutex` is the reentrant one)"
        }
        (LockFamily::Spin, _) => "spin locks are not reentrant: this spins forever",
        _ => "async locks are not reentrant either: the task waits for a guard it holds itself and never wakes up",
    };
    d = d.note(note);
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    d
}
