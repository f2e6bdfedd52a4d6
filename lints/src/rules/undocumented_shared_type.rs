use crate::context::{ExportedFact, FileCx, PendingDiagnostic, WorkspaceCx};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::facts::items::{sync_kind, SyncKind, TypeDef, TypeRef};
use crate::facts::modules;
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds a public struct or enum that holds synchronisation state and whose docs say
    /// nothing about how it behaves under concurrency.
    ///
    /// Public means declared `pub`, outside function bodies and test code, and reachable from
    /// outside the crate: every module on the way from `src/lib.rs` is declared `pub` (and not
    /// `#[doc(hidden)]`), or a `pub use` in the package that is not `#[doc(hidden)]` names the
    /// type (or globs its module). Files of `examples/`, `benches/`, `tests/` and `src/bin/`
    /// are never public. What cannot be followed (a `#[path]` module, a declaration made inside
    /// a macro) counts as public.
    ///
    /// Synchronisation state is a field whose type mentions, outside a reference and
    /// `PhantomData`, a lock (`Mutex`, `RwLock`, `ReentrantMutex`), a `Condvar`, an atomic
    /// (`AtomicUsize`, …, crossbeam's `AtomicCell`), a channel end (`Sender`, `SyncSender`,
    /// `Receiver`, `UnboundedSender`, …), or tokio's `Notify`, `Semaphore` or `Barrier`, from
    /// std, tokio, parking_lot, crossbeam, flume, async-channel, async-lock, async-std, futures
    /// or spin, resolved through `use` (so `Arc<Mutex<T>>`, `Vec<AtomicU64>` and
    /// `Option<Sender<Msg>>` count; a crate's own `Mutex` wrapper does not).
    ///
    /// The docs count as covering concurrency when they have a section about safety
    /// (`# Thread safety`, `# Safety`, `# Cancellation safety`), a `Safety:` line, or mention
    /// any of these words, as whole words with their inflections: thread (threads,
    /// thread-safe, multithreaded), concurrent/concurrently/concurrency, lock (locks, locked,
    /// locking, unlock, deadlock, lock-free), atomic/atomically, synchronise/synchronize, race
    /// (races, racy), parallel, mutex, task, share/shared/shareable, the primitive itself
    /// (semaphore, channel, condvar, barrier, sender, receiver), `Send`, `Sync`. "Graceful",
    /// "clock", "block" and "trace" do not count. The bar is deliberately low: the lint asks
    /// for a sentence, not an essay. The contract also counts as stated when the docs of one
    /// of the type's `pub` methods (in the same file) speak of concurrency, or when a paragraph of
    /// the file's inner docs (`//!`, the crate docs in `lib.rs`) names the type and speaks of
    /// concurrency.
    ///
    /// Left alone, because they have no concurrency contract to state:
    /// - types that cannot be shared between threads: they hold an `Rc`, a `Cell`/`RefCell`
    ///   outside a lock, a `LocalSet`, a JS value (`JsValue`, `js_sys`, `web_sys`), a raw
    ///   pointer, or a `PhantomData` marker of one of these, and the file has no
    ///   `unsafe impl Sync` for them;
    /// - types whose impls in the file offer no method callable through a shared reference
    ///   (`&self`, `self: Arc<Self>`), value traits (`Debug`, `Clone`, `PartialEq`, …)
    ///   aside: by-value builders whose methods take `self`, and opaque handles used through
    ///   `&mut self` or `Drop`. A type with no impl in the file counts as shared;
    /// - docs that cannot be read (`#[doc = include_str!(…)]`), `#[doc(hidden)]` types and
    ///   test code.
    ///
    /// ### Why is this bad
    /// Go's rule: document concurrency safety. A type with a lock or an atomic inside makes
    /// promises its signature cannot show: which methods may run at the same time, what each
    /// lock protects, in which order locks must be taken, which memory ordering readers can
    /// rely on, what happens when a channel is full or closed. Users guess, and a wrong guess
    /// is a deadlock or a race that no test shows.
    ///
    /// ### Known problems
    /// **Pedantic (allow by default).** A blind review of 20 findings on crates it was never
    /// tuned on (corpus C, 2026-12-03) judged 1 true: a lock inside a type is usually an
    /// implementation detail with no rule for callers to follow, and types reachable only
    /// through private modules were still reported. Turn it on (`-W undocumented_shared_type`
    /// or `pedantic = "warn"`) when writing the concurrency docs of a public API.
    ///
    /// Re-exports are matched by name: a private type that shares its name with a re-exported
    /// one is checked too. Types whose synchronisation state sits in another type
    /// (`Arc<Inner>`) are not seen.
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
        category: Pedantic,
        cost: Documentation,
        summary: "a public type with locks, atomics or channels whose docs say nothing about concurrency",
        why: "a type with synchronisation state makes concurrency promises only its docs can state",
    };
}

/// File phase: module facts for the "is it public?" question, and every candidate finding:
/// a `pub` type (outside functions and test code) with synchronisation state and silent docs.
pub fn collect(cx: &FileCx<'_>) {
    modules::export_module_facts(cx);
    let mut inline = Vec::new();
    collect_items(cx, &cx.ast.items, &mut inline);
}

/// Walks the file's items and inline modules (not function bodies: a type declared there
/// cannot be named from outside).
fn collect_items(cx: &FileCx<'_>, items: &[syn::Item], inline: &mut Vec<(String, bool)>) {
    if inline.len() > 16 {
        return;
    }
    for item in items {
        let ident = match item {
            syn::Item::Struct(s) => &s.ident,
            syn::Item::Enum(e) => &e.ident,
            syn::Item::Union(u) => &u.ident,
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    inline.push((m.ident.to_string(), modules::is_public_decl(&m.vis, &m.attrs)));
                    collect_items(cx, inner, inline);
                    inline.pop();
                }
                continue;
            }
            _ => continue,
        };
        let Some(def) = cx.facts.type_of_ident(ident) else { continue };
        if let Some(d) = candidate(cx, def) {
            cx.export(ExportedFact::PublicItemFinding {
                name: def.ident.to_string(),
                inline: inline.clone(),
                finding: PendingDiagnostic(Box::new(d)),
            });
        }
    }
}

/// Workspace phase: the candidates whose type is public API.
pub fn check(ws: &WorkspaceCx<'_>) {
    for (file, fact) in ws.all_facts() {
        let ExportedFact::PublicItemFinding { name, inline, finding } = fact else { continue };
        if finding.0.lint == &UNDOCUMENTED_SHARED_TYPE && modules::is_public(ws, file, inline, name) {
            ws.report((*finding.0).clone());
        }
    }
}

fn candidate(cx: &FileCx<'_>, def: &TypeDef<'_>) -> Option<Diagnostic> {
    if def.is_test || !matches!(def.vis, syn::Visibility::Public(_)) || modules::is_doc_hidden(def.attrs) {
        return None;
    }
    let state: Vec<(&TypeRef, SyncKind)> = def
        .fields
        .iter()
        .filter_map(|f| {
            f.types.iter().filter(|t| !t.behind_reference).find_map(|t| Some((t, sync_kind(t.resolved.as_deref()?)?)))
        })
        .collect();
    if state.is_empty() {
        return None;
    }
    let docs = doc_text(def.attrs)?;
    if speaks_of_concurrency(&docs) {
        return None;
    }
    let name = def.ident.to_string();
    if cannot_be_shared(cx, def, &name)
        || !lends_shared_api(cx, &name)
        || methods_document_it(cx, &name)
        || module_documents_it(&cx.ast.attrs, &name)
    {
        return None;
    }
    Some(diagnostic(cx, def, &state, !docs.trim().is_empty()))
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
/// mention of a concurrency word, matched as a whole word ("graceful" is not "race", "clock"
/// is not "lock") with its inflections ("locks", "locked", "thread-safe", "concurrently").
pub(crate) fn speaks_of_concurrency(docs: &str) -> bool {
    /// Stems long enough to be unambiguous at the start of a word.
    const STEMS: &[&str] = &[
        "thread", "multithread", "concurren", "synchronis", "synchroniz", "atomic", "parallel", "mutex", "semaphore",
        "condvar",
    ];
    /// Short words, matched exactly.
    const WORDS: &[&str] = &[
        "lock", "locks", "locked", "locking", "unlock", "unlocks", "unlocked", "unlocking", "deadlock", "deadlocks",
        "lockfree", "race", "races", "racy", "racing", "raced", "task", "tasks", "share", "shares", "shared",
        "sharing", "shareable", "sharable", "channel", "channels", "barrier", "barriers", "sender", "senders",
        "receiver", "receivers",
    ];
    let lower = docs.to_ascii_lowercase();
    if lower.contains("safety:") {
        return true;
    }
    let words = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    if words.clone().any(|w| WORDS.contains(&w) || STEMS.iter().any(|s| w.starts_with(s))) {
        return true;
    }
    // A section about safety of any kind (`# Safety`, `# Cancellation safety`).
    if lower.lines().any(|l| l.trim_start().starts_with('#') && l.contains("safety")) {
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

fn diagnostic(cx: &FileCx<'_>, def: &TypeDef<'_>, state: &[(&TypeRef, SyncKind)], has_docs: bool) -> Diagnostic {
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
    d
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

/// Types from `std`, wasm-bindgen and tokio that make a type `!Send` or `!Sync`.
fn unshareable(resolved: &str) -> bool {
    matches!(
        resolved,
        "std::rc::Rc"
            | "std::rc::Weak"
            | "std::cell::RefCell"
            | "std::cell::Cell"
            | "std::cell::UnsafeCell"
            | "std::cell::OnceCell"
            | "tokio::task::LocalSet"
            | "wasm_bindgen::JsValue"
            | "wasm_bindgen::JsCast"
    ) || resolved.starts_with("js_sys::")
        || resolved.starts_with("web_sys::")
}

/// Whether the type cannot be shared between threads, so that it has no concurrency contract
/// to document: it holds an `Rc`, a `Cell`/`RefCell` outside any lock, a `LocalSet`, a JS value,
/// a raw pointer, or a `PhantomData` marker of one of these, and the file has no `unsafe impl
/// Sync` for it.
fn cannot_be_shared(cx: &FileCx<'_>, def: &TypeDef<'_>, name: &str) -> bool {
    let claims_sync =
        cx.facts.impls.iter().any(|i| i.unsafe_auto_trait == Some("Sync") && i.self_name.as_deref() == Some(name));
    if claims_sync {
        return false;
    }
    def.fields.iter().any(|f| {
        if f.holds_raw_pointer {
            return true;
        }
        // A cell inside a lock (`Mutex<RefCell<T>>`) is shared safely; the list is outermost first.
        let mut inside_lock = false;
        for t in f.types.iter().filter(|t| !t.behind_reference) {
            let Some(resolved) = t.resolved.as_deref() else { continue };
            if sync_kind(resolved).is_some_and(|k| k == SyncKind::Lock) {
                inside_lock = true;
            } else if unshareable(resolved) && (!inside_lock || resolved.starts_with("std::rc::")) {
                return true;
            }
        }
        // `PhantomData<*const ()>`, `PhantomData<Rc<()>>`: an explicit `!Send`/`!Sync` marker.
        let tokens = quote::ToTokens::to_token_stream(&f.field.ty).to_string();
        tokens.contains("PhantomData")
            && ["* const", "* mut", "Rc <", "Cell <", "RefCell <"].iter().any(|m| tokens.contains(m))
    })
}

/// Trait impls that do not make a type's state reachable from several threads: value traits
/// whose `&self` methods only look at it.
const VALUE_TRAITS: &[&str] =
    &["Debug", "Display", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default", "Drop", "From", "Into"];

/// Whether the type offers a method callable through a shared reference (`&self`,
/// `self: Arc<Self>`), in the impls of this file. A type whose impls here take only `self`
/// (a by-value builder) or `&mut self` (an opaque handle, a `Service`) is not used from
/// several threads at once, so it has no contract to state. Without any impl of the type in
/// the file, its API cannot be seen and counts as shared.
fn lends_shared_api(cx: &FileCx<'_>, name: &str) -> bool {
    let mut impls =
        cx.facts.impls.iter().filter(|i| i.self_name.as_deref() == Some(name) && i.unsafe_auto_trait.is_none());
    let mut any = false;
    let shared = impls.any(|i| {
        any = true;
        let value_trait = i.item.trait_.as_ref().is_some_and(|(_, p, _)| {
            p.segments.last().is_some_and(|s| VALUE_TRAITS.contains(&s.ident.to_string().as_str()))
        });
        !value_trait
            && i.item.items.iter().any(|it| match it {
                syn::ImplItem::Fn(f) => shared_receiver(&f.sig),
                _ => false,
            })
    });
    shared || !any
}

/// `&self`, `self: &Self`, `self: Arc<Self>`, `self: Pin<&Self>`: callable on a shared value.
fn shared_receiver(sig: &syn::Signature) -> bool {
    let Some(syn::FnArg::Receiver(r)) = sig.inputs.first() else { return false };
    if r.colon_token.is_none() {
        return r.reference.is_some() && r.mutability.is_none();
    }
    let text = quote::ToTokens::to_token_stream(&*r.ty).to_string();
    (text.contains('&') && !text.contains("& mut")) || text.contains("Arc")
}

/// Whether the docs of a `pub` method of the type (in this file's inherent impls) state the
/// contract: the methods are where callers read it.
fn methods_document_it(cx: &FileCx<'_>, name: &str) -> bool {
    cx.facts.impls.iter().filter(|i| i.self_name.as_deref() == Some(name) && i.item.trait_.is_none()).any(|i| {
        i.item.items.iter().any(|it| match it {
            syn::ImplItem::Fn(f) => {
                matches!(f.vis, syn::Visibility::Public(_))
                    && doc_text(&f.attrs).is_some_and(|d| speaks_of_concurrency(&d))
            }
            _ => false,
        })
    })
}

/// Whether the file's inner docs (`//!`, the crate's docs in `lib.rs`) have a paragraph that
/// names the type and speaks of concurrency.
fn module_documents_it(attrs: &[syn::Attribute], name: &str) -> bool {
    let mut docs = String::new();
    for a in attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_)) && a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
            ..
        }) = &a.meta
        {
            docs.push_str(&s.value());
            docs.push('\n');
        }
    }
    docs.split("\n\n").any(|paragraph| {
        paragraph.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == name)
            && speaks_of_concurrency(paragraph)
    })
}
