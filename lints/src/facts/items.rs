//! Items the concurrency lints look at, recorded by the one walk so that no lint re-walks the
//! file: type definitions with the resolved types their fields mention, `impl` blocks (with the
//! auto trait of an `unsafe impl Send`/`Sync`), and `static` items.
//!
//! Field types are resolved through the `use` items in scope where the type is declared, so
//! `use parking_lot::Mutex; struct S { m: Mutex<u8> }` mentions `parking_lot::Mutex`.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    Struct,
    Enum,
    Union,
}

/// A `struct`, `enum` or `union` defined in the file.
#[derive(Debug)]
pub struct TypeDef<'a> {
    pub kind: TypeKind,
    pub ident: &'a syn::Ident,
    pub attrs: &'a [syn::Attribute],
    pub vis: &'a syn::Visibility,
    pub generics: &'a syn::Generics,
    /// Fields of the struct or union, or of every variant of the enum.
    pub fields: Vec<FieldFact<'a>>,
    /// Test-only code (`#[cfg(test)]`, a test function, a file under `tests/`).
    pub is_test: bool,
}

/// One field and the types its type mentions.
#[derive(Debug)]
pub struct FieldFact<'a> {
    pub field: &'a syn::Field,
    /// Named types mentioned by the field's type, outermost first, each resolved through `use`
    /// (`None` for a type defined in this crate): `Arc<Mutex<T>>` gives `std::sync::Arc`,
    /// `std::sync::Mutex`, `T`. The arguments of `PhantomData` and function-pointer or trait
    /// object signatures are skipped: the field holds no such value.
    pub types: Vec<TypeRef>,
    /// The field holds a raw pointer (`*const T`, `*mut T`) or a `NonNull<T>`, directly or in
    /// a container (`Option<*mut T>`, `[*mut T; 4]`), not behind a reference.
    pub holds_raw_pointer: bool,
}

/// A named type mentioned in a field's type.
#[derive(Clone, Debug)]
pub struct TypeRef {
    pub resolved: Option<String>,
    /// The last path segment as written (`Mutex`).
    pub name: String,
    pub span: Span,
    /// Reached through a reference or raw pointer (`&'a Mutex<T>`, `*const T`): the field
    /// points at it, it does not hold it.
    pub behind_reference: bool,
}

/// An `impl` block.
#[derive(Debug)]
pub struct ImplFact<'a> {
    pub item: &'a syn::ItemImpl,
    /// `Some("Send")` / `Some("Sync")` for a positive `unsafe impl Send`/`Sync for …`.
    pub unsafe_auto_trait: Option<&'static str>,
    /// The last identifier of the self type's path: `Foo` in `impl … for a::Foo<T>`.
    pub self_name: Option<String>,
    pub is_test: bool,
}

/// A `static` item (thread-local statics spliced from `thread_local!` included).
#[derive(Debug)]
pub struct StaticFact<'a> {
    pub item: &'a syn::ItemStatic,
    pub is_test: bool,
    /// The join handles its type holds (`Mutex<Vec<JoinHandle<()>>>`), as the spawner that
    /// makes them (see [`super::handles::join_handle_type`]).
    pub handle_type: Option<super::Spawner>,
}

impl StaticFact<'_> {
    pub fn is_mut(&self) -> bool {
        matches!(self.item.mutability, syn::StaticMutability::Mut(_))
    }
}

/// Collects the named types of a field type. `resolve` maps a path to its resolved form.
pub fn field_fact<'a>(
    field: &'a syn::Field,
    file: crate::source::FileId,
    resolve: &dyn Fn(&syn::Path) -> Option<String>,
) -> FieldFact<'a> {
    let mut c = TypeCollector { file, resolve, types: Vec::new(), raw: false, depth: 0 };
    c.collect(&field.ty, false);
    FieldFact { field, types: c.types, holds_raw_pointer: c.raw }
}

struct TypeCollector<'r> {
    file: crate::source::FileId,
    resolve: &'r dyn Fn(&syn::Path) -> Option<String>,
    types: Vec<TypeRef>,
    raw: bool,
    depth: usize,
}

impl TypeCollector<'_> {
    fn collect(&mut self, ty: &syn::Type, behind_reference: bool) {
        if self.depth > 32 {
            return;
        }
        self.depth += 1;
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => {
                let Some(last) = p.path.segments.last() else {
                    self.depth -= 1;
                    return;
                };
                let name = last.ident.to_string();
                let resolved = (self.resolve)(&p.path);
                let is_nonnull =
                    name == "NonNull" && resolved.as_deref().is_none_or(|r| r == "std::ptr::NonNull" || r == "NonNull");
                if is_nonnull && !behind_reference {
                    self.raw = true;
                }
                self.types.push(TypeRef {
                    resolved,
                    name: name.clone(),
                    span: crate::facts::walk::path_span(self.file, &p.path),
                    behind_reference,
                });
                if name != "PhantomData" && name != "PhantomPinned" {
                    for seg in &p.path.segments {
                        if let syn::PathArguments::AngleBracketed(args) = &seg.arguments {
                            for arg in &args.args {
                                if let syn::GenericArgument::Type(inner) = arg {
                                    self.collect(inner, behind_reference);
                                }
                            }
                        }
                    }
                }
            }
            syn::Type::Ptr(p) => {
                if !behind_reference {
                    self.raw = true;
                }
                self.collect(&p.elem, true);
            }
            syn::Type::Reference(r) => self.collect(&r.elem, true),
            syn::Type::Array(a) => self.collect(&a.elem, behind_reference),
            syn::Type::Slice(s) => self.collect(&s.elem, behind_reference),
            syn::Type::Paren(p) => self.collect(&p.elem, behind_reference),
            syn::Type::Group(g) => self.collect(&g.elem, behind_reference),
            syn::Type::Tuple(t) => t.elems.iter().for_each(|e| self.collect(e, behind_reference)),
            _ => {}
        }
        self.depth -= 1;
    }
}

/// What kind of synchronisation state a resolved type path is, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncKind {
    /// `Mutex`, `RwLock`, `ReentrantMutex`, …
    Lock,
    Condvar,
    Atomic,
    /// A sending or receiving end of a channel.
    Channel,
    /// `Notify`, `Semaphore`, `Barrier`.
    Other,
}

/// Classifies a resolved (canonical) type path as synchronisation state: std, tokio,
/// parking_lot, crossbeam, flume, async-channel, futures, async-lock, async-std.
pub fn sync_kind(resolved: &str) -> Option<SyncKind> {
    let (module, name) = resolved.rsplit_once("::")?;
    if module == "std::sync::atomic" || module == "portable_atomic" || module == "atomic" {
        return name.starts_with("Atomic").then_some(SyncKind::Atomic);
    }
    if module == "crossbeam::atomic" || module == "crossbeam_utils::atomic" {
        return (name == "AtomicCell").then_some(SyncKind::Atomic);
    }
    const LOCK_MODULES: &[&str] = &[
        "std::sync",
        "tokio::sync",
        "parking_lot",
        "async_lock",
        "async_std::sync",
        "futures::lock",
        "spin",
        "spin::mutex",
        "spin::rwlock",
    ];
    const CHANNEL_MODULES: &[&str] = &[
        "std::sync::mpsc",
        "tokio::sync::mpsc",
        "tokio::sync::oneshot",
        "tokio::sync::broadcast",
        "tokio::sync::watch",
        "crossbeam_channel",
        "flume",
        "async_channel",
        "async_std::channel",
        "futures::channel::mpsc",
        "futures::channel::oneshot",
        "futures_channel::mpsc",
        "futures_channel::oneshot",
    ];
    if CHANNEL_MODULES.contains(&module) {
        return matches!(
            name,
            "Sender"
                | "SyncSender"
                | "Receiver"
                | "UnboundedSender"
                | "UnboundedReceiver"
                | "WeakSender"
                | "WeakUnboundedSender"
        )
        .then_some(SyncKind::Channel);
    }
    if LOCK_MODULES.contains(&module) {
        return match name {
            "Mutex" | "RwLock" | "ReentrantMutex" | "FairMutex" | "SpinMutex" | "TicketMutex" => Some(SyncKind::Lock),
            "Condvar" => Some(SyncKind::Condvar),
            "Notify" | "Semaphore" | "Barrier" => Some(SyncKind::Other),
            _ => None,
        };
    }
    None
}

/// `Send` or `Sync` as an auto trait: bare, or `std::marker::`/`core::marker::`.
pub fn send_sync_trait(path: &syn::Path) -> Option<&'static str> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let last = segments.last()?;
    let is_marker_path = segments.len() == 1
        || (segments.len() == 3 && (segments[0] == "std" || segments[0] == "core") && segments[1] == "marker")
        || (segments.len() == 2 && segments[0] == "marker");
    match last.as_str() {
        "Send" if is_marker_path => Some("Send"),
        "Sync" if is_marker_path => Some("Sync"),
        _ => None,
    }
}
