//! Files and folders named on the command line: no `cargo metadata`, each file's package is
//! read from its nearest `Cargo.toml` (if any).

use super::manifest::{nearest_manifest, read_package, workspace_manifest};
use super::walk::{rust_files, Found, WalkOptions};
use super::workspace::target_directory;
use super::{shown_path, ExtraFiles, Plan, RustFile, Unlisted};
use crate::emit::human::display_path;
use crate::error::Error;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use taskcheck_lints::PackageInfo;

pub(super) fn discover(paths: &[PathBuf], cwd: &Path, extra: &mut ExtraFiles<'_>) -> Result<Plan, Error> {
    let mut found = Found::default();
    // Folders named explicitly are walked whole, nested packages included: the user asked for
    // them, and each file is still attributed to its own nearest `Cargo.toml`.
    let options = WalkOptions { skip: &[], skip_nested_packages: false };
    for path in paths {
        let full = cwd.join(path);
        let shown = display_path(&shown_path(path, cwd));
        let metadata = std::fs::metadata(&full).map_err(|e| missing_path(path, &shown, &e))?;
        if metadata.is_dir() {
            rust_files(&full, &options, &mut found);
        } else if full.extension().is_some_and(|e| e == "rs") {
            found.links.insert(full.clone());
            found.files.push(full);
        } else {
            return Err(Error::new(format!("`{shown}` is not a Rust source file"))
                .with_help("name `.rs` files or folders that contain them"));
        }
    }

    let mut packages = Packages {
        extra,
        plan: Plan::default(),
        by_manifest: HashMap::new(),
        by_dir: HashMap::new(),
        manifests: HashMap::new(),
    };
    let mut identities = std::mem::take(&mut packages.plan.identities);
    for path in found.files {
        let real = identities.of(&path, found.links.contains(&path));
        let package = packages.of_file(&real);
        let root = &packages.plan.packages[package].root;
        let is_test_file = !root.as_os_str().is_empty() && real.starts_with(root.join("tests"));
        let is_example_file = !root.as_os_str().is_empty() && super::is_example_path(&real, root);
        let shown = shown_path(&path, cwd);
        packages.plan.files.push(RustFile { path, shown, package, is_test_file, is_example_file });
    }
    let first_manifest = packages.by_manifest.keys().flatten().min().cloned();
    // The workspace of each file's package (`None`: a file of no package).
    let roots: BTreeSet<Option<PathBuf>> = packages
        .by_manifest
        .keys()
        .map(|m| m.as_ref().map(|m| workspace_manifest(m).unwrap_or_else(|| m.clone())))
        .collect();
    let mut plan = packages.plan;
    plan.links = found.links;
    plan.identities = identities;
    plan.target_directory = cache_target(&roots, cwd);
    // The files may come from several packages; the workspace of the first (by path) stands
    // for the run, as `cargo metadata` would pick one workspace too.
    if let Some(manifest) = first_manifest {
        let root = workspace_manifest(&manifest).unwrap_or(manifest);
        plan.root_manifest = extra.add(&root);
        plan.workspace_root = root.parent().map(Path::to_path_buf);
        plan.ci_files = extra.add_ci_files(root.parent().unwrap_or(cwd));
    } else {
        plan.ci_files = extra.add_ci_files(cwd);
    }
    plan.unlisted =
        found.errors.into_iter().map(|(p, reason)| Unlisted { shown: shown_path(&p, cwd), reason }).collect();
    Ok(plan)
}

/// Where a run over named files keeps its cache: `CARGO_TARGET_DIR` when set; else the target
/// directory of the one workspace all the files belong to; else (files of several workspaces,
/// as in `cargo taskcheck vendor/`, or of none) that of the workspace the command runs in, as
/// cargo would use there, never one of the named crates' own. `None`: not cached.
fn cache_target(roots: &BTreeSet<Option<PathBuf>>, cwd: &Path) -> Option<PathBuf> {
    if std::env::var_os("CARGO_TARGET_DIR").is_some_and(|d| !d.is_empty()) {
        return Some(target_directory(cwd, cwd));
    }
    let root_manifest = match roots.iter().collect::<Vec<_>>().as_slice() {
        [Some(only)] => Some(only.clone()),
        _ => nearest_manifest(cwd).map(|m| workspace_manifest(&m).unwrap_or(m)),
    }?;
    let root = root_manifest.parent()?;
    Some(target_directory(root, cwd))
}

/// The subcommands a mistyped word on the command line may have meant.
const SUBCOMMANDS: [&str; 3] = ["list", "explain", "help"];

/// Why a named path cannot be checked. A word that does not exist and is close to a
/// subcommand (`lst`) was most likely meant as one, since clap takes any unknown word for a
/// path.
fn missing_path(path: &Path, shown: &str, error: &std::io::Error) -> Error {
    if error.kind() != std::io::ErrorKind::NotFound {
        return Error::new(format!("cannot check `{shown}`: {error}"));
    }
    let error = Error::new(format!("no such file or folder `{shown}`"));
    let word = path.to_str().filter(|w| !w.contains(['/', '\\', '.']));
    match word.and_then(|w| crate::suggest::closest(w, SUBCOMMANDS)) {
        Some(command) => error.with_help(format!("did you mean the subcommand `{command}`?")),
        None => error,
    }
}

/// One [`PackageInfo`] per manifest, looked up once per folder.
struct Packages<'a, 'x> {
    extra: &'a mut ExtraFiles<'x>,
    plan: Plan,
    by_manifest: HashMap<Option<PathBuf>, usize>,
    by_dir: HashMap<PathBuf, usize>,
    /// [`nearest_manifest`] of each folder looked at, and of its ancestors.
    manifests: HashMap<PathBuf, Option<PathBuf>>,
}

impl Packages<'_, '_> {
    /// [`nearest_manifest`], remembering every folder on the way up: files of one tree share
    /// their ancestors, which are then looked at once.
    fn nearest_manifest(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.manifests.get(dir) {
            return found.clone();
        }
        let own = dir.join("Cargo.toml");
        let found = if own.is_file() {
            Some(own)
        } else {
            match dir.parent() {
                Some(parent) => self.nearest_manifest(parent),
                None => nearest_manifest(dir),
            }
        };
        self.manifests.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// `real` is canonical, so walking up its ancestors is walking up real folders.
    fn of_file(&mut self, real: &Path) -> usize {
        let dir = real.parent().unwrap_or(real).to_path_buf();
        if let Some(&index) = self.by_dir.get(&dir) {
            return index;
        }
        let manifest = self.nearest_manifest(&dir);
        let index = match self.by_manifest.get(&manifest) {
            Some(&index) => index,
            None => {
                let info = match &manifest {
                    Some(m) => {
                        let package = read_package(m);
                        let ci_elsewhere = super::ci::ci_elsewhere(&package.root);
                        PackageInfo { manifest: self.extra.add(m), ci_elsewhere, ..package }
                    }
                    // No manifest at all: the defaults, with no root (so no file is a test file).
                    None => PackageInfo::default(),
                };
                self.plan.packages.push(info);
                self.by_manifest.insert(manifest, self.plan.packages.len() - 1);
                self.plan.packages.len() - 1
            }
        };
        self.by_dir.insert(dir, index);
        index
    }
}
