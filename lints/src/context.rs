//! What a lint sees: one file with its facts, or one package with every file's summary.

use crate::diagnostic::Diagnostic;
use crate::facts::Facts;
use crate::source::{FileId, SourceFile, Span};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What taskcheck knows of the package a file belongs to, from its `Cargo.toml`.
#[derive(Clone, Debug)]
pub struct PackageInfo {
    pub name: String,
    /// The folder holding `Cargo.toml`.
    pub root: PathBuf,
    /// `2015`, `2018`, `2021`, `2024`.
    pub edition: u16,
    /// Names of the package's dependencies (normal, dev and build), as written in the manifest.
    pub dependencies: BTreeSet<String>,
    /// The manifest, when it is part of the run (findings on `Cargo.toml` point into it).
    pub manifest: Option<FileId>,
    /// The project's own spawn functions (configuration's `[spawners]`): a call whose path ends
    /// with the given segments (`spawn_logged`, `rt::spawn_logged`, `actix_rt::spawn`) is a
    /// spawn that behaves like the given [`Spawner`](crate::facts::spawns::Spawner). Consulted
    /// only for calls the built-in table does not know.
    pub extra_spawners: Vec<(String, crate::facts::spawns::Spawner)>,
    /// The CI that checks this package is out of sight: a published package (crates.io ships
    /// neither `.git` nor the CI files of its repository), or a package outside any repository
    /// with no CI file around it. Lints about what CI runs say nothing about its code.
    pub ci_elsewhere: bool,
}

impl Default for PackageInfo {
    fn default() -> Self {
        PackageInfo {
            name: String::new(),
            root: PathBuf::new(),
            edition: 2021,
            dependencies: BTreeSet::new(),
            manifest: None,
            extra_spawners: Vec::new(),
            ci_elsewhere: false,
        }
    }
}

impl PackageInfo {
    pub fn depends_on(&self, krate: &str) -> bool {
        self.dependencies.contains(krate) || self.dependencies.contains(&krate.replace('_', "-"))
    }
}

/// The per-file context every file lint receives.
pub struct FileCx<'a> {
    pub file: FileId,
    pub source: &'a SourceFile,
    /// The syntax tree, with macro bodies expanded (see [`crate::facts::macros`]).
    pub ast: &'a syn::File,
    pub facts: &'a Facts<'a>,
    pub package: &'a PackageInfo,
    /// The file is a demo or a benchmark program (see [`crate::FileInput::is_example_file`]).
    pub is_example_file: bool,
    pub(crate) out: std::cell::RefCell<Vec<Diagnostic>>,
    pub(crate) exported: std::cell::RefCell<Vec<ExportedFact>>,
    /// The file's lock summaries were exported ([`crate::model::locks::export`]).
    pub(crate) lock_model_exported: std::cell::Cell<bool>,
    /// The file's module declarations were exported ([`crate::facts::modules::export_module_facts`]).
    pub(crate) module_facts_exported: std::cell::Cell<bool>,
}

impl<'a> FileCx<'a> {
    pub fn span<T: syn::spanned::Spanned + std::any::Any>(&self, node: &T) -> Span {
        crate::facts::walk::span_of(self.file, node)
    }

    pub fn span_of(&self, span: proc_macro2::Span) -> Span {
        crate::facts::walk::span_of_span(self.file, span)
    }

    pub fn snippet(&self, span: Span) -> &str {
        self.source.snippet(span)
    }

    pub fn report(&self, diagnostic: Diagnostic) {
        self.out.borrow_mut().push(diagnostic);
    }

    /// Lock acquisitions and guard scopes of this file, computed on first use by the lint that
    /// needs them (one pass per function that locks; see [`crate::facts::locks`]).
    pub fn locks(&self) -> &crate::facts::locks::LockFacts {
        self.facts.locks.get_or_init(|| crate::facts::locks::collect(self.file, self.facts, self.package.edition))
    }
}

/// An owned fact a file exports for the workspace phase (lints that compare files, or code
/// with manifests and CI configuration). File lints export them with [`FileCx::export`]; the
/// facts outlive the file's syntax tree, so they hold spans and strings, never AST references.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ExportedFact {
    /// Placeholder kept so the enum is never empty; lints add their own variants.
    Nothing,
    /// Non-test code that recovers a panic, so relies on unwinding: a `catch_unwind`, an `Err`
    /// taken from a std thread's `join()`, `JoinError::is_panic`/`into_panic`. `what` names it
    /// as written, for messages. Read by `catch_unwind_under_abort`.
    /// `at` is the span's 1-based line and column, worked out while the file's text is at hand:
    /// the workspace phase may not have it (the driver keeps only texts findings point into).
    RecoversPanic { span: Span, what: String, at: (usize, usize) },
    /// A lock taken while another is held (`lock_order_inversion`).
    LockOrder(Box<LockEdge>),
    /// A piece of unsafe concurrency in non-test code (for `missing_race_check`): `what` is
    /// how it reads (`unsafe impl Sync for Slot<T>`, `static mut HITS`; for an `UnsafeCell`,
    /// the type holding it and the field type: `Slot::UnsafeCell<T>`), `span` where it is.
    UnsafeConcurrency { kind: UnsafeConcurrencyKind, span: Span, what: String },
    /// A `mod name;` declaration at the top of the file (see [`crate::facts::modules`]):
    /// `public` for `pub mod` without `#[doc(hidden)]`; `file` is the module name its
    /// `#[path = "…"]` file stands for (`rt` for `rt/mod.rs`).
    ModuleDecl { name: String, public: bool, file: Option<String> },
    /// One name of a `pub use` item, as written (`a::B` for `pub use a::B as C`, `a::b::*` for
    /// a glob); `scope` are the inline modules around it, with whether each is `pub`.
    PublicUse { scope: Vec<(String, bool)>, path: Vec<String> },
    /// A finding that stands only if the item `name` is public API: reported in the workspace
    /// phase when [`crate::facts::modules::is_public`] says so. `inline` are the inline modules
    /// around the item in its file, with whether each is `pub`.
    PublicItemFinding { name: String, inline: Vec<(String, bool)>, finding: PendingDiagnostic },
    /// What the file declares about the modules below it, for "is this file compiled at
    /// all?" ([`crate::facts::module_tree`]).
    ModuleTree(Box<crate::facts::module_tree::ModuleTree>),
    /// A function's locks and calls, for the crate model ([`crate::model::locks`]).
    FnLocks(Box<crate::model::locks::FnLocks>),
    /// The file's generic types, traits and impls, for lookups from the other files of its
    /// package (see [`crate::facts::crate_items`]).
    ItemSummaries(Box<crate::facts::crate_items::ItemSummaries>),
    /// An `unsafe impl Send`/`Sync` that `send_sync_impl_unbounded` could not decide from its
    /// file alone: decided in the workspace phase with the package's [`ExportedFact::ItemSummaries`].
    PendingAutoImpl(Box<PendingAutoImpl>),
    /// A top-level function that loops forever ([`crate::model::spawns`]).
    EndlessFn(Box<crate::model::spawns::EndlessFn>),
    /// A spawn whose finding depends on a function of another file ([`crate::model::spawns`]).
    PendingSpawn(Box<crate::model::spawns::PendingSpawn>),
    /// A top-level function that spawns work and returns while it runs ([`crate::model::spawns`]).
    SpawningFn(Box<crate::model::spawns::SpawningFn>),
    /// A test's sleep whose finding depends on a helper of another file ([`crate::model::spawns`]).
    PendingSleep(Box<crate::model::spawns::PendingSleep>),
}

impl ExportedFact {
    /// The lint that needs the files which only support it ([`crate::prefilter::support_condition`])
    /// to decide this fact in the workspace phase. The driver reads such files only for a
    /// package where some file asks: without a pending decision they could change nothing.
    pub fn asks_support(&self) -> Option<&'static str> {
        match self {
            ExportedFact::PublicItemFinding { .. } => Some("undocumented_shared_type"),
            ExportedFact::PendingAutoImpl(_) => Some("send_sync_impl_unbounded"),
            ExportedFact::PendingSleep(_) => Some("sleep_in_test"),
            ExportedFact::PendingSpawn(_) => Some("detached_spawn"),
            _ => None,
        }
    }
}

/// An `unsafe impl Send`/`Sync` for the workspace phase, with what its diagnostic needs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingAutoImpl {
    /// `Send` or `Sync`.
    pub which: String,
    /// The inline modules around the impl in its file (`None` in a function body).
    pub scope: Option<Vec<String>>,
    /// The impl item, as text syn parses back.
    pub text: String,
    /// The self type as the message shows it (`Channel<T>`).
    pub ty: String,
    /// From `unsafe impl` to the end of the self type.
    pub header: Span,
    /// Every type parameter of the impl, in order.
    pub params: Vec<ParamSite>,
    /// The file phase's verdict when its file showed everything it needed: the positions of
    /// the parameters it left unbounded (the workspace phase still drops the finding of a file
    /// outside the module tree, or of a parameter bounded by a sealed trait).
    pub decided: Option<Vec<usize>>,
}

/// Where a type parameter of an impl is written, and where a bound would go.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParamSite {
    pub name: String,
    pub span: Span,
    /// Where a bound is inserted: after the name, or after its last bound (`has_bounds`).
    pub insert_at: Span,
    pub has_bounds: bool,
}

impl PendingAutoImpl {
    pub fn relocate(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.header);
        for p in &mut self.params {
            f(&mut p.span);
            f(&mut p.insert_at);
        }
    }
}

/// A diagnostic carried to the workspace phase; compared by position, lint and message.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PendingDiagnostic(pub Box<Diagnostic>);

impl PartialEq for PendingDiagnostic {
    fn eq(&self, other: &Self) -> bool {
        self.0.sort_key() == other.0.sort_key()
    }
}

impl Eq for PendingDiagnostic {}

/// The kinds of unsafe concurrency a race checker (Miri, loom, ThreadSanitizer) should cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum UnsafeConcurrencyKind {
    /// `unsafe impl Send` / `unsafe impl Sync`.
    UnsafeImpl,
    /// A `static mut` item.
    StaticMut,
    /// `UnsafeCell` in a file that also uses atomics: a hand-made synchronisation primitive.
    UnsafeCellWithAtomics,
}

/// `second` is locked while a guard of `first` is alive. Locks are named across functions by
/// type and field (`Bank.accounts`, `static REGISTRY`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockEdge {
    pub first: String,
    pub second: String,
    /// The locks as written at this site (`self.accounts`).
    pub first_text: String,
    pub second_text: String,
    /// How each is taken: readers do not exclude each other.
    pub first_mode: crate::facts::locks::AcqMode,
    pub second_mode: crate::facts::locks::AcqMode,
    /// The other locks held (named across functions) when `second` is taken, and how: two
    /// paths that both hold one of them exclusively never run at the same time.
    pub gates: Vec<(String, crate::facts::locks::AcqMode)>,
    /// The branches of ordering tests (`if a.id < b.id`) the second acquisition is in.
    pub order: Vec<crate::facts::locks::OrderBranch>,
    /// The acquisition of `first`.
    pub first_span: Span,
    /// The acquisition of `second`, or the call that takes it.
    pub second_span: Span,
    /// The function of this file whose call takes `second`, if not taken directly.
    pub via: Option<String>,
    /// The function the edge is in.
    pub in_fn: String,
    /// For a lock taken through calls: each step below `via`, where it is (the calls inside
    /// callees, then the acquisition), with its label.
    #[serde(default)]
    pub steps: Vec<(Span, String)>,
    /// For `first` taken through a guard-returning function of another file (`let a =
    /// self.a();`), where that function locks it, with its label.
    #[serde(default)]
    pub first_steps: Vec<(Span, String)>,
    /// The body the edge is in within its file (see [`crate::facts::locks::Acquisition::context`]),
    /// and where it runs when that body is spawned: locks local to one call of a function are
    /// shared only by the bodies it runs and spawns.
    #[serde(default)]
    pub context: u32,
    #[serde(default)]
    pub spawned: Option<crate::facts::locks::SpawnRun>,
}

impl FileCx<'_> {
    /// Hands a fact to the workspace phase.
    pub fn export(&self, fact: ExportedFact) {
        self.exported.borrow_mut().push(fact);
    }
}

/// What one file contributed to the workspace phase.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileSummary {
    pub file: FileId,
    /// Index of the file's package in [`WorkspaceCx::packages`].
    pub package: usize,
    pub facts: Vec<ExportedFact>,
}

/// The workspace phase's view: every package, every file's exported facts, the manifests
/// and CI files. Runs once per run, after every file was analysed.
pub struct WorkspaceCx<'a> {
    pub sources: &'a crate::source::SourceMap,
    pub packages: &'a [PackageInfo],
    pub files: &'a [FileSummary],
    /// The workspace root's `Cargo.toml` (where `[profile]` settings take effect), if any.
    pub root_manifest: Option<FileId>,
    /// CI configuration files found in the repository (`.github/workflows/*.yml`, …).
    pub ci_files: &'a [FileId],
    pub(crate) out: std::cell::RefCell<Vec<Diagnostic>>,
    /// The crate model's joined lock summaries of each package, built on first use and read
    /// by every lock lint ([`WorkspaceCx::locks_of`]).
    pub(crate) locks: std::cell::OnceCell<Vec<crate::model::locks::PackageLocks<'a>>>,
}

impl<'a> WorkspaceCx<'a> {
    /// The lock summaries of package `index`, joined once per run whichever lint asks first.
    pub fn locks_of(&self, index: usize) -> Option<&crate::model::locks::PackageLocks<'a>> {
        let all = self
            .locks
            .get_or_init(|| (0..self.packages.len()).map(|p| crate::model::locks::of_package(self.files, p)).collect());
        all.get(index)
    }
}

impl WorkspaceCx<'_> {
    pub fn report(&self, diagnostic: Diagnostic) {
        self.out.borrow_mut().push(diagnostic);
    }

    /// Facts exported by the files of package `index`.
    pub fn facts_of_package(&self, index: usize) -> impl Iterator<Item = (FileId, &ExportedFact)> {
        self.files.iter().filter(move |f| f.package == index).flat_map(|f| f.facts.iter().map(move |x| (f.file, x)))
    }

    /// Every exported fact of the run.
    pub fn all_facts(&self) -> impl Iterator<Item = (FileId, &ExportedFact)> {
        self.files.iter().flat_map(|f| f.facts.iter().map(move |x| (f.file, x)))
    }
}
