//! Which items are reachable from outside their crate, as far as syntax shows.
//!
//! A file exports its module declarations (`pub mod a;`, `mod b;`) and its `pub use` items;
//! in the workspace phase, an item is public when every module on the way from the crate root
//! (`src/lib.rs`, else `src/main.rs`) to it is declared `pub`, or when a `pub use` in a public
//! module of its package re-exports it, its module (`pub use a::b::*`), or a module on its way
//! (`pub use self::imp as platform`). A `#[doc(hidden)]` module is not public; a
//! `#[path = "…"]` module is found by its file. What cannot be followed (a declaration inside
//! a macro that does not parse as items, a file outside `src/`) counts as public: the lints
//! that ask stay as strict as their rule, not quieter. A lint using these facts names module
//! declarations and `pub use` items in its `prefilter::support_condition`, so every file that
//! has them is analysed when the lint may fire in its package.

use crate::context::{ExportedFact, FileCx, WorkspaceCx};
use crate::source::FileId;
use std::path::Component;
use syn::ext::IdentExt;

/// Exports the file's top-level `mod` declarations and its `pub use` items.
/// A cheap walk: items of the file and of its inline modules only.
pub fn export_module_facts(cx: &FileCx<'_>) {
    // Two lints ask for them (`undocumented_shared_type`, `send_sync_impl_unbounded`): once.
    if cx.module_facts_exported.replace(true) {
        return;
    }
    for item in &cx.ast.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let public = matches!(m.vis, syn::Visibility::Public(_)) && !is_doc_hidden(&m.attrs);
                cx.export(ExportedFact::ModuleDecl {
                    name: m.ident.unraw().to_string(),
                    public,
                    file: path_attr(&m.attrs),
                });
            }
            // `cfg_if! { if #[cfg(unix)] { mod unix; } else { … } }`: declarations in a macro
            // that does not parse as items, read from its tokens.
            syn::Item::Macro(m) => macro_module_decls(cx, m.mac.tokens.clone(), 0),
            _ => {}
        }
    }
    let mut scope = Vec::new();
    export_pub_uses(cx, &cx.ast.items, &mut scope);
}

/// `[pub] mod name;` sequences in macro tokens (`pub(crate)` and attributes are not public).
fn macro_module_decls(cx: &FileCx<'_>, tokens: proc_macro2::TokenStream, depth: usize) {
    use proc_macro2::TokenTree;
    if depth > 8 {
        return;
    }
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => macro_module_decls(cx, g.stream(), depth + 1),
            TokenTree::Ident(kw) if kw == "mod" => {
                let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(semi))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                else {
                    continue;
                };
                if semi.as_char() != ';' {
                    continue;
                }
                let public = i > 0 && matches!(&tokens[i - 1], TokenTree::Ident(p) if p == "pub");
                let hidden = tokens[..i].iter().rev().take(4).any(|t| {
                    matches!(t, TokenTree::Group(g) if g.stream().to_string().replace(' ', "").starts_with("doc(hidden"))
                });
                cx.export(ExportedFact::ModuleDecl {
                    name: name.unraw().to_string(),
                    public: public && !hidden,
                    file: None,
                });
            }
            _ => {}
        }
    }
}

/// A module or item declared `pub` and not `#[doc(hidden)]`.
pub fn is_public_decl(vis: &syn::Visibility, attrs: &[syn::Attribute]) -> bool {
    matches!(vis, syn::Visibility::Public(_)) && !is_doc_hidden(attrs)
}

/// `#[doc(hidden)]`: not part of the documented API.
pub fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().split(|c: char| !c.is_alphanumeric()).any(|w| w == "hidden"))
    })
}

/// The module name a `#[path = "…"]` attribute's file stands for: `rt` for `rt/mod.rs`,
/// `use_file` for `use_file.rs`.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                let value = s.value();
                let trimmed = value.trim_end_matches(".rs").trim_end_matches("/mod");
                trimmed.rsplit('/').next().map(str::to_string)
            }
            _ => None,
        },
        _ => None,
    })
}

fn export_pub_uses(cx: &FileCx<'_>, items: &[syn::Item], scope: &mut Vec<(String, bool)>) {
    if scope.len() > 16 {
        return;
    }
    for item in items {
        match item {
            // A `#[doc(hidden)]` re-export is not part of the documented API.
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) && !is_doc_hidden(&u.attrs) => {
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    // `pub use ::other_crate::X`: outside this crate.
                    continue;
                }
                use_paths(cx, &u.tree, &mut prefix, scope);
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    scope.push((m.ident.unraw().to_string(), is_public_decl(&m.vis, &m.attrs)));
                    export_pub_uses(cx, inner, scope);
                    scope.pop();
                }
            }
            _ => {}
        }
    }
}

/// One fact per name a `pub use` tree re-exports: `a::B as C` gives `a::B`, a glob `a::b::*`.
fn use_paths(cx: &FileCx<'_>, tree: &syn::UseTree, prefix: &mut Vec<String>, scope: &[(String, bool)]) {
    let emit = |last: String, prefix: &[String]| {
        let mut path = prefix.to_vec();
        path.push(last);
        cx.export(ExportedFact::PublicUse { scope: scope.to_vec(), path });
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.unraw().to_string());
            use_paths(cx, &p.tree, prefix, scope);
            prefix.pop();
        }
        syn::UseTree::Name(n) => emit(n.ident.unraw().to_string(), prefix),
        syn::UseTree::Rename(r) => emit(r.ident.unraw().to_string(), prefix),
        syn::UseTree::Glob(_) => emit("*".to_string(), prefix),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(cx, t, prefix, scope)),
    }
}

/// The modules from the crate root to a file under `src/` (`src/a/b.rs` and `src/a/b/mod.rs`
/// give `["a", "b"]`; `src/lib.rs` gives `[]`), or `None` for a file outside `src/` or under
/// `src/bin/`.
pub fn module_path(ws: &WorkspaceCx<'_>, file: FileId, package: usize) -> Option<Vec<String>> {
    let root = &ws.packages.get(package)?.root;
    let path = &ws.sources.get(file).path;
    let names = |p: &std::path::Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let parts: Vec<String> = match path.strip_prefix(root) {
        Ok(rel) => names(rel),
        // The file's path as shown may be relative while the package root is absolute: find
        // the package folder's name followed by `src` in it, or, run from the package folder
        // itself, the path starts with `src`.
        Err(_) => {
            let root_name = root.file_name()?.to_string_lossy().into_owned();
            let all = names(path);
            match (0..all.len().saturating_sub(1)).rev().find(|&i| all[i] == root_name && all[i + 1] == "src") {
                Some(at) => all[at + 1..].to_vec(),
                None if path.is_relative() && all.first().is_some_and(|c| c == "src") => all,
                None => return None,
            }
        }
    };
    let (first, rest) = parts.split_first()?;
    if first != "src" || rest.first().is_some_and(|s| s == "bin") {
        return None;
    }
    let mut modules: Vec<String> = rest.to_vec();
    let last = modules.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if !(modules.is_empty() && (stem == "lib" || stem == "main")) && stem != "mod" {
        modules.push(stem.to_string());
    }
    Some(modules)
}

/// A file of the package's examples, benches, tests or binaries (`examples/`, `benches/`,
/// `tests/`, `src/bin/`): nothing in it is the library's API.
fn outside_library(ws: &WorkspaceCx<'_>, file: FileId, package: usize) -> bool {
    let Some(root) = ws.packages.get(package).map(|p| &p.root).filter(|r| !r.as_os_str().is_empty()) else {
        return false;
    };
    let path = &ws.sources.get(file).path;
    let parts: Vec<String> = match path.strip_prefix(root) {
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect(),
        Err(_) => {
            // A relative shown path: find the package folder's name in it.
            let Some(root_name) = root.file_name().map(|n| n.to_string_lossy().into_owned()) else { return false };
            let all: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            match all.iter().rposition(|c| *c == root_name) {
                Some(at) => all[at + 1..].to_vec(),
                // Run from the package folder itself: the path starts there.
                None if path.is_relative() => all,
                None => return false,
            }
        }
    };
    match parts.first().map(String::as_str) {
        Some("examples" | "benches" | "tests") => parts.len() > 1,
        Some("src") => parts.get(1).is_some_and(|p| p == "bin") && parts.len() > 2,
        _ => false,
    }
}

/// The analysed files of one package with their module paths.
struct Package<'w, 'a> {
    ws: &'w WorkspaceCx<'a>,
    files: Vec<(FileId, Vec<String>)>,
}

impl<'w, 'a> Package<'w, 'a> {
    fn new(ws: &'w WorkspaceCx<'a>, package: usize) -> Self {
        let files = ws
            .files
            .iter()
            .filter(|f| f.package == package)
            .filter_map(|f| Some((f.file, module_path(ws, f.file, package)?)))
            .collect();
        Package { ws, files }
    }

    /// The file of a module (`[]`: the crate root, the library's when there are two).
    fn file_of(&self, modules: &[String]) -> Option<FileId> {
        let mut candidates = self.files.iter().filter(|(_, m)| m.as_slice() == modules).map(|(id, _)| *id);
        if !modules.is_empty() {
            return candidates.next();
        }
        let roots: Vec<FileId> = candidates.collect();
        roots
            .iter()
            .copied()
            .find(|id| self.ws.sources.get(*id).path.file_name().is_some_and(|n| n == "lib.rs"))
            .or_else(|| roots.first().copied())
    }

    fn facts(&self, file: FileId) -> impl Iterator<Item = &'w ExportedFact> {
        self.ws.files.iter().filter(move |f| f.file == file).flat_map(|f| f.facts.iter())
    }

    /// For each module of `modules`, whether its declaration in its parent makes it public:
    /// `Some(false)` for a private one (or one whose parent file was not analysed), `None`
    /// when the declaration cannot be found (counted as public).
    fn links(&self, modules: &[String]) -> Vec<Option<bool>> {
        (0..modules.len())
            .map(|i| {
                let Some(parent) = self.file_of(&modules[..i]) else { return Some(false) };
                self.facts(parent).find_map(|fact| match fact {
                    ExportedFact::ModuleDecl { name, public, file } => {
                        (file.as_ref().unwrap_or(name) == &modules[i]).then_some(*public)
                    }
                    _ => None,
                })
            })
            .collect()
    }

    fn is_public_module(&self, modules: &[String]) -> bool {
        !self.links(modules).contains(&Some(false))
    }
}

/// The files that can hold the module `path` names when written in `file` (`worker` for
/// `worker::run(…)`, `crate::a::b`, `super::x`): relative to the file's module, or from the
/// crate root. Empty for a file outside `src/` or a path naming another crate.
pub fn files_of_module_path(ws: &WorkspaceCx<'_>, file: FileId, path: &[String]) -> Vec<FileId> {
    let Some(summary) = ws.files.iter().find(|f| f.file == file) else { return Vec::new() };
    let Some(base) = module_path(ws, file, summary.package) else {
        return files_of_test_module_path(ws, file, summary.package, path);
    };
    let package = Package::new(ws, summary.package);
    let mut out: Vec<FileId> = Vec::new();
    for modules in resolve_use(&base, path) {
        if let Some(f) = package.file_of(&modules) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// [`files_of_module_path`] for a path written in the root of an integration test crate
/// (`tests/it.rs`, `tests/it/main.rs`): each test crate declares its shared helpers itself
/// (`mod common;`), found by the layout cargo gives them (`tests/common.rs` or
/// `tests/common/mod.rs`, `tests/it/util.rs` for `tests/it/main.rs`). Empty elsewhere.
fn files_of_test_module_path(ws: &WorkspaceCx<'_>, file: FileId, package: usize, path: &[String]) -> Vec<FileId> {
    let shown = &ws.sources.get(file).path;
    let (Some(dir), Some(name)) = (shown.parent(), shown.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    let is_tests = |d: &std::path::Path| d.file_name().is_some_and(|n| n == "tests");
    // `tests/it.rs`, or `tests/it/main.rs`: the folder its modules are in.
    let is_root = (is_tests(dir) && name != "mod.rs") || (name == "main.rs" && dir.parent().is_some_and(is_tests));
    if !is_root {
        return Vec::new();
    }
    let root_dir = dir;
    let modules = match path.first().map(String::as_str) {
        Some("crate" | "self") => &path[1..],
        Some("super") | None => return Vec::new(),
        Some(_) => path,
    };
    let Some((last, parents)) = modules.split_last() else { return Vec::new() };
    let folder = parents.iter().fold(root_dir.to_path_buf(), |d, m| d.join(m));
    let candidates = [folder.join(format!("{last}.rs")), folder.join(last).join("mod.rs")];
    ws.files
        .iter()
        .filter(|f| {
            f.package == package && f.file != file && candidates.iter().any(|c| *c == ws.sources.get(f.file).path)
        })
        .map(|f| f.file)
        .collect()
}

/// Resolves a `use` path written in module `base` to a path from the crate root; paths naming
/// other crates resolve to `None` (with no module of that name on the way, they cannot match).
pub fn resolve_use(base: &[String], path: &[String]) -> Vec<Vec<String>> {
    let Some(first) = path.first() else { return Vec::new() };
    match first.as_str() {
        "crate" => vec![path[1..].to_vec()],
        "self" => vec![[base, &path[1..]].concat()],
        "super" => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            if supers > base.len() {
                return Vec::new();
            }
            vec![[&base[..base.len() - supers], &path[supers..]].concat()]
        }
        // Relative to the module (2018), or from the crate root (2015).
        _ => vec![[base, path].concat(), path.to_vec()],
    }
}

/// Whether the item `name` of `file`, inside the file's inline modules `inline` (name,
/// declared `pub`), can be named from outside its crate. See the module docs.
pub fn is_public(ws: &WorkspaceCx<'_>, file: FileId, inline: &[(String, bool)], name: &str) -> bool {
    let Some(summary) = ws.files.iter().find(|f| f.file == file) else { return true };
    if outside_library(ws, file, summary.package) {
        return false;
    }
    let Some(file_modules) = module_path(ws, file, summary.package) else { return true };
    let package = Package::new(ws, summary.package);
    let mut modules = file_modules.clone();
    modules.extend(inline.iter().map(|(n, _)| n.clone()));
    let mut links = package.links(&file_modules);
    links.extend(inline.iter().map(|(_, public)| Some(*public)));
    let public_from = |k: usize| !links[k.min(links.len())..].contains(&Some(false));
    if public_from(0) {
        return true;
    }
    // Modules declared under another name than their file's (`#[path = "fallback.rs"] mod
    // imp;`): a `pub use imp::X` names the file's module.
    let renamed: Vec<(Vec<String>, Vec<String>)> = package
        .files
        .iter()
        .flat_map(|(f, m)| {
            package.facts(*f).filter_map(move |fact| match fact {
                ExportedFact::ModuleDecl { name, file: Some(file), .. } if file != name => Some((
                    [m.as_slice(), std::slice::from_ref(name)].concat(),
                    [m.as_slice(), std::slice::from_ref(file)].concat(),
                )),
                _ => None,
            })
        })
        .collect();
    // Several declarations may share the name under `cfg`s (`imp` for `unix.rs`, `windows.rs`,
    // `fallback.rs`): each is a module the path may name.
    let by_file = |target: Vec<String>| -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = renamed
            .iter()
            .filter(|(declared, _)| target.starts_with(declared))
            .map(|(declared, file)| file.iter().chain(&target[declared.len()..]).cloned().collect())
            .collect();
        out.push(target);
        out
    };
    // A `pub use` in a public module that re-exports the item, its module, or a module on its way.
    for (f, f_modules) in &package.files {
        for fact in package.facts(*f) {
            let ExportedFact::PublicUse { scope, path } = fact else { continue };
            if scope.iter().any(|(_, public)| !public) || !package.is_public_module(f_modules) {
                continue;
            }
            let base: Vec<String> = f_modules.iter().cloned().chain(scope.iter().map(|(n, _)| n.clone())).collect();
            for target in resolve_use(&base, path).into_iter().flat_map(by_file) {
                let Some((last, target_modules)) = target.split_last() else { continue };
                if target_modules == modules.as_slice() && (last == name || last == "*") {
                    return true;
                }
                // A re-exported module on the way: the rest of the way must be public.
                let on_the_way = last != "*" && target.len() <= modules.len() && target == modules[..target.len()];
                if on_the_way && public_from(target.len()) {
                    return true;
                }
            }
        }
    }
    false
}
