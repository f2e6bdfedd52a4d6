use crate::context::FileCx;
use crate::diagnostic::Diagnostic;
use crate::facts::handles::{
    accessed_static, detaches_on_drop, handle_collections, pushed_into, spawn_binding, HandleCollection,
};
use crate::facts::items::StaticFact;
use crate::facts::{peel_parens, BindingId, BindingKind, Callee, Family, Flow, Spawn};
use crate::registry::Rule;
use crate::rules::detached_spawn::is_detached_endless;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds a local collection of join handles that is filled and then never joined:
    /// handles of `std::thread::spawn`, `thread::Builder::spawn`, `tokio::spawn`,
    /// `spawn_blocking`, `spawn_local`, `Handle::spawn` or `async_std::task::spawn` pushed into
    /// it (`handles.push(…)`, `extend`, `insert`) or collected into it
    /// (`let handles: Vec<_> = (0..n).map(|_| spawn(…)).collect()`), or a collection whose
    /// written type says it holds them (a parameter taken by value,
    /// `handles: Vec<JoinHandle<()>>`, or
    /// `let workers: Vec<JoinHandle<()>> = std::mem::take(&mut self.workers)`). It is
    /// reported when it is only measured (`len()`, `is_empty()`, `capacity()`), cleared,
    /// looked at through shared references (`for h in &handles`, `handles.iter()`: `join`
    /// takes a handle by value and a task is awaited through `&mut`), or dropped
    /// (`drop(handles)`, or the end of its scope), and never iterated by value, drained,
    /// joined, awaited, aborted, returned, stored or passed on.
    ///
    /// Also a private `static` collection of handles
    /// (`static WORKERS: Mutex<Vec<JoinHandle<()>>>`) that the file pushes spawns into and
    /// otherwise only measures: no function takes the handles out to join them.
    ///
    /// ### Why is this bad
    /// Collecting handles says "I will wait for these", and then nobody does. When the
    /// collection drops, std threads and tokio / async-std tasks are detached: they run on
    /// after the function returned, their results and panics are lost, and the caller believes
    /// the work is done. Go's `WaitGroup` rule: every `Add` needs its `Wait`.
    ///
    /// ### Known problems
    /// Any other use of the collection counts as joining it, so a collection handed to a
    /// helper (by value or `&mut`) is trusted to be joined there. Shared references count as
    /// joining too where they could reach the work: handles kept in a cell
    /// (`Mutex<Option<JoinHandle>>`, whose `take()` works through `&`), tasks in a file that
    /// aborts tasks (`abort()` takes `&self`), and a function that polls `is_finished()` (it
    /// waits for the work without joining it). Only collections the function builds
    /// (`Vec::new()`, `vec![]`, a `collect()`) are checked: one borrowed from a field or a lock
    /// guard (`let workers = &mut self.workers`) lives on after the function. Collections held
    /// in fields are not checked: any method, in this file or another, may drain them. Nor is
    /// a `static` that another file could reach: a public one, or one in a file that declares
    /// a module of another file (`mod shutdown;`) or `include!`s one; nor one whose name the
    /// text mentions anywhere else than in those pushes and measures (a macro's tokens, a
    /// comment, a helper it is handed to), nor one declared by a macro (`lazy_static!`).
    /// Handles of scoped threads
    /// (joined by their scope), `JoinSet` and `TaskTracker` spawns (managed by their owner;
    /// see `joinset_dropped`) and smol `Task`s (cancelled on drop) are not handles this lint
    /// counts. A collection of handles to endless tasks that `detached_spawn` reports is
    /// left to that lint.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let mut workers = Vec::new();
    /// for shard in shards {
    ///     workers.push(std::thread::spawn(move || compact(shard)));
    /// }
    /// println!("compaction started");
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let mut workers = Vec::new();
    /// for shard in shards {
    ///     workers.push(std::thread::spawn(move || compact(shard)));
    /// }
    /// for worker in workers {
    ///     worker.join().expect("compaction thread panicked");
    /// }
    /// ```
    pub static HANDLES_NEVER_JOINED = {
        name: "handles_never_joined",
        rule: Some(Rule::JoinAccounting),
        category: Suspicious,
        cost: Leak,
        summary: "join handles are collected and never joined, awaited or aborted",
        why: "every spawn needs a matching wait; dropped handles detach their work and lose its panics",
    };
}

/// Methods on a collection that add to it, look at its size or drop handles, and so join
/// nothing.
fn is_non_joining_method(name: &str) -> bool {
    matches!(
        name,
        "push"
            | "push_back"
            | "push_front"
            | "insert"
            | "extend"
            | "append"
            | "len"
            | "is_empty"
            | "reserve"
            | "reserve_exact"
            | "capacity"
            | "shrink_to_fit"
            | "clear"
            | "truncate"
            | "keys"
            | "contains_key"
    )
}

/// Methods that hand out shared references to the handles (`iter()`, a map's `values()`).
fn is_shared_access(name: &str) -> bool {
    matches!(name, "iter" | "values" | "get" | "first" | "last")
}

/// What the uses of a collection of handles do with them.
enum Outcome {
    /// Something may join, await or abort them: iterated by value, drained, passed on…
    MayJoin,
    /// Only filled, measured, looked at through shared references, or dropped: by a `drop`,
    /// `forget` or `clear()` call at `let_go` (how, and where), else at the end of its scope.
    NeverJoined { let_go: Option<(&'static str, Span)> },
}

fn outcome(cx: &FileCx<'_>, c: &HandleCollection, spawns: &[&Spawn<'_>], tasks: bool) -> Outcome {
    let mut let_go = None;
    let mut borrowed = false;
    for u in cx.facts.uses_of(c.binding) {
        match u.flow {
            Flow::Method(m) if matches!(m.method.to_string().as_str(), "clear" | "truncate") => {
                let_go.get_or_insert(("cleared", cx.span(m)));
            }
            Flow::Method(m) if is_non_joining_method(&m.method.to_string()) => {}
            Flow::Dropped(e) => {
                let_go.get_or_insert(("dropped", cx.span(e)));
            }
            Flow::Forgotten(e) => {
                let_go.get_or_insert(("leaked", cx.span(e)));
            }
            Flow::Method(m) if is_shared_access(&m.method.to_string()) => borrowed = true,
            Flow::Other if u.expr.is_some_and(|e| iterated_by_shared_ref(cx, e)) => borrowed = true,
            _ => return Outcome::MayJoin,
        }
    }
    if borrowed && !shared_refs_cannot_join(cx, c, spawns, tasks) {
        return Outcome::MayJoin;
    }
    Outcome::NeverJoined { let_go }
}

/// `for h in &handles`: the loop sees each handle through a shared reference.
fn iterated_by_shared_ref(cx: &FileCx<'_>, path: &syn::Expr) -> bool {
    cx.facts.loops.iter().any(|lp| match lp.expr {
        syn::Expr::ForLoop(f) => matches!(peel_parens(&f.expr),
            syn::Expr::Reference(r) if r.mutability.is_none() && std::ptr::eq(peel_parens(&r.expr), path)),
        _ => false,
    })
}

/// Whether a shared reference to the collection's handles can neither join nor stop them:
/// `JoinHandle::join` takes the handle by value and a task is awaited through `&mut`, so
/// through `&` only `abort()` acts on the work. Not so when the handles sit in a cell
/// (`Mutex<Option<JoinHandle>>`: `take()` through `&` moves them out), when the file aborts
/// tasks (the reference may reach an `abort()`), or when the function polls `is_finished()`
/// (it waits for the work without joining it).
fn shared_refs_cannot_join(cx: &FileCx<'_>, c: &HandleCollection, spawns: &[&Spawn<'_>], tasks: bool) -> bool {
    const CELLS: &[&str] = &["Mutex", "RwLock", "RefCell", "Cell", "OnceLock", "Atomic"];
    let b = cx.facts.binding(c.binding);
    let mut written: Vec<&str> = Vec::new();
    if let Some(ty) = b.ty {
        written.push(cx.snippet(cx.span(ty)));
    }
    for s in spawns {
        // From the collection (or the pushed binding) to the spawn: `push(Mutex::new(Some(`.
        let between = match (pushed_into(cx.file, cx.facts, s), b.init) {
            (Some(recv), _) => {
                let from = cx.span(recv).end as usize;
                let to = handle_binding_use(cx, s, recv).unwrap_or(s.callee_span.start) as usize;
                (from <= to).then(|| cx.snippet(Span::new(cx.file, from, to)))
            }
            (None, Some(init)) => {
                let from = cx.span(init).start as usize;
                let to = s.callee_span.start as usize;
                (from <= to).then(|| cx.snippet(Span::new(cx.file, from, to)))
            }
            (None, None) => None,
        };
        written.push(between.unwrap_or(""));
    }
    if written.iter().any(|w| CELLS.iter().any(|cell| w.contains(cell))) {
        return false;
    }
    if tasks && cx.facts.file_aborts() {
        return false;
    }
    let polls = b.ctx.fn_id.is_some_and(|f| {
        let body = cx.facts.func(f).body;
        cx.snippet(cx.span(body)).contains("is_finished")
    });
    !polls
}

/// Where the binding holding a spawn's handle is pushed into `recv`
/// (`let h = spawn(…); handles.push(h)`), as the start of that use.
fn handle_binding_use(cx: &FileCx<'_>, s: &Spawn<'_>, recv: &syn::Expr) -> Option<u32> {
    let h = spawn_binding(cx.file, cx.facts, s)?;
    cx.facts.uses_of(h).find_map(|u| match u.flow {
        Flow::PushedInto(r) if std::ptr::eq(r, recv) => Some(u.span.start),
        _ => None,
    })
}

/// A collection the function owns: built in place (`Vec::new()`, `vec![]`, a `collect()`), not
/// a borrowed one (`let handles = &mut self.handles`, a lock guard), whose handles live on.
fn owns_its_handles(init: Option<&syn::Expr>) -> bool {
    let Some(init) = init else { return true };
    match peel_parens(init) {
        syn::Expr::Call(_) | syn::Expr::Macro(_) | syn::Expr::Array(_) => true,
        syn::Expr::MethodCall(m) => matches!(m.method.to_string().as_str(), "collect" | "collect_vec"),
        _ => false,
    }
}

pub fn check(cx: &FileCx<'_>) {
    let collections = handle_collections(cx.file, cx.facts);
    for collection in &collections {
        check_collection(cx, collection);
    }
    for (i, b) in cx.facts.bindings.iter().enumerate() {
        let id = BindingId(i as u32);
        if b.handle_type.is_some() && !collections.iter().any(|c| c.binding == id) {
            check_typed(cx, id);
        }
    }
    for st in &cx.facts.statics {
        check_static(cx, st);
    }
}

/// A private `static` of handles that the file only pushes into and measures. Private, and in
/// a file that declares no module of another file and includes no other file, so that every
/// function that could take the handles out is in sight; and every mention of its name in the
/// text is one of those pushes or measures, so that no macro or comment hides another use.
fn check_static(cx: &FileCx<'_>, st: &StaticFact<'_>) {
    if !st.handle_type.is_some_and(detaches_on_drop) || !matches!(st.item.vis, syn::Visibility::Inherited) {
        return;
    }
    let spawns: Vec<&Spawn<'_>> = cx
        .facts
        .spawns
        .iter()
        .filter(|s| {
            detaches_on_drop(s.spawner)
                && pushed_into(cx.file, cx.facts, s)
                    .and_then(|recv| accessed_static(cx.facts, recv, true))
                    .is_some_and(|into| std::ptr::eq(into, st))
        })
        .collect();
    let Some(first) = spawns.first() else { return };
    if spawns.iter().all(|s| is_detached_endless(cx, s)) {
        return;
    }
    let text: &str = &cx.source.text;
    if declares_other_files(text) {
        return;
    }
    let name = st.item.ident.to_string();
    let is_st = |s: Option<&StaticFact<'_>>| s.is_some_and(|s| std::ptr::eq(s, st));
    let direct = cx
        .facts
        .calls
        .iter()
        .filter(|c| match &c.callee {
            Callee::Method { name: m, receiver } => {
                is_non_joining_method(m) && is_st(accessed_static(cx.facts, receiver, false))
            }
            Callee::Path { .. } => false,
        })
        .count();
    // `let mut running = NAME.lock().unwrap();` used only to push and measure.
    let guards = cx
        .facts
        .bindings
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            b.kind == BindingKind::Let && b.init.is_some_and(|init| is_st(accessed_static(cx.facts, init, false)))
        })
        .map(|(i, _)| BindingId(i as u32))
        .collect::<Vec<_>>();
    let guards_only_add = guards.iter().all(|&g| {
        cx.facts.uses_of(g).all(|u| matches!(u.flow, Flow::Method(m) if is_non_joining_method(&m.method.to_string())))
    });
    if !guards_only_add {
        return;
    }
    let accounted = direct + guards.len();
    if mentions(text, &name) != accounted + 1 {
        return;
    }
    let threads = spawns.iter().all(|s| s.spawner.is_thread());
    let (what, wait) = if threads { ("thread", "joined") } else { ("task", "awaited") };
    let mut d = Diagnostic::new(
        &HANDLES_NEVER_JOINED,
        cx.span(&st.item.ident),
        format!("the {what} handles collected in `{name}` are never {wait}"),
    )
    .primary_label(format!("`{name}` collects join handles, and nothing takes them out"));
    for s in &spawns {
        d = d.label(s.callee_span, format!("the handle of this `{}` is put into `{name}`", s.api));
    }
    d = d.note(format!(
        "`{name}` is private and this file only adds to it or measures it: no function can join its handles, and a static is never dropped, so at exit the {what}s are stopped wherever they are, their panics lost"
    ));
    let take = format!("std::mem::take(&mut *{name}.lock().unwrap())");
    d = d.help(match first.spawner.family() {
        Family::Std => format!(
            "join them where the work must be finished: `for h in {take} {{ h.join().expect(\"worker thread panicked\"); }}`"
        ),
        Family::Tokio => format!(
            "await them where the work must be finished: `for h in {take} {{ h.await.expect(\"worker task failed\"); }}`"
        ),
        _ => format!("await them where the work must be finished: `for h in {take} {{ h.await; }}`"),
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// Whether the file declares a module kept in another file (`mod name;`) or includes one
/// (`include!`): code there could reach the file's private items. Read from the text, so a
/// comment that looks like one counts too.
fn declares_other_files(text: &str) -> bool {
    if text.contains("include!") {
        return true;
    }
    text.match_indices("mod ").any(|(i, _)| {
        let preceded = text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        let rest = text[i + 4..].trim_start();
        let ident_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        !preceded && ident_len > 0 && rest[ident_len..].trim_start().starts_with(';')
    })
}

/// How many times `name` appears in `text` as a whole word.
fn mentions(text: &str, name: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name)
        .filter(|(i, _)| {
            !text[..*i].chars().next_back().is_some_and(is_ident)
                && !text[i + name.len()..].chars().next().is_some_and(is_ident)
        })
        .count()
}

fn check_collection(cx: &FileCx<'_>, c: &HandleCollection) {
    let b = cx.facts.binding(c.binding);
    if !owns_its_handles(b.init) {
        return;
    }
    let spawns: Vec<&Spawn<'_>> = c.spawns.iter().map(|id| &cx.facts.spawns[id.0 as usize]).collect();
    if spawns.iter().all(|s| is_detached_endless(cx, s)) {
        return;
    }
    let Some(first) = spawns.first() else { return };
    let threads = spawns.iter().all(|s| s.spawner.is_thread());
    let Outcome::NeverJoined { let_go } = outcome(cx, c, &spawns, !threads) else {
        return;
    };
    report_local(cx, c.binding, &spawns, first.spawner.family(), threads, let_go);
}

/// A local collection whose written type holds handles that detach on drop
/// (`handles: Vec<JoinHandle<()>>`, `let workers: Vec<JoinHandle<()>> = start_workers();`),
/// filled by no spawn in sight: a parameter taken by value, or a `let` the function owns.
fn check_typed(cx: &FileCx<'_>, binding: BindingId) {
    let b = cx.facts.binding(binding);
    let Some(spawner) = b.handle_type.filter(|s| detaches_on_drop(*s)) else { return };
    let Some(ty) = b.ty else { return };
    if !matches!(b.kind, BindingKind::Let | BindingKind::Param) || !is_owned_collection(ty) {
        return;
    }
    // `_handles: Vec<JoinHandle<()>>`: a parameter left unused on purpose (a no-op callback).
    if b.kind == BindingKind::Param && b.name.starts_with('_') {
        return;
    }
    let c = HandleCollection { binding, spawns: Vec::new() };
    let Outcome::NeverJoined { let_go } = outcome(cx, &c, &[], !spawner.is_thread()) else {
        return;
    };
    report_local(cx, binding, &[], spawner.family(), spawner.is_thread(), let_go);
}

/// `Vec<…>`, `VecDeque<…>`, a map or a set, by value: not a reference, a guard or a smart
/// pointer that someone else may hold too.
fn is_owned_collection(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    p.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "Vec" | "VecDeque" | "LinkedList" | "HashMap" | "BTreeMap" | "IndexMap" | "SmallVec"
        )
    })
}

fn report_local(
    cx: &FileCx<'_>,
    binding: BindingId,
    spawns: &[&Spawn<'_>],
    family: Family,
    threads: bool,
    let_go: Option<(&'static str, Span)>,
) {
    let b = cx.facts.binding(binding);
    let Some(scope_end) = b.scope_end else { return };
    let (what, wait) = if threads { ("thread", "joined") } else { ("task", "awaited") };
    let name = &b.name;
    // Handles spawned out of sight are held, not collected, as far as this function shows.
    let (collected, collects) = if spawns.is_empty() { ("", "holds") } else { (" collected", "collects") };
    let mut d = Diagnostic::new(
        &HANDLES_NEVER_JOINED,
        b.span,
        format!("the {what} handles{collected} in `{name}` are never {wait}"),
    )
    .primary_label(format!("`{name}` {collects} join handles, and nothing joins them"));
    for s in spawns {
        let verb = if s.per_element { "collected" } else { "put" };
        d = d.label(s.callee_span, format!("the handle of this `{}` is {verb} into `{name}`", s.api));
    }
    let detached = match family {
        Family::Std => "detaching every thread: each runs on after the function returns, and its panic is lost",
        _ => "detaching every task: each runs on after the function returns, and its result and panic are lost",
    };
    let (how, at) = let_go.unwrap_or(("dropped", scope_end));
    d = d.label(at, format!("`{name}` is {how} here, {detached}"));
    d = d.help(match family {
        Family::Std => format!(
            "join them before `{name}` goes out of scope: `for h in {name} {{ h.join().expect(\"worker thread panicked\"); }}`, or spawn them in `std::thread::scope`, which joins every thread"
        ),
        Family::Tokio => format!(
            "await them before `{name}` goes out of scope (`for h in {name} {{ h.await?; }}`), or spawn into a `JoinSet` and `join_all()` it"
        ),
        _ => format!("await them before `{name}` goes out of scope: `for h in {name} {{ h.await; }}`"),
    });
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}
