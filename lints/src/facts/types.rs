//! The few types a syntactic tool can know: enough to tell which `x.spawn(…)` calls spawn.
//!
//! A receiver's type is known when it is built by a known constructor in sight
//! (`JoinSet::new()`, `Handle::current()`, `thread::Builder::new().name(…)`), annotated
//! (`set: &mut JoinSet<()>`), a field whose type the file declares, or the parameter of a
//! scope closure (`thread::scope(|s| …)`). Anything else is unknown, and unknown stays silent.

/// Known types by canonical path.
pub const KNOWN_TYPES: &[&str] = &[
    "std::thread::Builder",
    "std::thread::Scope",
    "crossbeam::thread::Scope",
    "tokio::runtime::Runtime",
    "tokio::runtime::Handle",
    "tokio::runtime::Builder",
    "tokio::task::LocalSet",
    "tokio::task::JoinSet",
    "tokio_util::task::TaskTracker",
    "tokio_util::sync::CancellationToken",
    "async_executor::Executor",
    "async_executor::LocalExecutor",
    "rayon::ThreadPool",
    "rayon::ThreadPoolBuilder",
    "rayon::Scope",
    "futures::executor::ThreadPool",
    "futures::executor::ThreadPoolBuilder",
];

/// Maps a resolved type path to a known type.
pub fn known_type(resolved: &str) -> Option<&'static str> {
    let normalized = match resolved {
        "rayon_core::ThreadPool" => "rayon::ThreadPool",
        "rayon_core::ThreadPoolBuilder" => "rayon::ThreadPoolBuilder",
        "rayon_core::Scope" => "rayon::Scope",
        "tokio::task::join_set::JoinSet" => "tokio::task::JoinSet",
        "tokio::runtime::runtime::Runtime" => "tokio::runtime::Runtime",
        "tokio_util::sync::cancellation_token::CancellationToken" => "tokio_util::sync::CancellationToken",
        "crossbeam::thread::Scope" | "crossbeam_utils::thread::Scope" => "crossbeam::thread::Scope",
        "smol::Executor" => "async_executor::Executor",
        "smol::LocalExecutor" => "async_executor::LocalExecutor",
        other => other,
    };
    KNOWN_TYPES.iter().copied().find(|t| *t == normalized)
}

/// The type produced by calling a resolved path, e.g. `tokio::task::JoinSet::new`.
pub fn constructor_type(resolved: &str) -> Option<&'static str> {
    let (ty, func) = resolved.rsplit_once("::")?;
    let known = known_type(ty)?;
    let makes_self = matches!(
        func,
        "new" | "default" | "current" | "try_current" | "new_multi_thread" | "new_current_thread" | "with_capacity"
    );
    match (known, func) {
        ("tokio::runtime::Builder", _) | ("rayon::ThreadPoolBuilder", _) | ("std::thread::Builder", _) => Some(known),
        _ if makes_self => Some(known),
        _ => None,
    }
}

/// The type of `receiver.method(…)` given the receiver's type.
pub fn method_result_type(receiver: &'static str, method: &str) -> Option<&'static str> {
    Some(match (receiver, method) {
        (_, "clone" | "unwrap" | "expect" | "as_ref" | "borrow" | "as_mut" | "lock" | "read" | "write") => receiver,
        ("tokio::runtime::Builder", "build") => "tokio::runtime::Runtime",
        ("tokio::runtime::Builder", _) => "tokio::runtime::Builder",
        ("tokio::runtime::Runtime", "handle") => "tokio::runtime::Handle",
        ("rayon::ThreadPoolBuilder", "build") => "rayon::ThreadPool",
        ("rayon::ThreadPoolBuilder", _) => "rayon::ThreadPoolBuilder",
        ("futures::executor::ThreadPoolBuilder", "create") => "futures::executor::ThreadPool",
        ("futures::executor::ThreadPoolBuilder", _) => "futures::executor::ThreadPoolBuilder",
        ("std::thread::Builder", "name" | "stack_size" | "no_hooks") => "std::thread::Builder",
        _ => return None,
    })
}

/// Scope functions whose closure parameter is a spawner: the resolved function path and the type
/// of the parameter.
pub fn scope_param_type(resolved: &str) -> Option<&'static str> {
    Some(match resolved {
        "std::thread::scope" => "std::thread::Scope",
        "crossbeam::scope" => "crossbeam::thread::Scope",
        "rayon::scope"
        | "rayon::scope_fifo"
        | "rayon::in_place_scope"
        | "rayon::in_place_scope_fifo"
        | "rayon_core::scope"
        | "rayon_core::scope_fifo" => "rayon::Scope",
        _ => return None,
    })
}

/// Methods on a known type that take a scope closure (`pool.scope(|s| …)`).
pub fn scope_method_param_type(receiver: &'static str, method: &str) -> Option<&'static str> {
    match (receiver, method) {
        ("rayon::ThreadPool", "scope" | "scope_fifo" | "in_place_scope") => Some("rayon::Scope"),
        // crossbeam and rayon hand the scope to nested spawns too: `s.spawn(|s| …)`.
        ("crossbeam::thread::Scope", "spawn") => Some("crossbeam::thread::Scope"),
        ("rayon::Scope", "spawn") => Some("rayon::Scope"),
        _ => None,
    }
}

/// The outermost named type of a type expression, seeing through references, smart pointers
/// and `Option`: `&Arc<JoinSet<()>>` → `JoinSet`'s path.
pub fn type_path(ty: &syn::Type) -> Option<&syn::Path> {
    match ty {
        syn::Type::Reference(r) => type_path(&r.elem),
        syn::Type::Paren(p) => type_path(&p.elem),
        syn::Type::Group(g) => type_path(&g.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            if matches!(name.as_str(), "Arc" | "Rc" | "Box" | "Option" | "Mutex" | "RwLock") {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    for arg in &args.args {
                        if let syn::GenericArgument::Type(inner) = arg {
                            return type_path(inner);
                        }
                    }
                }
            }
            Some(&p.path)
        }
        _ => None,
    }
}
