//! Which files to check, and which package each belongs to.
//!
//! Two ways in: Cargo packages found with `cargo metadata` ([`cargo`]), or files and folders
//! named on the command line ([`paths`]). Both end in the same [`Plan`]: the packages, their
//! manifests and the repository's CI files (added to the run's [`SourceMap`] for the lints that
//! read them), and the Rust files, deduplicated and sorted by the path shown to the user.

mod cargo;
mod ci;
mod manifest;
mod module_decls;
mod paths;
mod shown;
mod test_modules;
mod walk;
mod workspace;

pub use shown::shown_path;

use crate::cli::InputArgs;
use crate::error::Error;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use taskcheck_lints::{FileId, PackageInfo, SourceFile, SourceMap};

/// What a run will check.
#[derive(Debug, Default)]
pub struct Plan {
    pub packages: Vec<PackageInfo>,
    /// Sorted by [`RustFile::shown`], each file once.
    pub files: Vec<RustFile>,
    /// Folders that could not be listed: reported as `io_error`s, the rest of the run goes on.
    pub unlisted: Vec<Unlisted>,
    /// The workspace root's `Cargo.toml`, where `[profile]` settings take effect.
    pub root_manifest: Option<FileId>,
    /// The repository's CI configuration, for lints about what CI runs.
    pub ci_files: Vec<FileId>,
    /// The workspace root folder (where `taskcheck.toml` is looked for); `None` for files
    /// outside any package, whose run is rooted at the current directory.
    pub workspace_root: Option<PathBuf>,
    /// Where the run may keep its cache (`<target>/taskcheck/`): cargo's target directory of
    /// the workspace; for named files of several workspaces, that of the workspace the command
    /// runs in (`paths::cache_target`); `None`: not cached.
    pub target_directory: Option<PathBuf>,
    /// Said once on stderr before the report: how discovery had to go about it.
    pub warnings: Vec<String>,
    /// Files that may be symbolic links (found as links, or named on the command line): their
    /// identity is resolved on its own when repeats are dropped.
    links: HashSet<PathBuf>,
    /// Real folders resolved so far (discovery resolves them, and dropping repeats again).
    identities: Identities,
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
    /// Test code: under the package's `tests/` folder, or a module file that the file declaring
    /// it compiles only for tests (`#[cfg(test)] mod tests;`, [`test_modules`]).
    pub is_test_file: bool,
    /// Under the package's `examples/` or `benches/` folder: a demo or a benchmark program.
    pub is_example_file: bool,
}

#[derive(Debug, Clone)]
pub struct Unlisted {
    pub shown: PathBuf,
    pub reason: String,
}

/// Under the package's `examples/` or `benches/` folder, where cargo finds its example and
/// benchmark programs.
fn is_example_path(path: &Path, root: &Path) -> bool {
    path.starts_with(root.join("examples")) || path.starts_with(root.join("benches"))
}

/// Finds the files to check. `cwd` is the directory relative paths are taken from and shown
/// against; manifests and CI files are added to `sources`. With `remember`, what module files declare is kept under the target directory for the next
/// run (`--no-cache` turns it off, with the analysis cache).
pub fn discover(input: &InputArgs, cwd: &Path, sources: &mut SourceMap, remember: bool) -> Result<Plan, Error> {
    let mut extra = ExtraFiles { sources, cwd, added: HashMap::new() };
    let mut plan = if input.paths.is_empty() {
        cargo::discover(input, cwd, &mut extra)?
    } else {
        paths::discover(&input.paths, cwd, &mut extra)?
    };
    plan.finish();
    // Before the run computes the prefilter and the cache keys, which depend on it.
    test_modules::mark(&mut plan, remember);
    Ok(plan)
}

impl Plan {
    /// Sorts files by shown path and drops repeats (a file named directly and inside a named
    /// folder, or two spellings of one path).
    fn finish(&mut self) {
        let mut seen = HashSet::new();
        let mut identities = std::mem::take(&mut self.identities);
        let links = std::mem::take(&mut self.links);
        self.files.retain(|f| seen.insert(identities.of(&f.path, links.contains(&f.path))));
        self.files.sort_by(|a, b| a.shown.cmp(&b.shown));
        self.unlisted.sort_by(|a, b| a.shown.cmp(&b.shown));
    }
}

/// One key per file on disk, however it was spelled.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// [`identity`] for many files: a file on its own only when it may be a symbolic link, else
/// its real folder joined with its name, each folder resolved once from its parent's real
/// path (resolving every path with `realpath` costs a `readlink` per component, which was a
/// good part of a cached run on a big tree).
#[derive(Debug, Default)]
struct Identities {
    folders: HashMap<PathBuf, PathBuf>,
}

impl Identities {
    fn of(&mut self, path: &Path, may_be_link: bool) -> PathBuf {
        match (path.parent(), path.file_name()) {
            (Some(folder), Some(name)) if !may_be_link && path.is_absolute() => self.folder(folder).join(name),
            _ => identity(path),
        }
    }

    fn folder(&mut self, dir: &Path) -> PathBuf {
        if let Some(real) = self.folders.get(dir) {
            return real.clone();
        }
        let is_link = std::fs::symlink_metadata(dir).map_or(true, |m| m.file_type().is_symlink());
        let real = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) if !is_link => self.folder(parent).join(name),
            _ => identity(dir),
        };
        self.folders.insert(dir.to_path_buf(), real.clone());
        real
    }
}

/// Adds the files lints read besides Rust code (manifests, CI configuration) to the source
/// map, each once. One that cannot be read as UTF-8 is left out: it only means those lints have
/// nothing to point into.
struct ExtraFiles<'a> {
    sources: &'a mut SourceMap,
    cwd: &'a Path,
    added: HashMap<PathBuf, Option<FileId>>,
}

impl ExtraFiles<'_> {
    fn add(&mut self, path: &Path) -> Option<FileId> {
        let key = identity(path);
        if let Some(id) = self.added.get(&key) {
            return *id;
        }
        let id = std::fs::read_to_string(path)
            .ok()
            .map(|text| self.sources.add(SourceFile::new(shown_path(path, self.cwd), text)));
        self.added.insert(key, id);
        id
    }

    /// The CI files that cover the workspace rooted at `dir` ([`ci::covering_root`]).
    fn add_ci_files(&mut self, dir: &Path) -> Vec<FileId> {
        ci::ci_files(&ci::covering_root(dir)).iter().filter_map(|f| self.add(f)).collect()
    }
}

/// Writes `files` (paths relative to `root`, folders created) for the discovery tests.
#[cfg(test)]
pub(crate) fn write_test_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("folders");
        std::fs::write(full, text).expect("write");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use write_test_files as write;

    fn input(paths: &[&Path], package: &[&str]) -> InputArgs {
        InputArgs {
            paths: paths.iter().map(|p| p.to_path_buf()).collect(),
            manifest_path: None,
            package: package.iter().map(|p| p.to_string()).collect(),
            workspace: false,
            exclude: Vec::new(),
            no_cargo_metadata: false,
        }
    }

    fn shown(sources: &SourceMap, id: Option<FileId>) -> Option<String> {
        id.map(|id| sources.get(id).path().to_string_lossy().replace('\\', "/"))
    }

    /// The workspace phase gets the root manifest and the CI files, however the run selects.
    #[test]
    fn root_manifest_and_ci_files_for_both_ways_in() {
        let repo = tempfile::tempdir().expect("temporary folder");
        let root = std::fs::canonicalize(repo.path()).expect("canonical");
        write(
            &root,
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                (".github/workflows/ci.yml", "on: push\n"),
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"a\"]\nresolver = \"2\"\n[profile.release]\npanic = \"abort\"\n",
                ),
                ("a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\n"),
                ("a/src/lib.rs", "pub fn f() {}\n"),
            ],
        );
        for plan_input in [input(&[], &["a"]), input(&[Path::new("a/src")], &[])] {
            let mut sources = SourceMap::default();
            let plan = discover(&plan_input, &root, &mut sources, false).expect("discovery");
            assert_eq!(shown(&sources, plan.root_manifest).as_deref(), Some("Cargo.toml"), "{plan_input:?}");
            let ci: Vec<_> = plan.ci_files.iter().map(|id| shown(&sources, Some(*id)).unwrap_or_default()).collect();
            assert_eq!(ci, [".github/workflows/ci.yml"], "{plan_input:?}");
            assert_eq!(shown(&sources, plan.packages[0].manifest).as_deref(), Some("a/Cargo.toml"));
            assert_eq!(plan.files.len(), 1);
        }
    }
}
