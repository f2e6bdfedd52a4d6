//! Walking a folder for `.rs` files, skipping what is not source: build output, hidden folders
//! (`.git`) and, for a package, the folders of packages nested inside it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

pub struct WalkOptions<'a> {
    /// Folders never entered (the workspace's target directory wherever it is configured).
    pub skip: &'a [PathBuf],
    /// Leave out subfolders with their own `Cargo.toml`: they are other packages, checked (or
    /// not) on their own terms.
    pub skip_nested_packages: bool,
}

/// What one walk found.
#[derive(Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// The files among them that are symbolic links: the only ones whose real path is not
    /// their real folder's path joined with their name.
    pub links: HashSet<PathBuf>,
    /// Paths that could not be listed, with the reason.
    pub errors: Vec<(PathBuf, String)>,
}

pub fn rust_files(root: &Path, options: &WalkOptions<'_>, found: &mut Found) {
    let walker = WalkDir::new(root).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e, options)) {
        match entry {
            Ok(entry) if is_rust_file(&entry) => {
                if entry.path_is_symlink() {
                    found.links.insert(entry.path().to_path_buf());
                }
                found.files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let reason = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                found.errors.push((path, reason));
            }
        }
    }
}

fn is_rust_file(entry: &DirEntry) -> bool {
    let is_file = entry.file_type().is_file() || (entry.path_is_symlink() && entry.path().is_file());
    is_file && entry.path().extension().is_some_and(|e| e == "rs")
}

fn is_skipped_dir(entry: &DirEntry, options: &WalkOptions<'_>) -> bool {
    if !entry.file_type().is_dir() {
        return false;
    }
    let path = entry.path();
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.')
        || (name == "target" && is_build_output(path))
        || options.skip.iter().any(|s| s == path)
        || (options.skip_nested_packages && path.join("Cargo.toml").is_file())
}

/// A `target` folder next to a `Cargo.toml`, or any folder cargo tagged as a cache. A
/// `src/target/` module folder is neither and is walked.
fn is_build_output(dir: &Path) -> bool {
    let beside_manifest = dir.parent().is_some_and(|p| p.join("Cargo.toml").is_file());
    beside_manifest || dir.join("CACHEDIR.TAG").is_file()
}
