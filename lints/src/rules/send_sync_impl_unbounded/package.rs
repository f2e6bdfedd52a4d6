//! The workspace phase: an `unsafe impl` its file could not decide, decided with the items of
//! every file of its package ([`crate_items`]).
//!
//! Lookups start where the file phase looked, so that what the impl's own file shows weighs
//! the same: a type or trait is first searched by name in the file the name is written in
//! (struct, enum or union first, then an alias), then in the package by module path, then by
//! its last segment when that is unique. The impls of the self type are those of the impl's
//! own file with the same name (as in the file phase), and those of other files whose self
//! type names the same definition.

use super::{bounds_of, decide, diagnostic, Def, ImplOf, TraitFound, Verdict, World, SEND_SYNC_IMPL_UNBOUNDED};
use crate::context::{ExportedFact, PendingAutoImpl, WorkspaceCx};
use crate::facts::crate_items::{self, CrateIndex, Found, ItemId, ItemKind, ItemSummaries};
use crate::facts::{module_tree, modules};
use crate::source::FileId;

pub(super) fn check(ws: &WorkspaceCx<'_>) {
    for package in 0..ws.packages.len() {
        let pending: Vec<(FileId, &PendingAutoImpl)> = ws
            .facts_of_package(package)
            .filter_map(|(file, fact)| match fact {
                ExportedFact::PendingAutoImpl(p) => Some((file, &**p)),
                _ => None,
            })
            .collect();
        if pending.is_empty() {
            continue;
        }
        let summaries: Vec<(FileId, &ItemSummaries)> = ws
            .facts_of_package(package)
            .filter_map(|(file, fact)| match fact {
                ExportedFact::ItemSummaries(s) => Some((file, &**s)),
                _ => None,
            })
            .collect();
        let index = CrateIndex::new(ws, package, summaries);
        let module_tree = module_tree::PackageModules::new(ws, package);
        for (file, p) in pending {
            // A file no `mod` declaration reaches is not compiled: nothing in it crosses threads.
            if !module_tree.compiled(ws, file) {
                continue;
            }
            let Some(home) = index.unit_of(file) else { continue };
            let Some(syn::Item::Impl(item)) = crate_items::parse_item(&p.text) else { continue };
            let which = if p.which == "Send" { "Send" } else { "Sync" };
            let world = PackageWorld { index: &index, home };
            let scope = (home, p.scope.as_deref());
            let mut verdict = match &p.decided {
                Some(unbounded) => Verdict { unbounded: unbounded.clone(), evidence: Vec::new(), complete: true },
                None => decide(&world, scope, &item, which),
            };
            let params: Vec<&syn::Ident> = item.generics.type_params().map(|t| &t.ident).collect();
            verdict
                .unbounded
                .retain(|&i| params.get(i).is_none_or(|name| !world.sealed(ws, scope, &item.generics, name)));
            if let Some(d) = diagnostic(which, &p.ty, p.header, &p.params, &verdict) {
                debug_assert!(std::ptr::eq(d.lint, &SEND_SYNC_IMPL_UNBOUNDED));
                ws.report(d);
            }
        }
    }
}

/// The items of a package, seen from the file of one `unsafe impl` (`home`).
pub(super) struct PackageWorld<'i, 'w> {
    index: &'i CrateIndex<'w>,
    home: usize,
}

/// A file of the package and the inline modules a name is written in.
type Scope<'i> = (usize, Option<&'i [String]>);

impl<'i> PackageWorld<'i, '_> {
    fn scope_of(&self, id: ItemId) -> Scope<'i> {
        (id.0, self.index.summary(id).scope.as_deref())
    }

    fn def(&self, id: ItemId) -> Option<Def<'i, Scope<'i>>> {
        let summary = self.index.summary(id);
        let (generics, fields): (&syn::Generics, Vec<&syn::Type>) = match self.index.parsed(id)? {
            syn::Item::Struct(s) => (&s.generics, s.fields.iter().map(|f| &f.ty).collect()),
            syn::Item::Type(t) => (&t.generics, vec![&*t.ty]),
            _ => return None,
        };
        Some(Def {
            key: format!("{}:{}", id.0, id.1),
            id: Some(id),
            name: summary.name.clone(),
            generics,
            local_key: fields.iter().any(|t| names_local_key(t, 0)),
            fields,
            scope: self.scope_of(id),
            elsewhere: (id.0 != self.home).then(|| summary.spans.first().copied()).flatten(),
        })
    }
}

impl PackageWorld<'_, '_> {
    /// Whether a bound of the parameter `name` is a sealed trait of the package: one no code
    /// outside the crate can name (not `pub`, or in a module that is neither public nor
    /// re-exported, as [`modules::is_public`] tells), so that only the crate's own types
    /// implement it, and the crate chose each of them.
    fn sealed(&self, ws: &WorkspaceCx<'_>, scope: Scope<'_>, generics: &syn::Generics, name: &syn::Ident) -> bool {
        bounds_of(generics, name).iter().any(|b| {
            let syn::TypeParamBound::Trait(t) = b else { return false };
            let Some(last) = t.path.segments.last() else { return false };
            let ids = self.trait_ids(scope, &t.path);
            !ids.is_empty()
                && ids.iter().all(|&id| {
                    let summary = self.index.summary(id);
                    let Some(syn::Item::Trait(tr)) = self.index.parsed(id) else { return false };
                    let Some(inline) = &summary.scope else { return false };
                    let inline: Vec<(String, bool)> = inline
                        .iter()
                        .cloned()
                        .zip(summary.inline_public.iter().copied().chain(std::iter::repeat(true)))
                        .collect();
                    !matches!(tr.vis, syn::Visibility::Public(_))
                        || !modules::is_public(ws, self.index.units[id.0].file, &inline, &last.ident.to_string())
                })
        })
    }

    /// The traits of the package a bound's path names (none when it is ambiguous).
    fn trait_ids(&self, scope: Scope<'_>, path: &syn::Path) -> Vec<ItemId> {
        match self.find_traits(scope, path) {
            Found::Items(ids) => ids,
            Found::Ambiguous | Found::Nothing => Vec::new(),
        }
    }

    /// The traits a path names: one of the file's own for a name or a `crate`/`self`/`super`
    /// path, else by module path.
    fn find_traits(&self, (unit, scope): Scope<'_>, path: &syn::Path) -> Found {
        let Some(last) = path.segments.last() else { return Found::Nothing };
        let first = path.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
        let local_path = path.segments.len() == 1 || matches!(first.as_str(), "crate" | "self" | "super");
        if local_path {
            let ids = self.index.in_unit(unit, &last.ident.to_string(), ItemKind::Trait);
            if !ids.is_empty() {
                return Found::Items(ids);
            }
        }
        self.index.resolve(unit, scope, path, &[ItemKind::Trait])
    }
}

impl<'i> World<'i> for PackageWorld<'i, '_> {
    type Scope = Scope<'i>;

    fn types(&self, (unit, scope): Scope<'i>, path: &syn::Path) -> Vec<Def<'i, Scope<'i>>> {
        let Some(last) = path.segments.last() else { return Vec::new() };
        let name = last.ident.to_string();
        let mut ids = self.index.in_unit(unit, &name, ItemKind::Type);
        if ids.is_empty() {
            ids = self.index.in_unit(unit, &name, ItemKind::Alias);
        }
        if ids.is_empty() {
            if let Found::Items(found) = self.index.resolve(unit, scope, path, &[ItemKind::Type, ItemKind::Alias]) {
                ids = found;
            }
        }
        ids.into_iter().filter_map(|id| self.def(id)).collect()
    }

    fn impls(&self, self_name: Option<&str>, defs: &[Def<'i, Scope<'i>>]) -> Vec<ImplOf<'i, Scope<'i>>> {
        let Some(name) = self_name else { return Vec::new() };
        let mut out = Vec::new();
        for id in self.index.impls_named(name, self.home) {
            let Some(syn::Item::Impl(item)) = self.index.parsed(id) else { continue };
            if id.0 != self.home {
                // Another file's impl counts when its self type names the same definition.
                let syn::Type::Path(p) = &*item.self_ty else { continue };
                let names = self.types(self.scope_of(id), &p.path);
                if !names.iter().any(|n| defs.iter().any(|d| d.id.is_some() && d.id == n.id)) {
                    continue;
                }
            }
            let methods = (id.0 != self.home).then(|| self.index.summary(id).spans.as_slice());
            out.push(ImplOf { item, scope: self.scope_of(id), methods });
        }
        out
    }

    fn traits(&self, scope: Scope<'i>, path: &syn::Path) -> TraitFound<'i, Scope<'i>> {
        let ids = match self.find_traits(scope, path) {
            Found::Items(ids) => ids,
            Found::Ambiguous => return TraitFound::Ambiguous,
            Found::Nothing => Vec::new(),
        };
        let traits = ids
            .into_iter()
            .filter_map(|id| match self.index.parsed(id) {
                Some(syn::Item::Trait(t)) => Some((t, self.scope_of(id))),
                _ => None,
            })
            .collect();
        TraitFound::Traits(traits)
    }

    fn miss(&self) {}

    fn missed(&self) -> bool {
        false
    }

    fn reset(&self) {}
}

/// Whether a field's type holds a `LocalKey` (not in `PhantomData`, a trait object or a
/// function pointer), as the file phase's field facts tell.
fn names_local_key(ty: &syn::Type, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return false };
            if last.ident == "LocalKey" {
                return true;
            }
            if last.ident == "PhantomData" || last.ident == "PhantomPinned" {
                return false;
            }
            p.path.segments.iter().any(|seg| match &seg.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().any(|a| match a {
                    syn::GenericArgument::Type(t) => names_local_key(t, depth + 1),
                    _ => false,
                }),
                _ => false,
            })
        }
        syn::Type::Ptr(p) => names_local_key(&p.elem, depth + 1),
        syn::Type::Reference(r) => names_local_key(&r.elem, depth + 1),
        syn::Type::Array(a) => names_local_key(&a.elem, depth + 1),
        syn::Type::Slice(s) => names_local_key(&s.elem, depth + 1),
        syn::Type::Paren(p) => names_local_key(&p.elem, depth + 1),
        syn::Type::Group(g) => names_local_key(&g.elem, depth + 1),
        syn::Type::Tuple(t) => t.elems.iter().any(|e| names_local_key(e, depth + 1)),
        _ => false,
    }
}
