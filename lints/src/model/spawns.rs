//! Spawned work that runs a function of another file of the package, and functions of
//! another file that spawn work.
//!
//! `thread::spawn(move || worker::run(rx))` and `tokio::spawn(poller::poll_forever(state))`
//! put the loop the spawn runs in another file. The spawning file exports what it would report
//! if that function loops forever ([`PendingSpawn`]: the finding, and the call's module path
//! and name); every file exports its top-level functions that loop forever with no exit and
//! no shutdown signal ([`EndlessFn`]). The workspace phase resolves the call's module path to
//! a file of the package ([`crate::facts::modules::files_of_module_path`]) and looks for the
//! function there.
//!
//! The other way round, a test that calls `common::start_server()` before it sleeps started
//! work in another file: every file exports its top-level functions that spawn work and
//! return while it runs ([`SpawningFn`]), and the test's file what it would report if the
//! helper does ([`PendingSleep`]).

use crate::context::{ExportedFact, FileCx, PendingDiagnostic, WorkspaceCx};
use crate::source::{FileId, Span};

/// A top-level function of a file, or a function of an inherent `impl` block at the top of
/// it, that loops forever: no exit, no shutdown signal checked.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndlessFn {
    /// The type of the `impl` block (`Pump` for `impl Pump { fn run(…) }`).
    pub owner: Option<String>,
    pub name: String,
    /// The loop's keyword.
    pub keyword: Span,
}

/// A finding that stands if the function a spawn runs, named through a module path, loops
/// forever.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSpawn {
    /// The modules the call names, as written (`["worker"]` for `worker::run(…)`,
    /// `["crate", "a"]`), resolved through the file's `use` items for a plain `run(…)`.
    pub module: Vec<String>,
    /// The type the function belongs to (`Pump` for `Pump::run(rx)`), found in `module`.
    pub owner: Option<String>,
    pub name: String,
    /// The finding, without the label at the loop.
    pub finding: PendingDiagnostic,
}

/// A top-level function that starts work and returns while it runs: the handle is dropped,
/// detached, returned or stored (`pub fn start_server() -> Addr { thread::spawn(…); addr }`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpawningFn {
    pub name: String,
    /// The spawn call's callee.
    pub spawn: Span,
    /// Work on a thread of its own (`thread::spawn`, `spawn_blocking`), not a task.
    pub on_thread: bool,
}

/// A sleep in a test that bets on work a helper of another file started: the finding stands
/// if one of `helpers` spawns and returns while the work runs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSleep {
    /// The helper calls before the sleep, in order: the call, its modules and name.
    pub helpers: Vec<(Span, Vec<String>, String)>,
    /// The sleep as written, for the message.
    pub written: String,
    /// The test runs on a current-thread runtime and sleeps on its timer: tasks the helper
    /// spawned run before the timer fires, so only threads make it a bet.
    pub threads_only: bool,
    /// The finding, its message and the helper's labels to be completed.
    pub finding: PendingDiagnostic,
}

/// The module path and name a call's path stands for in a file: as written for
/// `worker::run`, through the file's top-level `use` items for a plain `run` (`use
/// crate::worker::run;`, `use worker::{run as go};`). `None` for a path with no module, or
/// that names a type (`Worker::run`).
pub fn call_target(cx: &FileCx<'_>, path: &syn::Path) -> Option<(Vec<String>, String)> {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (name, modules) = names.split_last()?;
    if modules.iter().any(|m| m.starts_with(|c: char| c.is_ascii_uppercase())) {
        return None;
    }
    if !modules.is_empty() {
        return Some((modules.to_vec(), name.clone()));
    }
    // A plain name: the `use` item that brings it in (`use crate::worker::{run as go};`), at
    // the top of the file, or in an inline module (`mod tests { use crate::testing::start; }`)
    // when it names its path from the crate root (other paths there are relative to that
    // module, which the file's module path does not give).
    let found = uses_of(&cx.ast.items, name, 0)?;
    let (original, modules) = found.split_last()?;
    (!modules.is_empty()).then(|| (modules.to_vec(), original.clone()))
}

/// The path of the `use` item that brings `name` in, among `items` and (from the crate root
/// only) in their inline modules.
fn uses_of(items: &[syn::Item], name: &str, depth: usize) -> Option<Vec<String>> {
    let here = items.iter().find_map(|item| match item {
        syn::Item::Use(u) => crate::facts::crate_items::use_names(&u.tree).into_iter().find(|n| n.name == name),
        _ => None,
    });
    if let Some(found) = here {
        return (depth == 0 || found.path.first().is_some_and(|p| p == "crate")).then_some(found.path);
    }
    if depth >= 4 {
        return None;
    }
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) => uses_of(&m.content.as_ref()?.1, name, depth + 1),
        _ => None,
    })
}

/// The module path, type and name a call of an associated function stands for in a file:
/// `Pump::run(rx)` with `use crate::pump::Pump;` (or `use pump::{Pump as P}` and `P::run`), and
/// `crate::pump::Pump::run(rx)` as written. `None` when the type is not brought in from
/// another module.
pub fn associated_call_target(cx: &FileCx<'_>, path: &syn::Path) -> Option<(Vec<String>, String, String)> {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (name, before) = names.split_last()?;
    let (ty, modules) = before.split_last()?;
    if !ty.starts_with(|c: char| c.is_ascii_uppercase()) || ty == "Self" {
        return None;
    }
    if modules.iter().any(|m| m.starts_with(|c: char| c.is_ascii_uppercase())) {
        return None;
    }
    if !modules.is_empty() {
        return Some((modules.to_vec(), ty.clone(), name.clone()));
    }
    let found = uses_of(&cx.ast.items, ty, 0)?;
    let (original, modules) = found.split_last()?;
    (!modules.is_empty()).then(|| (modules.to_vec(), original.clone(), name.clone()))
}

/// Exports the file's endless top-level functions and functions of its inherent `impl` blocks,
/// once per file.
pub fn export_endless(cx: &FileCx<'_>, loops_forever: &dyn Fn(&syn::Block) -> Option<Span>) {
    let export = |owner: Option<String>, name: &syn::Ident, block: &syn::Block| {
        if let Some(keyword) = loops_forever(block) {
            cx.export(ExportedFact::EndlessFn(Box::new(EndlessFn { owner, name: name.to_string(), keyword })));
        }
    };
    for item in &cx.ast.items {
        match item {
            syn::Item::Fn(f) => export(None, &f.sig.ident, &f.block),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(ty) = &*i.self_ty else { continue };
                let Some(owner) = ty.path.segments.last().map(|s| s.ident.to_string()) else { continue };
                for f in i.items.iter().filter_map(|it| match it {
                    syn::ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    export(Some(owner.clone()), &f.sig.ident, &f.block);
                }
            }
            _ => {}
        }
    }
}

/// The pending spawns of the run whose function loops forever in the file their module path
/// names, with that loop's keyword.
pub fn resolved<'w>(ws: &'w WorkspaceCx<'_>) -> Vec<(&'w PendingSpawn, Span)> {
    let mut out = Vec::new();
    for (file, fact) in ws.all_facts() {
        let ExportedFact::PendingSpawn(p) = fact else { continue };
        let files = crate::facts::modules::files_of_module_path(ws, file, &p.module);
        // The module path must name one file, and that file one endless function of that name.
        let [target] = files.as_slice() else { continue };
        if let Some(keyword) = endless_in(ws, *target, p.owner.as_deref(), &p.name) {
            out.push((&**p, keyword));
        }
    }
    out
}

/// The pending sleeps of the run with the first helper call that resolves to a function of
/// another file that spawns work and returns while it runs, and that function's summary.
pub fn resolved_sleeps<'w>(ws: &'w WorkspaceCx<'_>) -> Vec<(&'w PendingSleep, Span, &'w SpawningFn)> {
    let mut out = Vec::new();
    for (file, fact) in ws.all_facts() {
        let ExportedFact::PendingSleep(p) = fact else { continue };
        let found = p.helpers.iter().find_map(|(call, module, name)| {
            let files = crate::facts::modules::files_of_module_path(ws, file, module);
            let [target] = files.as_slice() else { return None };
            let spawning = spawning_in(ws, *target, name)?;
            (spawning.on_thread || !p.threads_only).then_some((*call, spawning))
        });
        if let Some((call, spawning)) = found {
            out.push((&**p, call, spawning));
        }
    }
    out
}

fn spawning_in<'w>(ws: &'w WorkspaceCx<'_>, file: FileId, name: &str) -> Option<&'w SpawningFn> {
    let summary = ws.files.iter().find(|f| f.file == file)?;
    let mut named = summary.facts.iter().filter_map(|fact| match fact {
        ExportedFact::SpawningFn(s) if s.name == name => Some(&**s),
        _ => None,
    });
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

fn endless_in(ws: &WorkspaceCx<'_>, file: FileId, owner: Option<&str>, name: &str) -> Option<Span> {
    let summary = ws.files.iter().find(|f| f.file == file)?;
    summary.facts.iter().find_map(|fact| match fact {
        ExportedFact::EndlessFn(e) if e.name == name && e.owner.as_deref() == owner => Some(e.keyword),
        _ => None,
    })
}
