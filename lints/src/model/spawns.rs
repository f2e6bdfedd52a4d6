//! Spawned work that runs a function of another file of the package.
//!
//! `thread::spawn(move || worker::run(rx))` and `tokio::spawn(poller::poll_forever(state))`
//! put the loop the spawn runs in another file. The spawning file exports what it would report
//! if that function loops forever ([`PendingSpawn`]: the finding, and the call's module path
//! and name); every file exports its top-level functions that loop forever with no exit and
//! no shutdown signal ([`EndlessFn`]). The workspace phase resolves the call's module path to
//! a file of the package ([`crate::facts::modules::files_of_module_path`]) and looks for the
//! function there.

use crate::context::{ExportedFact, FileCx, PendingDiagnostic, WorkspaceCx};
use crate::source::{FileId, Span};

/// A top-level function of a file that loops forever: no exit, no shutdown signal checked.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndlessFn {
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
    pub name: String,
    /// The finding, without the label at the loop.
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
    // A plain name: the `use` item that brings it in (`use crate::worker::{run as go};`).
    let found = cx.ast.items.iter().find_map(|item| match item {
        syn::Item::Use(u) => crate::facts::crate_items::use_names(&u.tree).into_iter().find(|n| n.name == *name),
        _ => None,
    })?;
    let (original, modules) = found.path.split_last()?;
    (!modules.is_empty()).then(|| (modules.to_vec(), original.clone()))
}

/// Exports the file's endless top-level functions, once per file.
pub fn export_endless(cx: &FileCx<'_>, loops_forever: &dyn Fn(&syn::ItemFn) -> Option<Span>) {
    for item in &cx.ast.items {
        let syn::Item::Fn(f) = item else { continue };
        if let Some(keyword) = loops_forever(f) {
            cx.export(ExportedFact::EndlessFn(Box::new(EndlessFn { name: f.sig.ident.to_string(), keyword })));
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
        if let Some(keyword) = endless_in(ws, *target, &p.name) {
            out.push((&**p, keyword));
        }
    }
    out
}

fn endless_in(ws: &WorkspaceCx<'_>, file: FileId, name: &str) -> Option<Span> {
    let summary = ws.files.iter().find(|f| f.file == file)?;
    summary.facts.iter().find_map(|fact| match fact {
        ExportedFact::EndlessFn(e) if e.name == name => Some(e.keyword),
        _ => None,
    })
}
