//! What the pass records where a lock is taken or a lock may be reached: a lock-method call
//! ([`Acquisition`]), a call of a guard-returning wrapper of the file, a condition-variable
//! wait, an `.await`, and a call of a function of the file that may lock ([`HeldCall`]), each
//! with the guards alive at that point.
//!
//! It is separate from the walk ([`super::control`]), which says when these points are
//! reached, and from [`super::guards`], which follows the guard an acquisition produces.

use super::{call_path_text, strip_parens, After, Pass};
use crate::facts::flow::Node;
use crate::facts::locks::calls;
use crate::facts::locks::keys::{KeyRoot, LockKey};
use crate::facts::locks::kinds::{AcqMode, LockFamily, LockKind, LockType};
use crate::facts::locks::records::{Acquisition, GuardId, HeldAwait, HeldCall, Holder};
use crate::facts::walk::{expr_text, span_of_span};
use syn::Expr;

/// A call that may run a function of this file (see [`Pass::call_shape`]).
struct CallShape<'a> {
    name: String,
    is_method: bool,
    /// The receiver's lock path, when it is not `self`.
    receiver: Option<LockKey>,
    receiver_ty: Option<String>,
    receiver_text: String,
    /// For `Type::name(…)` and `Self::name(…)`: the type (`Self` resolved).
    path_ty: Option<String>,
    /// For a function named through its module (`store::register(…)`), the call as written:
    /// it is never resolved within the file.
    text: Option<String>,
    args: Vec<&'a Expr>,
}

impl CallShape<'_> {
    /// The call as written, short: `self.flush()`, `read_block(…)`.
    fn text(&self) -> String {
        if let Some(text) = &self.text {
            return text.clone();
        }
        let dots = if self.args.is_empty() { "" } else { "…" };
        match (&self.path_ty, self.is_method) {
            (_, true) => format!("{}.{}({dots})", self.receiver_text, self.name),
            (Some(ty), false) => format!("{ty}::{}({dots})", self.name),
            (None, false) => format!("{}({dots})", self.name),
        }
    }
}

impl<'p, 'a> Pass<'p, 'a> {
    pub(super) fn acquire(&mut self, e: &'a Expr, site_idx: usize) {
        let site = &self.facts.lock_sites[site_idx];
        let parent = self.anc.iter().rev().skip(1).find_map(|n| match n {
            Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
            Node::Expr(p) => Some(Some(*p)),
            _ => Some(None),
        });
        let parent = parent.flatten();
        let blocking_method = site.call.method.to_string().starts_with("blocking_");
        if site.ty.is_some_and(|t| t.family == LockFamily::Local) && parent.is_some_and(pins_future) {
            // `Box::pin(lock.write())` on a lock of this crate: a lock future polled by hand,
            // not a blocking acquisition.
            return;
        }
        let site_ty = site.ty.map(|mut t| {
            if t.family == LockFamily::Local {
                let awaited = matches!(parent, Some(Expr::Await(_)));
                t.family = if awaited { LockFamily::UnknownAsync } else { LockFamily::UnknownSync };
            }
            t
        });
        let (ty, type_known) = match site_ty {
            Some(t) => {
                if t.family.is_async() && !site.is_try && !blocking_method && !matches!(parent, Some(Expr::Await(_))) {
                    // A lock future that is not awaited here: not an acquisition.
                    return;
                }
                let fits = match t.kind {
                    LockKind::Mutex | LockKind::Reentrant => site.mode == AcqMode::Exclusive,
                    LockKind::RwLock => site.mode != AcqMode::Exclusive,
                };
                if !fits {
                    return;
                }
                (t, true)
            }
            None => {
                // `try_lock().unwrap()` is tokio's API too: no evidence of a blocking lock.
                if site.is_try {
                    return;
                }
                let kind = if site.mode == AcqMode::Exclusive { LockKind::Mutex } else { LockKind::RwLock };
                let family = match parent {
                    Some(Expr::MethodCall(m))
                        if matches!(m.method.to_string().as_str(), "unwrap" | "expect" | "unwrap_or_else")
                            && std::ptr::eq(&*m.receiver, e) =>
                    {
                        LockFamily::UnknownSync
                    }
                    Some(Expr::Await(_)) => LockFamily::UnknownAsync,
                    _ => return,
                };
                (LockType { family, kind, name: "" }, false)
            }
        };
        let receiver: &'a Expr = &site.call.receiver;
        let key = self.lock_key(receiver);
        let global = key.as_ref().and_then(|k| self.global_key(k));
        let lock_text = expr_text(receiver);
        let method = site.call.method.to_string();
        let call_text = format!("{lock_text}.{method}()");
        self.record(
            e,
            Acquisition {
                site: site_idx,
                fn_id: self.fn_id,
                context: self.context,
                span: self.span(e),
                lock_text,
                method,
                key,
                global,
                ty,
                type_known,
                mode: site.mode,
                is_try: site.is_try,
                held: self.live_real(),
                guard: None,
                order: self.order.clone(),
                via: None,
                call_text,
                callback: self.callbacks.last().cloned(),
                pending: false,
                pending_held: self.live_pending(),
            },
        );
    }

    /// A call of a guard-returning wrapper of this file (see [`calls::find_wrappers`]): an
    /// acquisition of the lock whose guard it returns, in the caller's terms. Whether it was.
    pub(super) fn wrapper_call(&mut self, e: &'a Expr) -> bool {
        let Some(shape) = self.call_shape(e) else { return false };
        let Some(w) = self.wrappers.get(&shape.name) else { return false };
        if w.is_method != shape.is_method
            || (shape.receiver.is_some() && (shape.receiver_ty.is_none() || shape.receiver_ty != w.self_ty))
        {
            return false;
        }
        if shape.is_method
            && shape.receiver.is_none()
            && self.self_ty.is_some()
            && w.self_ty.is_some()
            && self.self_ty != w.self_ty
        {
            // `self.m()` runs a method of the caller's own type.
            return false;
        }
        let awaited = matches!(self.parent_expr(), Some(Expr::Await(_)));
        if w.is_async && !awaited {
            // A future that is not awaited here: it locks later, if ever.
            return true;
        }
        let inner = self.out.acquisitions[w.acq].clone();
        let Some(inner_key) = &inner.key else { return false };
        let keys: Vec<Option<LockKey>> = shape.args.iter().map(|a| self.lock_key(a)).collect();
        let globals: Vec<Option<String>> = keys.iter().map(|k| k.as_ref().and_then(|k| self.global_key(k))).collect();
        let params = calls::params_of(self.facts, w.fn_id);
        let args = calls::CallArgs {
            is_method: shape.is_method,
            receiver: shape.receiver.as_ref(),
            args: &keys,
            args_global: &globals,
        };
        let Some((key, global)) = calls::map_key(args, &params, inner_key, inner.global.as_ref()) else { return false };
        let global = match &inner_key.root {
            KeyRoot::Local(_) => self.global_key(&key),
            _ => global,
        };
        let lock_text = match (&inner_key.root, &shape.receiver) {
            (KeyRoot::SelfValue | KeyRoot::Static(_) | KeyRoot::ThreadLocal(_), None) => inner.lock_text.clone(),
            (KeyRoot::SelfValue, Some(_)) => format!("{}{}", shape.receiver_text, inner_key.path),
            (KeyRoot::Static(_) | KeyRoot::ThreadLocal(_), Some(_)) => inner.lock_text.clone(),
            (KeyRoot::Local(b), _) => {
                let pos = params.iter().position(|p| *p == Some(*b));
                match pos.and_then(|p| shape.args.get(p)) {
                    Some(a) => format!("{}{}", expr_text(a), inner_key.path),
                    None => return false,
                }
            }
        };
        let call_text = shape.text();
        self.record(
            e,
            Acquisition {
                site: inner.site,
                fn_id: self.fn_id,
                context: self.context,
                span: self.span(e),
                lock_text,
                method: shape.name.clone(),
                key: Some(key),
                global,
                ty: inner.ty,
                type_known: inner.type_known,
                mode: inner.mode,
                is_try: false,
                held: self.live_real(),
                guard: None,
                order: self.order.clone(),
                via: Some(w.acq),
                call_text,
                callback: self.callbacks.last().cloned(),
                pending: false,
                pending_held: self.live_pending(),
            },
        );
        true
    }

    /// The nearest enclosing expression, parentheses skipped.
    fn parent_expr(&self) -> Option<&'a Expr> {
        self.anc
            .iter()
            .rev()
            .skip(1)
            .find_map(|n| match n {
                Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
                Node::Expr(p) => Some(Some(*p)),
                _ => Some(None),
            })
            .flatten()
    }

    /// The guard a condvar wait is given: a local holding one (`g`, `&mut g`), or a lock taken
    /// in the argument itself.
    pub(super) fn waited_guard(&self, m: &'a syn::ExprMethodCall) -> (Option<GuardId>, Option<usize>) {
        let Some(mut arg) = m.args.first() else { return (None, None) };
        while let Expr::Reference(r) = strip_parens(arg) {
            arg = &r.expr;
        }
        let arg = strip_parens(arg);
        if let Expr::Path(p) = arg {
            let guard = p.path.get_ident().and_then(|i| self.binding_of(i)).and_then(|b| self.st.guard_of(b));
            return (guard, None);
        }
        let mut inner = arg;
        loop {
            if let Some(&site) = self.sites.get(&(inner as *const Expr)) {
                return (None, Some(site));
            }
            inner = match strip_parens(inner) {
                Expr::MethodCall(c) => &c.receiver,
                Expr::Try(t) => &t.expr,
                _ => return (None, None),
            };
        }
    }

    pub(super) fn on_await(&mut self, a: &'a syn::ExprAwait) {
        let held = self.live_real();
        if !self.is_async || held.is_empty() {
            return;
        }
        let span = span_of_span(self.file, a.await_token.span);
        self.out.awaits.push(HeldAwait { span, held, stmt: self.stmts.last().copied() });
    }

    /// The function a call names and how it passes its receiver, when the callee can be one of
    /// this file: `name(…)`, `self.name(…)`, or a method called on a path whose type the file
    /// shows (`self.peer.name(…)` with `peer: Peer`, `other.name(…)` with `other: &Self`).
    fn call_shape(&self, e: &'a Expr) -> Option<CallShape<'a>> {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = strip_parens(&c.func) else { return None };
                if p.qself.is_some() {
                    return None;
                }
                let segments = &p.path.segments;
                let name = segments.last()?.ident.to_string();
                let before = (segments.len() >= 2).then(|| segments[segments.len() - 2].ident.to_string());
                let (path_ty, qualified) = match before {
                    None => (None, false),
                    // `Type::name(…)`, `Self::name(…)`: an associated function of a type.
                    Some(ty) if ty == "Self" => (Some(self.self_ty.clone()?), false),
                    Some(ty) if segments.len() == 2 && ty.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        (Some(ty), false)
                    }
                    // `store::register(…)`: a function of a module.
                    Some(m) if m.starts_with(|c: char| c.is_ascii_lowercase()) => (None, true),
                    Some(_) => return None,
                };
                Some(CallShape {
                    text: qualified
                        .then(|| format!("{}({})", expr_text(&c.func), if c.args.is_empty() { "" } else { "…" })),
                    name,
                    is_method: false,
                    receiver: None,
                    receiver_ty: None,
                    receiver_text: String::new(),
                    path_ty,
                    args: c.args.iter().collect(),
                })
            }
            Expr::MethodCall(m) => {
                let is_self = matches!(strip_parens(&m.receiver), Expr::Path(p) if p.path.is_ident("self"));
                let (receiver, receiver_ty) = if is_self {
                    (None, None)
                } else {
                    let key = self.lock_key(&m.receiver)?;
                    let ty = self.type_of_key(&key)?;
                    (Some(key), Some(ty))
                };
                Some(CallShape {
                    name: m.method.to_string(),
                    is_method: true,
                    receiver,
                    receiver_ty,
                    receiver_text: if is_self { "self".to_string() } else { expr_text(&m.receiver) },
                    path_ty: None,
                    text: None,
                    args: m.args.iter().collect(),
                })
            }
            _ => None,
        }
    }

    pub(super) fn held_call(&mut self, e: &'a Expr) {
        if self.st.unreachable {
            return;
        }
        let Some(shape) = self.call_shape(e) else { return };
        // Calls of the file are recorded when they may reach a lock; a call of a function no
        // file of this one defines is recorded for the crate model, which may find it in
        // another file (see `crate::model::locks`).
        let of_file = self.lock_fns.contains(shape.name.as_str()) && shape.text.is_none();
        if !of_file && (self.file_fns.contains(shape.name.as_str()) || !may_be_crate_fn(&shape)) {
            return;
        }
        if self.sites.contains_key(&(e as *const Expr)) && !of_file {
            return;
        }
        let text = shape.text();
        let qualified = shape.text.is_some();
        // Through a path, the function is the package's when the path starts at `crate`,
        // `self` or `super`, or at a type the file does not import from elsewhere.
        let first = match self.resolved.get(&(e as *const Expr)).copied().filter(|r| r.contains("::")) {
            Some(r) => {
                let first = r.split("::").next().unwrap_or("");
                let ours = matches!(first, "crate" | "self" | "super" | "Self")
                    || first.starts_with(|c: char| c.is_ascii_uppercase());
                Some(if ours { first.to_string() } else { String::new() })
            }
            None => None,
        };
        // A plain name that is a local (a closure called by name) is no function of the package.
        let local = match e {
            Expr::Call(c) => match strip_parens(&c.func) {
                Expr::Path(p) => p.path.get_ident().is_some_and(|i| self.binding_of(i).is_some()),
                _ => false,
            },
            _ => false,
        };
        let may_return_guard = !local && calls::may_return_guard(&shape.name, first.as_deref());
        let CallShape { name, is_method, receiver, receiver_ty, path_ty, args, .. } = shape;
        // A guard's own associated functions (`MutexGuard::map(g, …)`, `bump`) are std's or
        // the lock crate's, never a wrapper of this package.
        let guard_fn = path_ty.as_deref().is_some_and(|t| t.ends_with("Guard"));
        let keys: Vec<Option<LockKey>> = args.iter().map(|a| self.lock_key(a)).collect();
        // Guards moved into this call: released after it, by the scheduled release.
        let releasing: Vec<GuardId> = self
            .after
            .get(&(e as *const Expr))
            .map(|l| l.iter().filter_map(|w| if let After::Release(g, _, _) = w { Some(*g) } else { None }).collect())
            .unwrap_or_default();
        let moved = releasing
            .into_iter()
            .filter_map(|g| {
                let acq_span = self.out.acquisitions[self.out.guards[g].acq].span;
                let binding = match &self.out.guards[g].holder {
                    Holder::Binding { binding, .. } => Some(*binding),
                    Holder::Temporary(_) => None,
                };
                args.iter()
                    .position(|a| {
                        let s = self.span(*a);
                        let names_it = match strip_parens(a) {
                            Expr::Path(p) => {
                                p.path.get_ident().and_then(|i| self.binding_of(i)) == binding && binding.is_some()
                            }
                            _ => false,
                        };
                        names_it || (s.start <= acq_span.start && acq_span.end <= s.end)
                    })
                    .map(|pos| (g, pos))
            })
            .collect();
        let globals = keys.iter().map(|k| k.as_ref().and_then(|k| self.global_key(k))).collect();
        let awaited = self.anc.iter().rev().skip(1).find_map(|n| match n {
            Node::Expr(Expr::Paren(_) | Expr::Group(_)) => None,
            Node::Expr(p) => Some(matches!(p, Expr::Await(_))),
            _ => Some(false),
        }) == Some(true);
        self.out.calls.push(HeldCall {
            span: self.span(e),
            text,
            name,
            is_method,
            receiver,
            receiver_ty,
            path_ty,
            qualified,
            context: self.context,
            args: keys,
            args_global: globals,
            held: self.live_real(),
            moved,
            fn_id: self.fn_id,
            callee: None,
            awaited,
            order: self.order.clone(),
            pending_held: self.live_pending(),
            pending: None,
        });
        if !of_file && !guard_fn && may_return_guard && self.out.fn_contexts.get(&self.fn_id) == Some(&self.context) {
            self.pending_guard(e);
        }
    }

    /// Records the result of the call of another file's function just recorded as a pending
    /// guard ([`Acquisition::pending`]): if the crate model finds that the function returns a
    /// guard, this is how long the caller holds it.
    fn pending_guard(&mut self, e: &'a Expr) {
        let Some(call) = self.out.calls.len().checked_sub(1) else { return };
        let c = &self.out.calls[call];
        let pending = Acquisition {
            site: usize::MAX,
            fn_id: self.fn_id,
            context: self.context,
            span: c.span,
            lock_text: String::new(),
            method: c.name.clone(),
            key: None,
            global: None,
            ty: LockType { family: LockFamily::UnknownSync, kind: LockKind::Mutex, name: "" },
            type_known: false,
            mode: AcqMode::Exclusive,
            is_try: false,
            held: Vec::new(),
            guard: None,
            order: Vec::new(),
            via: None,
            call_text: c.text.clone(),
            callback: None,
            pending: true,
            pending_held: Vec::new(),
        };
        self.record(e, pending);
        self.out.calls[call].pending = self.out.acquisitions.last().and_then(|a| a.guard);
    }

    /// The guards alive here, pending ones ([`Acquisition::pending`]) left out.
    pub(super) fn live_real(&self) -> Vec<GuardId> {
        self.st.live.iter().copied().filter(|&g| !self.is_pending(g)).collect()
    }

    /// The pending guards alive here.
    pub(super) fn live_pending(&self) -> Vec<GuardId> {
        self.st.live.iter().copied().filter(|&g| self.is_pending(g)).collect()
    }

    pub(super) fn is_pending(&self, g: GuardId) -> bool {
        self.out.guards.get(g).and_then(|x| self.out.acquisitions.get(x.acq)).is_some_and(|a| a.pending)
    }
}

/// A call that may run a function of the crate defined in another file: a method of `self`
/// or of a receiver whose type the file shows, a function called by a plain lower-case name
/// (not a tuple struct or variant: `Some(…)`), or an associated function of a named type.
fn may_be_crate_fn(shape: &CallShape<'_>) -> bool {
    let lower = shape.name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    lower && !shape.path_ty.as_deref().or(shape.receiver_ty.as_deref()).is_some_and(is_std_type)
}

/// Types of std whose associated functions (`Vec::new`, `Arc::clone`) are never the crate's.
fn is_std_type(name: &str) -> bool {
    matches!(
        name,
        "Vec"
            | "String"
            | "Box"
            | "Arc"
            | "Rc"
            | "Weak"
            | "Mutex"
            | "RwLock"
            | "Condvar"
            | "Cell"
            | "RefCell"
            | "HashMap"
            | "HashSet"
            | "BTreeMap"
            | "BTreeSet"
            | "VecDeque"
            | "Option"
            | "Result"
            | "Duration"
            | "Instant"
            | "SystemTime"
            | "PathBuf"
            | "Path"
            | "Pin"
            | "Cow"
            | "AtomicBool"
            | "AtomicUsize"
            | "AtomicU64"
            | "AtomicU32"
            | "AtomicI64"
            | "Default"
            | "From"
            | "Into"
            | "Iterator"
            | "Ordering"
    )
}

/// `Box::pin(x)`, `Pin::new(x)`, `pin!(x)`: `x` is a future to poll, not a value to use.
fn pins_future(e: &Expr) -> bool {
    let Expr::Call(c) = e else { return false };
    matches!(
        call_path_text(c).as_deref(),
        Some("Box::pin" | "std::boxed::Box::pin" | "Pin::new" | "std::pin::Pin::new" | "__macro_pin")
    )
}
