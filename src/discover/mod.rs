//! Which files to check, and which package each belongs to.
//!
//! Two ways in: Cargo packages found with `cargo metadata` ([`cargo`]), or files and folders
//! named on the command line ([`paths`]). Both end in the same [`Plan`]: the packages, their
//! manifests (added to the run's [`SourceMap`] so future manifest lints can point into them),
//! and the Rust files, deduplicated and sorted by the path shown to the user.

mod cargo;
mod manifest;
mod paths;
mod shown;
mod walk;

pub use shown::shown_path;

use crate::cli::InputArgs;
use crate::error::Error;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use taskcheck_lints::{PackageInfo, SourceFile, SourceMap};

/// What a run will check.
#[derive(Debug, Default)]
pub struct Plan {
    pub packages: Vec<PackageInfo>,
    /// Sorted by [`RustFile::shown`], each file once.
    pub files: Vec<RustFile>,
    /// Folders that could not be listed: reported as `io_error`s, the rest of the run goes on.
    pub unlisted: Vec<Unlisted>,
}

/// One Rust file to analyse.
#[derive(Debug, Clone)]
pub struct RustFile {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it: relative to the current directory where possible, `/`-separated.
    pub shown: PathBuf,
    /// Index into [`Plan::packages`].
    pub package: usize,
    /// Under the package's `tests/` folder.
    pub is_test_file: bool,
}

#[derive(Debug, Clone)]
pub struct Unlisted {
    pub shown: PathBuf,
    pub reason: String,
}

/// Finds the files to check. `cwd` is the directory relative paths are taken from and shown
/// against; manifests are added to `sources`.
pub fn discover(input: &InputArgs, cwd: &Path, sources: &mut SourceMap) -> Result<Plan, Error> {
    let mut plan = if input.paths.is_empty() {
        cargo::discover(input, cwd, sources)?
    } else {
        paths::discover(&input.paths, cwd, sources)?
    };
    plan.finish();
    Ok(plan)
}

impl Plan {
    /// Sorts files by shown path and drops repeats (a file named directly and inside a named
    /// folder, or two spellings of one path).
    fn finish(&mut self) {
        let mut seen = HashSet::new();
        self.files.retain(|f| seen.insert(identity(&f.path)));
        self.files.sort_by(|a, b| a.shown.cmp(&b.shown));
        self.unlisted.sort_by(|a, b| a.shown.cmp(&b.shown));
    }
}

/// One key per file on disk, however it was spelled.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Adds a package's `Cargo.toml` to the source map, when it can be read as UTF-8 (a manifest
/// that cannot be read only means manifest lints have nothing to point into).
fn add_manifest(manifest: &Path, cwd: &Path, sources: &mut SourceMap) -> Option<taskcheck_lints::FileId> {
    let text = std::fs::read_to_string(manifest).ok()?;
    Some(sources.add(SourceFile::new(shown_path(manifest, cwd), text)))
}
