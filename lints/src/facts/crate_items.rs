//! Items of one file, summarised for lookups from the other files of its package.
//!
//! A file exports [`ItemSummaries`]: its generic type definitions (structs, enums, unions and
//! type aliases, with their fields' types), its traits (with their supertraits), the impls of
//! its generic types (method signatures only, bodies left out), and its `use` items. Each is
//! kept as the text of a small item that syn parses back in the workspace phase, so that a
//! lint reads another file's items with the code it uses on its own file's syntax tree.
//!
//! In the workspace phase, [`CrateIndex`] holds one package's summaries, parsed, and finds the
//! items a path names: by module path where [`super::modules`] gives the files' modules and
//! the `use` items can be followed (`crate::`, `super::`, `self::`, imports, globs, paths
//! relative to the module), else by the last segment when it is unique in the package. A
//! path that names another crate (a dependency, `std`, `core`, `alloc`) names nothing here;
//! two items that fit equally are ambiguous. Items in test code or in function bodies are
//! exported only for lookups from their own file ([`ItemSummary::scope`], `is_test`).

use crate::context::{FileCx, WorkspaceCx};
use crate::source::{FileId, Span};
use quote::quote;
use std::collections::HashMap;

/// What an [`ItemSummary`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ItemKind {
    /// A struct, enum or union: its text is a struct whose fields are the type's fields (of
    /// every variant, for an enum).
    Type,
    /// A type alias.
    Alias,
    Trait,
    /// An inherent or trait impl of a generic type, methods without bodies.
    Impl,
}

/// One item, as text syn parses back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemSummary {
    pub kind: ItemKind,
    /// The inline modules around it in its file; `None` inside a function body or block,
    /// where only its own file can name it.
    pub scope: Option<Vec<String>>,
    /// The type's or trait's name; for an impl, the last segment of its self type.
    pub name: String,
    pub text: String,
    /// Where the name is (type, alias, trait); for an impl, each method's name, in order.
    pub spans: Vec<Span>,
    /// Test code: only its own file looks it up.
    pub is_test: bool,
    /// For a trait: whether each module of `scope` is declared `pub` (and not
    /// `#[doc(hidden)]`); empty for the other items.
    #[serde(default)]
    pub inline_public: Vec<bool>,
}

/// One name a `use` item brings into scope: `name` (`*` for a glob) stands for `path`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UseSummary {
    pub scope: Vec<String>,
    pub name: String,
    pub path: Vec<String>,
}

/// A file's items, for lookups from other files of its package.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemSummaries {
    pub items: Vec<ItemSummary>,
    pub uses: Vec<UseSummary>,
}

impl ItemSummaries {
    pub fn relocate(&mut self, f: &mut impl FnMut(&mut Span)) {
        for item in &mut self.items {
            item.spans.iter_mut().for_each(&mut *f);
        }
    }
}

/// Where an item of the file sits: its inline modules, and whether it is test code.
type Placement = (Vec<String>, bool);

/// The file's items. Test code and items in function bodies are included only with
/// `with_local` (the file's own lookups need them; other files never name them).
pub fn summarise(cx: &FileCx<'_>, with_local: bool) -> ItemSummaries {
    let mut placed: HashMap<usize, Placement> = HashMap::new();
    let mut aliases: Vec<(&syn::ItemType, Placement)> = Vec::new();
    let mut traits_placed: HashMap<usize, (Placement, Vec<bool>)> = HashMap::new();
    let mut uses = Vec::new();
    let mut scope = Vec::new();
    let mut public = Vec::new();
    let mut sink = Sink { types: &mut placed, traits: &mut traits_placed, aliases: &mut aliases, uses: &mut uses };
    place(&cx.ast.items, (&mut scope, &mut public), false, &mut sink);
    let mut out = ItemSummaries { items: Vec::new(), uses };
    let keep = |placement: Option<&Placement>, is_test: bool| {
        with_local || (placement.is_some_and(|(_, test)| !test) && !is_test)
    };
    for def in &cx.facts.types {
        if def.generics.type_params().next().is_none() {
            continue;
        }
        let placement = placed.get(&(def.ident as *const syn::Ident as usize));
        if !keep(placement, def.is_test) {
            continue;
        }
        let (ident, generics) = (def.ident, def.generics);
        let fields = def.fields.iter().enumerate().map(|(i, f)| {
            let name = quote::format_ident!("f{i}");
            let ty = &f.field.ty;
            quote!(#name: #ty)
        });
        let where_clause = &generics.where_clause;
        let text = quote!(struct #ident #generics #where_clause { #(#fields),* }).to_string();
        out.items.push(ItemSummary {
            kind: ItemKind::Type,
            scope: placement.map(|(s, _)| s.clone()),
            name: ident.to_string(),
            text,
            spans: vec![cx.span_of(ident.span())],
            is_test: def.is_test || placement.is_some_and(|(_, t)| *t),
            inline_public: Vec::new(),
        });
    }
    for (alias, (scope, is_test)) in aliases {
        if alias.generics.type_params().next().is_none() || (is_test && !with_local) {
            continue;
        }
        let (ident, generics, ty) = (&alias.ident, &alias.generics, &alias.ty);
        out.items.push(ItemSummary {
            kind: ItemKind::Alias,
            scope: Some(scope),
            name: ident.to_string(),
            text: quote!(type #ident #generics = #ty;).to_string(),
            spans: vec![cx.span_of(ident.span())],
            is_test,
            inline_public: Vec::new(),
        });
    }
    for t in &cx.facts.traits {
        let found = traits_placed.get(&(*t as *const syn::ItemTrait as usize));
        let placement = found.map(|(p, _)| p);
        if !keep(placement, false) {
            continue;
        }
        let (vis, ident, generics, supers) = (&t.vis, &t.ident, &t.generics, &t.supertraits);
        let where_clause = &generics.where_clause;
        let colon = (!supers.is_empty()).then(|| quote!(:));
        out.items.push(ItemSummary {
            kind: ItemKind::Trait,
            scope: placement.map(|(s, _)| s.clone()),
            name: ident.to_string(),
            text: quote!(#vis trait #ident #generics #colon #supers #where_clause {}).to_string(),
            spans: vec![cx.span_of(ident.span())],
            is_test: placement.is_some_and(|(_, t)| *t),
            inline_public: found.map(|(_, p)| p.clone()).unwrap_or_default(),
        });
    }
    for imp in &cx.facts.impls {
        let Some(summary) = impl_summary(cx, imp, &placed, with_local) else { continue };
        out.items.push(summary);
    }
    out
}

fn impl_summary(
    cx: &FileCx<'_>,
    imp: &super::items::ImplFact<'_>,
    placed: &HashMap<usize, Placement>,
    with_local: bool,
) -> Option<ItemSummary> {
    let item = imp.item;
    if imp.unsafe_auto_trait.is_some() {
        return None;
    }
    if item.trait_.as_ref().is_some_and(|(_, p, _)| super::items::send_sync_trait(p).is_some()) {
        return None;
    }
    let syn::Type::Path(p) = &*item.self_ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    if !args.args.iter().any(|a| matches!(a, syn::GenericArgument::Type(_))) {
        return None;
    }
    let placement = placed.get(&(item as *const syn::ItemImpl as usize));
    if !(with_local || (placement.is_some_and(|(_, test)| !test) && !imp.is_test)) {
        return None;
    }
    let mut members = Vec::new();
    let mut spans = Vec::new();
    for it in &item.items {
        match it {
            syn::ImplItem::Fn(f) => {
                let sig = &f.sig;
                members.push(quote!(#sig {}));
                spans.push(cx.span_of(f.sig.ident.span()));
            }
            syn::ImplItem::Type(t) => {
                let (ident, generics, ty) = (&t.ident, &t.generics, &t.ty);
                members.push(quote!(type #ident #generics = #ty;));
            }
            _ => {}
        }
    }
    let generics = &item.generics;
    let where_clause = &generics.where_clause;
    let self_ty = &item.self_ty;
    let trait_part = item.trait_.as_ref().map(|(bang, path, _)| quote!(#bang #path for));
    let text = quote!(impl #generics #trait_part #self_ty #where_clause { #(#members)* }).to_string();
    Some(ItemSummary {
        kind: ItemKind::Impl,
        scope: placement.map(|(s, _)| s.clone()),
        name: last.ident.to_string(),
        text,
        spans,
        is_test: imp.is_test || placement.is_some_and(|(_, t)| *t),
        inline_public: Vec::new(),
    })
}

/// Where [`place`] records what it finds.
struct Sink<'s, 'a> {
    types: &'s mut HashMap<usize, Placement>,
    /// With whether each inline module around the trait is public.
    traits: &'s mut HashMap<usize, (Placement, Vec<bool>)>,
    aliases: &'s mut Vec<(&'a syn::ItemType, Placement)>,
    uses: &'s mut Vec<UseSummary>,
}

/// Records where the module-level items of the file sit (not those in function bodies),
/// by the address of the type's name, the impl or the trait; collects aliases and `use` items.
/// `scope` holds the inline modules around them, with whether each is public.
fn place<'a>(items: &'a [syn::Item], scope: (&mut Vec<String>, &mut Vec<bool>), test: bool, sink: &mut Sink<'_, 'a>) {
    let (names, public) = scope;
    if names.len() > 16 {
        return;
    }
    for item in items {
        let here = |attrs: &[syn::Attribute]| (names.clone(), test || super::test_attrs::is_cfg_test(attrs));
        match item {
            syn::Item::Struct(s) => {
                sink.types.insert(&s.ident as *const syn::Ident as usize, here(&s.attrs));
            }
            syn::Item::Enum(e) => {
                sink.types.insert(&e.ident as *const syn::Ident as usize, here(&e.attrs));
            }
            syn::Item::Union(u) => {
                sink.types.insert(&u.ident as *const syn::Ident as usize, here(&u.attrs));
            }
            syn::Item::Impl(i) => {
                sink.types.insert(i as *const syn::ItemImpl as usize, here(&i.attrs));
            }
            syn::Item::Trait(t) => {
                sink.traits.insert(t as *const syn::ItemTrait as usize, (here(&t.attrs), public.clone()));
            }
            syn::Item::Type(t) => sink.aliases.push((t, here(&t.attrs))),
            syn::Item::Use(u) if u.leading_colon.is_none() && !super::test_attrs::is_cfg_test(&u.attrs) => {
                use_leaves(&u.tree, &mut Vec::new(), names, sink.uses);
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    let test = test || super::test_attrs::is_cfg_test(&m.attrs);
                    names.push(m.ident.to_string());
                    public.push(super::modules::is_public_decl(&m.vis, &m.attrs));
                    place(inner, (&mut *names, &mut *public), test, sink);
                    names.pop();
                    public.pop();
                }
            }
            _ => {}
        }
    }
}

/// The names a top-level `use` item brings into its file, as [`UseSummary`]s (scope empty).
pub fn use_names(tree: &syn::UseTree) -> Vec<UseSummary> {
    let mut out = Vec::new();
    use_leaves(tree, &mut Vec::new(), &[], &mut out);
    out
}

/// One [`UseSummary`] per name a `use` tree brings in (those of other crates too: they hide
/// the package's items of the same name).
fn use_leaves(tree: &syn::UseTree, prefix: &mut Vec<String>, scope: &[String], out: &mut Vec<UseSummary>) {
    let mut emit = |name: String, last: Option<String>| {
        let mut path = prefix.clone();
        path.extend(last);
        if !path.is_empty() {
            out.push(UseSummary { scope: scope.to_vec(), name, path });
        }
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, scope, out);
            prefix.pop();
        }
        // `use a::b::{self}` brings `b` in.
        syn::UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.last().cloned() {
                emit(last, None);
            }
        }
        syn::UseTree::Name(n) => emit(n.ident.to_string(), Some(n.ident.to_string())),
        syn::UseTree::Rename(r) => emit(r.rename.to_string(), Some(r.ident.to_string())),
        syn::UseTree::Glob(_) => emit("*".to_string(), None),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, prefix, scope, out)),
    }
}

/// One file of the package, with its summaries parsed.
pub struct Unit<'w> {
    pub file: FileId,
    /// The file's modules from the crate root, when [`super::modules::module_path`] knows them
    /// (a file under `src/`, not `src/bin/`). A file without one is looked into only by itself.
    pub module: Option<Vec<String>>,
    pub summaries: &'w ItemSummaries,
    /// Each summary's item, parsed on first use (`None` if syn refused the text): most
    /// items of a package are never looked at, and parsing them all was most of a cached
    /// rerun's workspace phase.
    pub parsed: Vec<std::cell::OnceCell<Option<syn::Item>>>,
}

/// An item of the package: `(unit, index in the unit's summaries)`.
pub type ItemId = (usize, usize);

/// What a path names in the package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The items at one module path (several when `cfg` chooses between definitions).
    Items(Vec<ItemId>),
    /// Several items fit equally.
    Ambiguous,
    /// Nothing of the package.
    Nothing,
}

/// One package's summaries, parsed, with name lookups across its files.
pub struct CrateIndex<'w> {
    pub units: Vec<Unit<'w>>,
    package: &'w crate::context::PackageInfo,
    /// The items other files may name (see [`visible`]), by name, with their full paths.
    by_name: HashMap<&'w str, Vec<(ItemId, Vec<String>)>>,
}

impl<'w> CrateIndex<'w> {
    /// The summaries of package `package`, one unit per file that exported some.
    pub fn new(ws: &'w WorkspaceCx<'_>, package: usize, summaries: Vec<(FileId, &'w ItemSummaries)>) -> Self {
        let units = summaries
            .into_iter()
            .map(|(file, summaries)| Unit {
                file,
                module: super::modules::module_path(ws, file, package),
                summaries,
                parsed: summaries.items.iter().map(|_| std::cell::OnceCell::new()).collect(),
            })
            .collect::<Vec<Unit<'w>>>();
        let mut by_name: HashMap<&'w str, Vec<(ItemId, Vec<String>)>> = HashMap::new();
        for (u, unit) in units.iter().enumerate() {
            let Some(module) = &unit.module else { continue };
            for (i, item) in unit.summaries.items.iter().enumerate() {
                let (Some(scope), true) = (&item.scope, visible(item)) else { continue };
                let full: Vec<String> = module.iter().chain(scope).chain([&item.name]).cloned().collect();
                by_name.entry(item.name.as_str()).or_default().push(((u, i), full));
            }
        }
        CrateIndex { units, package: &ws.packages[package], by_name }
    }

    pub fn summary(&self, (unit, item): ItemId) -> &'w ItemSummary {
        &self.units[unit].summaries.items[item]
    }

    pub fn parsed(&self, (unit, item): ItemId) -> Option<&syn::Item> {
        let u = &self.units[unit];
        u.parsed[item].get_or_init(|| parse_item(&u.summaries.items[item].text)).as_ref()
    }

    /// The unit of a file.
    pub fn unit_of(&self, file: FileId) -> Option<usize> {
        self.units.iter().position(|u| u.file == file)
    }

    /// Items of `unit` named `name`, of kind `kind`, wherever they are in the file.
    pub fn in_unit(&self, unit: usize, name: &str, kind: ItemKind) -> Vec<ItemId> {
        let items = &self.units[unit].summaries.items;
        (0..items.len()).filter(|&i| items[i].kind == kind && items[i].name == name).map(|i| (unit, i)).collect()
    }

    /// Impls of the package, other units' test code left out, whose self type's last segment
    /// is `name`.
    pub fn impls_named(&self, name: &str, home: usize) -> Vec<ItemId> {
        let mut out = Vec::new();
        for (u, unit) in self.units.iter().enumerate() {
            for (i, item) in unit.summaries.items.iter().enumerate() {
                if item.kind == ItemKind::Impl && item.name == name && (u == home || visible(item)) {
                    out.push((u, i));
                }
            }
        }
        out
    }

    /// Whether a path's first segment names another crate.
    fn external(&self, first: &str) -> bool {
        matches!(first, "std" | "core" | "alloc") || self.package.depends_on(first)
    }

    /// The items of kinds `kinds` that `path`, written in `scope` of `unit`, names: by module
    /// path, else by its last segment when unique in the package (see the module docs).
    pub fn resolve(&self, unit: usize, scope: Option<&[String]>, path: &syn::Path, kinds: &[ItemKind]) -> Found {
        if path.leading_colon.is_some() {
            return Found::Nothing;
        }
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some(name) = segments.last() else { return Found::Nothing };
        let Some(module) = &self.units[unit].module else { return Found::Nothing };
        let scope = scope.unwrap_or(&[]);
        let base: Vec<String> = module.iter().chain(scope).cloned().collect();
        let mut candidates: Vec<Vec<String>> = Vec::new();
        let first = segments[0].as_str();
        if matches!(first, "crate" | "self" | "super") {
            candidates.extend(super::modules::resolve_use(&base, &segments));
        } else {
            let uses = &self.units[unit].summaries.uses;
            let imported: Vec<&UseSummary> = uses.iter().filter(|u| u.scope == scope && u.name == first).collect();
            if !imported.is_empty() {
                for u in imported {
                    if self.external(&u.path[0]) {
                        return Found::Nothing;
                    }
                    for target in super::modules::resolve_use(&base, &u.path) {
                        candidates.push(target.into_iter().chain(segments[1..].iter().cloned()).collect());
                    }
                }
            } else {
                if self.external(first) {
                    return Found::Nothing;
                }
                for u in uses.iter().filter(|u| u.scope == scope && u.name == "*") {
                    if self.external(&u.path[0]) {
                        continue;
                    }
                    for target in super::modules::resolve_use(&base, &u.path) {
                        candidates.push(target.into_iter().chain(segments.iter().cloned()).collect());
                    }
                }
                candidates.extend(super::modules::resolve_use(&base, &segments));
            }
        }
        let by_path = self.matching(name, kinds, |full| candidates.iter().any(|c| c == full));
        match by_path {
            Found::Nothing => self.matching(name, kinds, |_| true),
            found => found,
        }
    }

    /// The items named `name` (outside test code and function bodies, in files with a module
    /// path) whose full path `fits`: one path's items, or ambiguous when several paths fit.
    fn matching(&self, name: &str, kinds: &[ItemKind], fits: impl Fn(&[String]) -> bool) -> Found {
        let mut paths: Vec<&Vec<String>> = Vec::new();
        let mut items = Vec::new();
        for (id, full) in self.by_name.get(name).map_or(&[][..], Vec::as_slice) {
            if !kinds.contains(&self.summary(*id).kind) || !fits(full) {
                continue;
            }
            if !paths.contains(&full) {
                paths.push(full);
            }
            items.push(*id);
        }
        match paths.len() {
            0 => Found::Nothing,
            1 => Found::Items(items),
            _ => Found::Ambiguous,
        }
    }
}

/// How deeply a summary's item may nest to be parsed back: the workspace phase runs on the
/// caller's thread, whose stack is not the workers' (see [`crate::STACK_BYTES`]); real items
/// nest far less.
const SUMMARY_NESTING: usize = 64;

/// A summary's item, parsed back; `None` if it nests deeper than [`SUMMARY_NESTING`] or syn
/// refuses it.
pub fn parse_item(text: &str) -> Option<syn::Item> {
    if crate::nesting::too_deep(text, SUMMARY_NESTING).is_some() {
        return None;
    }
    syn::parse_str::<syn::Item>(text).ok()
}

/// Whether other files may name the item.
fn visible(item: &ItemSummary) -> bool {
    !item.is_test && item.scope.is_some()
}

/// The inline modules around an impl of the file, `None` when it is not at module level (in
/// a function body or block).
pub fn impl_scope(items: &[syn::Item], target: &syn::ItemImpl) -> Option<Vec<String>> {
    fn find(items: &[syn::Item], target: &syn::ItemImpl, scope: &mut Vec<String>) -> bool {
        for item in items {
            match item {
                syn::Item::Impl(i) if std::ptr::eq(i, target) => return true,
                syn::Item::Mod(m) if scope.len() <= 16 => {
                    if let Some((_, inner)) = &m.content {
                        scope.push(m.ident.to_string());
                        if find(inner, target, scope) {
                            return true;
                        }
                        scope.pop();
                    }
                }
                _ => {}
            }
        }
        false
    }
    let mut scope = Vec::new();
    find(items, target, &mut scope).then_some(scope)
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_items_are_not_parsed_back() {
        let deep = format!("struct S<T> {{ f0: {}T{} }}", "Box<".repeat(100), ">".repeat(100));
        assert!(super::parse_item(&deep).is_none());
        assert!(super::parse_item("struct S<T> { f0: Box<T> }").is_some());
    }
}
