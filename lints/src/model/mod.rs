//! The crate model: what the files of one package tell about each other, put together in the
//! workspace phase.
//!
//! Each file exports compact, owned summaries of its functions ([`crate::ExportedFact`]); they
//! are what the analysis cache keeps per file, so a rerun after a one-file change redoes that
//! file's summary and the joining below, never the parsing of the others. The workspace phase
//! joins a package's summaries: functions by their type and name, calls resolved to them, and
//! what each function reaches through calls computed to a fixpoint. Lints read the joined
//! model instead of re-deriving facts.
//!
//! - [`locks`]: the locks a function takes, in its own body, through the calls of its file,
//!   and through calls into the other files of its package.
//! - [`spawns`]: spawned work that runs a function of another file, and whether that
//!   function loops forever.
//!
//! The model sits between the facts (one file's syntax) and the rules: it reads facts types,
//! never rules.

pub mod locks;
pub mod spawns;
