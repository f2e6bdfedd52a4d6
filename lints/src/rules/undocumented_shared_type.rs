use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::items::{sync_kind, SyncKind, TypeDef, TypeRef};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds a `pub` struct or enum that holds synchronisation state and whose docs say
    /// nothing about how it behaves under concurrency.
    ///
    /// Synchronisation state is a field whose type mentions, outside a reference and
    /// `PhantomData`, a lock (`Mutex`, `RwLock`, `ReentrantMutex`), a `Condvar`, an atomic
    /// (`AtomicUsize`, …, crossbeam's `AtomicCell`), a channel end (`Sender`, `SyncSender`,
    /// `Receiver`, `UnboundedSender`, …), or tokio's `Notify`, `Semaphore` or `Barrier`, from
    /// std, tokio, parking_lot, crossbeam, flume, async-channel, async-lock, async-std, futures
    /// or spin, resolved through `use` (so `Arc<Mutex<T>>`, `Vec<AtomicU64>` and
    /// `Option<Sender<Msg>>` count; a crate's own `Mutex` wrapper does not).
    ///
    /// The docs count as covering concurrency when they have a heading about it
    /// (`# Thread safety`, `# Concurrency`, `# Safety`, `# Locking`, `# Synchronization`), a
    /// `Safety:` line, or mention any of: thread, concurrent/concurrency, lock, atomic,
    /// synchronise/synchronize, race, parallel, mutex, task, `Send`, `Sync`, shared. The bar is
    /// deliberately low: the lint asks for a sentence, not an essay. Docs that cannot be read
    /// (`#[doc = include_str!(…)]`), `#[doc(hidden)]` types and test code are left alone.
    ///
    /// ### Why is this bad
    /// Go's rule: document concurrency safety. A type with a lock or an atomic inside makes
    /// promises its signature cannot show: which methods may run at the same time, what each
    /// lock protects, in which order locks must be taken, which memory ordering readers can
    /// rely on, what happens when a channel is full or closed. Users guess, and a wrong guess
    /// is a deadlock or a race that no test shows.
    ///
    /// ### Known problems
    /// Visibility is syntactic: a `pub` type in a private module is checked too. Types whose
    /// synchronisation state sits in another type (`Arc<Inner>`) are not seen.
    ///
    /// ### Example
    /// ```rust,ignore
    /// /// A pool of connections.
    /// pub struct Pool {
    ///     idle: Mutex<Vec<Conn>>,
    ///     in_use: AtomicUsize,
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// /// A pool of connections.
    /// ///
    /// /// # Thread safety
    /// ///
    /// /// `Pool` is `Sync`: share it in an `Arc`. `get` takes the `idle` lock briefly and never
    /// /// holds it while connecting; `in_use` is a statistic read with `Relaxed` ordering.
    /// pub struct Pool {
    ///     idle: Mutex<Vec<Conn>>,
    ///     in_use: AtomicUsize,
    /// }
    /// ```
    pub static UNDOCUMENTED_SHARED_TYPE = {
        name: "undocumented_shared_type",
        rule: Some(Rule::DocumentedSafety),
        level: Warn,
        summary: "a public type with locks, atomics or channels whose docs say nothing about concurrency",
        why: "a type with synchronisation state makes concurrency promises only its docs can state",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for def in &cx.facts.types {
        if def.is_test || !matches!(def.vis, syn::Visibility::Public(_)) || is_doc_hidden(def.attrs) {
            continue;
        }
        let state: Vec<(&TypeRef, SyncKind)> = def
            .fields
            .iter()
            .filter_map(|f| {
                f.types
                    .iter()
                    .filter(|t| !t.behind_reference)
                    .find_map(|t| Some((t, sync_kind(t.resolved.as_deref()?)?)))
            })
            .collect();
        if state.is_empty() {
            continue;
        }
        let docs = match doc_text(def.attrs) {
            Some(docs) => docs,
            None => continue,
        };
        if speaks_of_concurrency(&docs) {
            continue;
        }
        report(cx, def, &state, !docs.trim().is_empty());
    }
}

fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().split(|c: char| !c.is_alphanumeric()).any(|w| w == "hidden"))
    })
}

/// The outer doc comment's text; `None` if part of it cannot be read (`include_str!`).
fn doc_text(attrs: &[syn::Attribute]) -> Option<String> {
    let mut out = String::new();
    for a in attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Outer) && a.path().is_ident("doc")) {
        match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    out.push_str(&s.value());
                    out.push('\n');
                }
                _ => return None,
            },
            _ => continue,
        }
    }
    Some(out)
}

/// The fair rule, documented on the lint: a heading or `Safety:` line about it, or any
/// mention of a concurrency word.
fn speaks_of_concurrency(docs: &str) -> bool {
    const WORDS: &[&str] = &[
        "thread", "concurren", "lock", "atomic", "synchronis", "synchroniz", "race", "racy", "parallel", "mutex",
        "task", "shared", "sharing", "safety:", "# safety",
    ];
    let lower = docs.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // `Send` and `Sync` as words (the traits), case-sensitive.
    docs.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "Send" || w == "Sync")
}

fn kind_words(kind: SyncKind) -> &'static str {
    match kind {
        SyncKind::Lock => "what each lock protects and in which order locks are taken",
        SyncKind::Condvar => "which condition each `Condvar` signals and under which lock",
        SyncKind::Atomic => "which memory ordering readers of the atomics can rely on",
        SyncKind::Channel => "who sends and receives, and what happens when the channel is full or closed",
        SyncKind::Other => "who waits on what, and who wakes them",
    }
}

fn report(cx: &FileCx<'_>, def: &TypeDef<'_>, state: &[(&TypeRef, SyncKind)], has_docs: bool) {
    let name = def.ident.to_string();
    let kind = match def.kind {
        crate::facts::items::TypeKind::Struct => "struct",
        crate::facts::items::TypeKind::Enum => "enum",
        crate::facts::items::TypeKind::Union => "union",
    };
    let (first, _) = state[0];
    let article = if first.name.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
    let message = if has_docs {
        format!("public {kind} `{name}` holds {article} `{}` but its docs say nothing about concurrency", first.name)
    } else {
        format!("public {kind} `{name}` holds {article} `{}` and has no docs on its concurrency contract", first.name)
    };
    let mut d = Diagnostic::new(&UNDOCUMENTED_SHARED_TYPE, cx.span_of(def.ident.span()), message)
        .primary_label("users cannot tell from its docs how to use it from several threads");
    for (t, _) in state.iter().take(3) {
        d = d.label(t.span, format!("`{}` here", t.name));
    }
    let mut topics: Vec<&str> = Vec::new();
    for (_, k) in state {
        let w = kind_words(*k);
        if !topics.contains(&w) {
            topics.push(w);
        }
    }
    d = d.help(format!(
        "add a `# Thread safety` section to its docs: which methods may run concurrently; {}",
        topics.join("; ")
    ));
    if let Some((at, indent)) = insertion_point(cx, def) {
        let mut text = String::new();
        if has_docs {
            text.push_str(&format!("{indent}///\n"));
        }
        text.push_str(&format!(
            "{indent}/// # Thread safety\n{indent}///\n{indent}/// <which methods may run concurrently, and what each piece of shared state guarantees>\n"
        ));
        d = d.suggest("document the concurrency contract", at, text, Applicability::HasPlaceholders);
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// The start of the line holding the visibility keyword, when nothing precedes it there.
fn insertion_point(cx: &FileCx<'_>, def: &TypeDef<'_>) -> Option<(Span, String)> {
    let vis = cx.span(def.vis);
    let line = cx.source.line_index(vis.start as usize);
    let range = cx.source.line_range(line);
    let before = &cx.source.text[range.start..vis.start as usize];
    if !before.chars().all(char::is_whitespace) {
        return None;
    }
    Some((Span::new(cx.file, range.start, range.start), before.to_string()))
}
