//! Whether the compiler reaches a file of a package from its crate root.
//!
//! A `.rs` file under `src/` is compiled only when a `mod` declaration reaches it from the
//! crate root (`src/lib.rs`, `src/main.rs`) module by module: a stale `src/coroutine/old.rs`
//! next to a `lib.rs` without `mod coroutine` is dead text. Each file a lint runs on exports
//! a [`ModuleTree`]: the names it declares modules under (`mod a;` anywhere in it, macro
//! arguments and function bodies included; inline `mod a { … }`), the identifiers its
//! item-level macro calls pass (a macro may declare a module named by one), whether a `#[path]`
//! attribute moves some module's file, and the files it `include!`s. In the workspace phase,
//! [`PackageModules::compiled`] answers "certainly not compiled" only when every file that could declare the
//! file's module (the crate roots and the files of the modules on the way, and the files
//! they `include!`, which declare in their place) was read and declares modules, none of them
//! under that name; whatever it cannot follow (a `#[path]` anywhere in the package, an
//! `include!` of a file of that name, a manifest that roots a target elsewhere than cargo's
//! layout, an unread or unknown root, a file outside `src/` or under `src/bin/`) counts as
//! compiled.

use crate::context::{ExportedFact, WorkspaceCx};
use crate::source::FileId;
use proc_macro2::{TokenStream, TokenTree};
use std::collections::HashSet;
use syn::ext::IdentExt;

/// What one file declares about the modules below it (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModuleTree {
    /// Names of `mod NAME;` declarations anywhere in the file.
    pub declared: Vec<String>,
    /// Names of inline modules (`mod NAME { … }`), at any depth of items.
    pub inline: Vec<String>,
    /// Identifiers passed to item-level macro calls; `None` when there were too many to keep
    /// (then any name may be declared).
    pub macro_idents: Option<Vec<String>>,
    /// A `#[path = "…"]` attribute (also inside `cfg_attr`) somewhere in the file.
    pub path_attr: bool,
    /// The file names (last path component) of the file's `include!`s.
    pub includes: Vec<String>,
}

/// How many macro identifiers a file keeps before it gives up on them.
const MAX_MACRO_IDENTS: usize = 4096;

/// The file's [`ModuleTree`], from its tree and its `text`. The items are walked (module
/// declarations at any depth of inline modules, their attributes, item-level macro calls);
/// the whole file is turned back into tokens and scanned only when its text holds a module
/// declaration, an `include!` or a `path = "…"` the walk did not meet (one in a function
/// body, say), which few files do: printing every file's tokens cost a tenth of a run.
pub fn of_file(file: &syn::File, text: &str) -> ModuleTree {
    let mut tree = ModuleTree { macro_idents: Some(Vec::new()), ..ModuleTree::default() };
    items(&file.items, &mut tree, 0);
    let unmet = mod_declarations(text) > tree.declared.len()
        || includes(text) > tree.includes.len()
        || (!tree.path_attr && path_assignments(text));
    if unmet {
        tree.declared.clear();
        tree.includes.clear();
        scan_tokens(quote::ToTokens::to_token_stream(file), &mut tree, 0);
    }
    if let Some(ids) = &mut tree.macro_idents {
        ids.sort();
        ids.dedup();
    }
    tree.declared.sort();
    tree.declared.dedup();
    tree
}

/// Module declarations, inline modules, `#[path]` attributes and item-level macro calls (the
/// declarations, paths and `include!`s in their input too), in inline modules as well.
fn items(items: &[syn::Item], tree: &mut ModuleTree, depth: usize) {
    if depth > 16 {
        return;
    }
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if m.attrs.iter().any(|a| names_path_attr(quote::ToTokens::to_token_stream(&a.meta))) {
                    tree.path_attr = true;
                }
                match &m.content {
                    Some((_, inner)) => {
                        tree.inline.push(m.ident.unraw().to_string());
                        self::items(inner, tree, depth + 1);
                    }
                    None => tree.declared.push(m.ident.unraw().to_string()),
                }
            }
            syn::Item::Macro(m) if m.ident.is_none() && !m.mac.path.is_ident("macro_rules") => {
                if m.mac.path.is_ident("include") {
                    literals(m.mac.tokens.clone(), &mut tree.includes, 0);
                }
                scan_tokens(m.mac.tokens.clone(), tree, 0);
                let mut ids = tree.macro_idents.take();
                if let Some(list) = &mut ids {
                    idents(m.mac.tokens.clone(), list, 0);
                    if list.len() > MAX_MACRO_IDENTS {
                        ids = None;
                    }
                }
                tree.macro_idents = ids;
            }
            _ => {}
        }
    }
}

/// Places in `text` that look like a module declaration, `mod NAME;` (in comments and strings
/// too: an overcount only costs the full scan).
fn mod_declarations(text: &str) -> usize {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    memchr::memmem::find_iter(b, b"mod")
        .filter(|&at| {
            if at > 0 && ident(b[at - 1]) {
                return false;
            }
            let mut i = at + 3;
            let spaces = i;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i == spaces {
                return false;
            }
            let name = i;
            while i < b.len() && (ident(b[i]) || b[i] == b'#') {
                i += 1;
            }
            if i == name {
                return false;
            }
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            b.get(i) == Some(&b';')
        })
        .count()
}

/// Places in `text` that look like an `include!` (`include_str!` and `include_bytes!` are not).
fn includes(text: &str) -> usize {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b"include")
        .filter(|&at| {
            let rest = &b[at + 7..];
            let skip = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
            rest.get(skip) == Some(&b'!')
        })
        .count()
}

/// Whether `text` has `path = "…"` somewhere (the form of a `#[path]` attribute).
fn path_assignments(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b"path").any(|at| {
        let rest = &b[at + 4..];
        let skip = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        let rest = &rest[skip..];
        if rest.first() != Some(&b'=') || rest.get(1) == Some(&b'=') {
            return false;
        }
        rest[1..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'"')
    })
}

fn idents(tokens: TokenStream, out: &mut Vec<String>, depth: usize) {
    if depth > 32 || out.len() > MAX_MACRO_IDENTS {
        return;
    }
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) => out.push(i.to_string().trim_start_matches("r#").to_string()),
            TokenTree::Group(g) => idents(g.stream(), out, depth + 1),
            _ => {}
        }
    }
}

/// `mod NAME;`, `#[path …]` and `include!(…)` anywhere in the tokens.
fn scan_tokens(tokens: TokenStream, tree: &mut ModuleTree, depth: usize) {
    if depth > 64 {
        return;
    }
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => {
                let after_hash = i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '#');
                if after_hash && g.delimiter() == proc_macro2::Delimiter::Bracket && names_path_attr(g.stream()) {
                    tree.path_attr = true;
                }
                scan_tokens(g.stream(), tree, depth + 1);
            }
            TokenTree::Ident(kw) if kw == "mod" => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(semi))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if semi.as_char() == ';' {
                        tree.declared.push(name.to_string().trim_start_matches("r#").to_string());
                    }
                }
            }
            TokenTree::Ident(kw) if kw == "include" => {
                let bang = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if let (true, Some(TokenTree::Group(g))) = (bang, tokens.get(i + 2)) {
                    literals(g.stream(), &mut tree.includes, 0);
                }
            }
            _ => {}
        }
    }
}

/// An attribute's tokens that set a path: `path = "…"`, or `cfg_attr(…, path = "…")`.
fn names_path_attr(tokens: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Ident(id) if id == "path" => {
            matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=')
        }
        TokenTree::Group(g) => names_path_attr(g.stream()),
        _ => false,
    })
}

/// The last path component of every string literal in the tokens.
fn literals(tokens: TokenStream, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    for tt in tokens {
        match tt {
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                    if let Some(name) = inner.rsplit(['/', '\\']).next().filter(|n| !n.is_empty()) {
                        out.push(name.to_string());
                    }
                }
            }
            TokenTree::Group(g) => literals(g.stream(), out, depth + 1),
            _ => {}
        }
    }
}

/// What a package's files declare about its modules, gathered once to ask [`Self::compiled`]
/// of each of its files.
pub struct PackageModules<'w> {
    /// The package's files with their module paths and trees (`None`: not read by the lint).
    files: Vec<(FileId, Vec<String>, Option<&'w ModuleTree>)>,
    /// Nothing can be told: a `#[path]` somewhere, no crate root in sight (files named one by
    /// one), or roots elsewhere than cargo's layout puts them (`[lib] path = "src/mylib.rs"`,
    /// whose `mod x;` is `src/x.rs`).
    unknown: bool,
    /// The file names the files `include!`.
    includes: HashSet<&'w str>,
}

impl<'w> PackageModules<'w> {
    pub fn new(ws: &'w WorkspaceCx<'_>, package: usize) -> Self {
        let files: Vec<(FileId, Vec<String>, Option<&ModuleTree>)> = ws
            .files
            .iter()
            .filter(|f| f.package == package)
            .filter_map(|f| {
                let tree = f.facts.iter().find_map(|fact| match fact {
                    ExportedFact::ModuleTree(t) => Some(&**t),
                    _ => None,
                });
                Some((f.file, super::modules::module_path(ws, f.file, package)?, tree))
            })
            .collect();
        let trees = files.iter().filter_map(|(_, _, t)| *t);
        let includes = trees.clone().flat_map(|t| t.includes.iter().map(String::as_str)).collect();
        let unknown = trees.clone().any(|t| t.path_attr)
            || !files.iter().any(|(_, m, _)| m.is_empty())
            || custom_targets(ws, package);
        PackageModules { files, unknown, includes }
    }

    /// Whether `file` may be compiled: `false` only when it is certainly outside the module
    /// tree (see the module docs).
    pub fn compiled(&self, ws: &WorkspaceCx<'_>, file: FileId) -> bool {
        let Some((_, module, _)) = self.files.iter().find(|(f, _, _)| *f == file) else { return true };
        if module.is_empty() || self.unknown || self.includes.contains(file_name(ws, file).as_str()) {
            return true;
        }
        for i in 1..=module.len() {
            let child = &module[i - 1];
            let mut declared = false;
            // The files of the modules on the way; a file another one `include!`s declares
            // its modules in the includer's place: its declarations count at every level.
            let candidates = self.files.iter().filter(|(f, m, _)| {
                (m.len() < i && module.starts_with(m)) || self.includes.contains(file_name(ws, *f).as_str())
            });
            for (_, _, tree) in candidates {
                // A file that was not read, or that declares no module at all (one the
                // prefilter may not have read either), may declare this one.
                let Some(tree) = tree.filter(|t| !t.declared.is_empty()) else { return true };
                declared |= tree.declared.contains(child)
                    || tree.inline.contains(child)
                    || tree.macro_idents.as_ref().is_none_or(|ids| ids.contains(child));
            }
            if !declared {
                return false;
            }
        }
        true
    }
}

fn file_name(ws: &WorkspaceCx<'_>, file: FileId) -> String {
    ws.sources.get(file).path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Whether the package's manifest puts a target's root elsewhere than cargo's layout does
/// (`[lib] path = "src/mylib.rs"`; `src/lib.rs`, `src/main.rs`, `src/bin/…`, `examples/…`,
/// `tests/…` and `benches/…` are cargo's own, which `cargo publish` writes out), or cannot be
/// read: its crate roots may then be any file.
fn custom_targets(ws: &WorkspaceCx<'_>, package: usize) -> bool {
    let Some(manifest) = ws.packages.get(package).and_then(|p| p.manifest) else { return false };
    let Ok(doc) = toml::de::DeTable::parse(&ws.sources.get(manifest).text) else { return true };
    let doc = doc.get_ref();
    let moved = |t: &toml::de::DeValue<'_>| {
        let path = t.as_table().and_then(|t| t.get("path")).map(|p| p.get_ref().as_str());
        match path {
            None => false,
            Some(None) => true,
            Some(Some(p)) => {
                let p = p.replace('\\', "/");
                let p = p.trim_start_matches("./");
                !(p == "src/lib.rs"
                    || p == "src/main.rs"
                    || ["src/bin/", "examples/", "tests/", "benches/"].iter().any(|d| p.starts_with(d)))
            }
        }
    };
    if doc.get("lib").is_some_and(|l| moved(l.get_ref())) {
        return true;
    }
    ["bin", "example", "test", "bench"].iter().any(|kind| {
        doc.get(*kind)
            .and_then(|v| v.get_ref().as_array())
            .is_some_and(|targets| targets.iter().any(|t| moved(t.get_ref())))
    })
}

#[cfg(test)]
mod tests {
    use super::{of_file, scan_tokens, ModuleTree};

    /// The tree the full token scan gives, which the walk must match.
    fn scanned(text: &str) -> ModuleTree {
        let file = syn::parse_file(text).unwrap();
        let mut tree = ModuleTree { macro_idents: Some(Vec::new()), ..ModuleTree::default() };
        scan_tokens(quote::ToTokens::to_token_stream(&file), &mut tree, 0);
        tree.declared.sort();
        tree.declared.dedup();
        tree
    }

    fn walked(text: &str) -> ModuleTree {
        of_file(&syn::parse_file(text).unwrap(), text)
    }

    #[test]
    fn the_walk_finds_what_the_scan_finds() {
        for text in [
            "mod a;\npub mod b;\n#[cfg(test)]\nmod tests { mod c; }\nfn f() {}",
            "#[path = \"x.rs\"]\nmod a;\n",
            "#[cfg_attr(unix, path = \"u.rs\")]\nmod a;\n",
            "fn f() { mod hidden; }\nmod a;\n",
            "cfg_if::cfg_if! { if #[cfg(unix)] { mod unix; } else { mod other; } }\n",
            "include!(\"gen.rs\");\nmod a;\n",
            "fn f() -> u32 { include!(\"value.rs\") }\n",
            "macro_rules! m { () => { mod inner; } }\n",
            "mod r#async;\n// mod commented;\n",
            "fn f() { let path = \"p\"; }\n",
        ] {
            let (walked, scanned) = (walked(text), scanned(text));
            assert_eq!(walked.declared, scanned.declared, "{text}");
            assert_eq!(walked.includes, scanned.includes, "{text}");
            assert_eq!(walked.path_attr, scanned.path_attr, "{text}");
        }
    }

    #[test]
    fn inline_modules_and_macro_names_are_kept() {
        let tree = walked("mod tests { mod deeper {} }\nmake_mod!(generated);\n");
        assert_eq!(tree.inline, ["tests", "deeper"]);
        assert_eq!(tree.macro_idents, Some(vec!["generated".to_string()]));
        assert!(tree.declared.is_empty());
    }
}
