//! Name resolution from `use` items, per scope, so that a call is matched by its real path
//! (`use tokio::spawn as go; go(f)` is `tokio::spawn`) and never by its last segment alone.
//!
//! What the resolver knows: `use` trees (groups, renames, `self`, globs, `::`-prefixed),
//! `extern crate … as …`, and items defined in the file (a local `fn spawn` shadows imports).
//! Module scopes do not see their parent's names, except through `use super::*`.

use std::collections::HashMap;
use syn::{Item, UseTree};

/// What a name in scope stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Binding {
    /// Imported: the full path it stands for, e.g. `["tokio", "spawn"]`.
    Import(Vec<String>),
    /// Defined in this file (fn, struct, mod, …): not an external API.
    Local,
}

#[derive(Debug, Default)]
struct Scope {
    names: HashMap<String, Binding>,
    globs: Vec<Vec<String>>,
    /// A module scope ends the lookup chain (unless it globs `super`).
    is_module: bool,
    globs_super: bool,
}

/// A stack of scopes, pushed and popped by the walker as it enters modules and blocks.
#[derive(Debug, Default)]
pub struct Resolver {
    scopes: Vec<Scope>,
}

/// Path prefixes whose glob import we trust to resolve an otherwise unknown name.
const GLOB_MODULES: &[&str] = &[
    "tokio",
    "tokio::task",
    "tokio::time",
    "tokio::sync",
    "std::thread",
    "std::sync",
    "std::sync::mpsc",
    "async_std::task",
    "smol",
    "rayon",
    "crossbeam",
    "parking_lot",
];

impl Resolver {
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// Enters a module (the file root, or `mod m { … }`) with the given items.
    pub fn push_module(&mut self, items: &[Item]) {
        let mut scope = Scope { is_module: true, ..Scope::default() };
        collect_items(&mut scope, items.iter());
        self.scopes.push(scope);
    }

    /// Enters a block with the items declared among its statements.
    pub fn push_block<'a>(&mut self, items: impl Iterator<Item = &'a Item>) {
        let mut scope = Scope::default();
        collect_items(&mut scope, items);
        self.scopes.push(scope);
    }

    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        let mut i = self.scopes.len();
        let mut crossed_module = false;
        while i > 0 {
            i -= 1;
            let scope = &self.scopes[i];
            if crossed_module && !scope.is_module {
                continue;
            }
            if let Some(b) = scope.names.get(name) {
                return Some(b);
            }
            if scope.is_module {
                if !scope.globs_super {
                    return None;
                }
                crossed_module = true;
            }
        }
        None
    }

    fn glob_lookup(&self, name: &str) -> Option<Vec<String>> {
        for scope in self.scopes.iter().rev() {
            for glob in &scope.globs {
                let joined = glob.join("::");
                if GLOB_MODULES.contains(&joined.as_str()) {
                    let mut full = glob.clone();
                    full.push(name.to_string());
                    return Some(full);
                }
            }
            if scope.is_module && !scope.globs_super {
                break;
            }
        }
        None
    }

    /// Resolves a path as written to the full path it names, e.g. `thread::spawn` →
    /// `std::thread::spawn`. `None` for paths that name something defined in this crate.
    pub fn resolve(&self, path: &syn::Path) -> Option<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve_segments(&segments, path.leading_colon.is_some())
    }

    /// The path a call names with imports followed, crate-local ones included (`use
    /// crate::rt::spawn_logged; spawn_logged(…)` is `["rt", "spawn_logged"]`), without a
    /// leading `crate`, `self` or `super`. For matching configured paths by their tail.
    pub fn written_target(&self, path: &syn::Path) -> Vec<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let mut full = match segments.first().and_then(|first| self.lookup(first)) {
            Some(Binding::Import(target)) if path.leading_colon.is_none() => {
                let mut full = target.clone();
                full.extend(segments[1..].iter().cloned());
                full
            }
            _ => segments,
        };
        let keep = full.iter().take_while(|s| matches!(s.as_str(), "crate" | "self" | "super")).count();
        full.drain(..keep);
        full
    }

    pub fn resolve_segments(&self, segments: &[String], leading_colon: bool) -> Option<String> {
        let first = segments.first()?;
        if leading_colon {
            return Some(canonical(&segments.join("::")));
        }
        match first.as_str() {
            "crate" | "self" | "super" | "Self" => return None,
            _ => {}
        }
        let mut full = match self.lookup(first) {
            Some(Binding::Import(target)) => target.clone(),
            Some(Binding::Local) => return None,
            None if segments.len() == 1 => match self.glob_lookup(first) {
                Some(full) => full,
                // An unknown bare name: a prelude item (`drop`, `Some`, `Box`) or a local.
                None => return Some(first.clone()),
            },
            None => vec![first.clone()],
        };
        if full.first().is_some_and(|s| s == "crate" || s == "self" || s == "super") {
            return None;
        }
        full.extend(segments[1..].iter().cloned());
        Some(canonical(&full.join("::")))
    }
}

fn collect_items<'a>(scope: &mut Scope, items: impl Iterator<Item = &'a Item>) {
    for item in items {
        match item {
            Item::Use(u) => {
                collect_use(scope, &u.tree, Vec::new());
            }
            Item::ExternCrate(e) => {
                let target = e.ident.to_string();
                let name = e.rename.as_ref().map(|(_, id)| id.to_string()).unwrap_or_else(|| target.clone());
                if name != "_" && target != "self" {
                    scope.names.insert(name, Binding::Import(vec![target]));
                }
            }
            other => {
                if let Some(ident) = item_ident(other) {
                    scope.names.entry(ident).or_insert(Binding::Local);
                }
            }
        }
    }
}

fn item_ident(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(f) => &f.sig.ident,
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Mod(m) => &m.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::Trait(t) => &t.ident,
        Item::Type(t) => &t.ident,
        Item::Union(u) => &u.ident,
        Item::Macro(m) => m.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

fn collect_use(scope: &mut Scope, tree: &UseTree, mut prefix: Vec<String>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(scope, &p.tree, prefix);
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    scope.names.insert(last, Binding::Import(prefix));
                }
            } else {
                prefix.push(name.clone());
                scope.names.insert(name, Binding::Import(prefix));
            }
        }
        UseTree::Rename(r) => {
            let alias = r.rename.to_string();
            if alias == "_" {
                return;
            }
            let name = r.ident.to_string();
            if name != "self" {
                prefix.push(name);
            }
            scope.names.insert(alias, Binding::Import(prefix));
        }
        UseTree::Glob(_) => {
            if prefix.len() == 1 && prefix[0] == "super" {
                scope.globs_super = true;
            } else {
                scope.globs.push(prefix);
            }
        }
        UseTree::Group(g) => {
            for t in &g.items {
                collect_use(scope, t, prefix.clone());
            }
        }
    }
}

/// Maps re-exports to one spelling, so lints compare against a single path per API.
pub fn canonical(path: &str) -> String {
    const ALIASES: &[(&str, &str)] = &[
        ("tokio::task::spawn", "tokio::spawn"),
        ("core::", "std::"),
        ("alloc::sync::Arc", "std::sync::Arc"),
        ("async_std::task::spawn", "async_std::task::spawn"),
        ("smol::Executor", "async_executor::Executor"),
        ("smol::LocalExecutor", "async_executor::LocalExecutor"),
        ("smol::Task", "async_task::Task"),
        ("crossbeam::thread::scope", "crossbeam::scope"),
        ("crossbeam::channel::", "crossbeam_channel::"),
        ("crossbeam_utils::thread::scope", "crossbeam::scope"),
        ("futures_executor::", "futures::executor::"),
        ("futures_util::", "futures::"),
        ("tokio_util::task::task_tracker::TaskTracker", "tokio_util::task::TaskTracker"),
        ("tokio::task::join_set::JoinSet", "tokio::task::JoinSet"),
        ("tokio::time::delay_for", "tokio::time::sleep"),
        ("async_io::Timer", "smol::Timer"),
    ];
    for (from, to) in ALIASES {
        if from.ends_with("::") {
            if let Some(rest) = path.strip_prefix(from) {
                return format!("{to}{rest}");
            }
        } else if path == *from {
            return (*to).to_string();
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(src: &str, path: &str) -> Option<String> {
        let file: syn::File = syn::parse_str(src).unwrap();
        let mut r = Resolver::new();
        r.push_module(&file.items);
        let p: syn::Path = syn::parse_str(path).unwrap();
        r.resolve(&p)
    }

    #[test]
    fn renames_groups_and_self() {
        let src = "use tokio::spawn as go; use std::{thread::{self, sleep}, sync::mpsc};";
        assert_eq!(resolve_in(src, "go").as_deref(), Some("tokio::spawn"));
        assert_eq!(resolve_in(src, "thread::spawn").as_deref(), Some("std::thread::spawn"));
        assert_eq!(resolve_in(src, "sleep").as_deref(), Some("std::thread::sleep"));
        assert_eq!(resolve_in(src, "mpsc::channel").as_deref(), Some("std::sync::mpsc::channel"));
        assert_eq!(resolve_in(src, "tokio::task::spawn").as_deref(), Some("tokio::spawn"));
    }

    #[test]
    fn local_items_shadow_and_bare_names_stay_bare() {
        assert_eq!(resolve_in("fn spawn() {}", "spawn"), None);
        assert_eq!(resolve_in("", "spawn").as_deref(), Some("spawn"));
        assert_eq!(resolve_in("use crate::rt::spawn;", "spawn"), None);
        assert_eq!(resolve_in("use tokio::task::*;", "spawn").as_deref(), Some("tokio::spawn"));
        assert_eq!(resolve_in("extern crate tokio as tk;", "tk::spawn").as_deref(), Some("tokio::spawn"));
    }

    #[test]
    fn modules_do_not_inherit_without_super_glob() {
        let file: syn::File = syn::parse_str("use tokio::spawn;").unwrap();
        let mut r = Resolver::new();
        r.push_module(&file.items);
        r.push_module(&[]);
        let p: syn::Path = syn::parse_str("spawn").unwrap();
        assert_eq!(r.resolve(&p).as_deref(), Some("spawn"));
        r.pop();
        let inner: syn::File = syn::parse_str("use super::*;").unwrap();
        r.push_module(&inner.items);
        assert_eq!(r.resolve(&p).as_deref(), Some("tokio::spawn"));
    }
}
