//! A workspace's packages, from `cargo metadata` or, when cargo cannot list them (a
//! `rust-toolchain.toml` naming a toolchain that is not installed, a dependency on a registry
//! this machine does not know, a member glob matching a folder that is no package), read from
//! the manifests the way cargo reads them: the root is the nearest `[workspace]` above the
//! package that does not exclude it; its members are the `members` paths and globs, minus
//! `exclude`, plus the root package and path dependencies inside the root; `default-members`
//! likewise. Only what taskcheck needs is read: names, editions, dependency names.

use super::manifest::{read_package, read_table};
use crate::config::normalize;
use cargo_metadata::Metadata;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use toml::{Table, Value};

/// The packages of one workspace, in a stable order.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub target_directory: PathBuf,
    pub members: Vec<Member>,
    /// Indices into `members`: what a bare `cargo build` in a virtual root builds.
    pub default_members: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub manifest: PathBuf,
    pub edition: u16,
    /// Every dependency's key and, when renamed, its real name.
    pub dependencies: BTreeSet<String>,
}

impl Member {
    pub fn folder(&self) -> PathBuf {
        self.manifest.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

impl Workspace {
    pub fn from_metadata(metadata: &Metadata) -> Workspace {
        let packages = metadata.workspace_packages();
        let members: Vec<Member> = packages
            .iter()
            .map(|p| {
                let mut dependencies = BTreeSet::new();
                for dependency in &p.dependencies {
                    dependencies.insert(dependency.name.clone());
                    dependencies.extend(dependency.rename.clone());
                }
                Member {
                    name: p.name.to_string(),
                    manifest: p.manifest_path.clone().into_std_path_buf(),
                    edition: super::manifest::parse_edition(p.edition.as_str())
                        .unwrap_or(taskcheck_lints::PackageInfo::default().edition),
                    dependencies,
                }
            })
            .collect();
        // Cargo before 1.71 does not report default members; every member is one then.
        let default_members = if metadata.workspace_default_members.is_available() {
            let defaults = metadata.workspace_default_packages();
            (0..packages.len()).filter(|&i| defaults.iter().any(|d| d.id == packages[i].id)).collect()
        } else {
            (0..members.len()).collect()
        };
        Workspace {
            root: metadata.workspace_root.clone().into_std_path_buf(),
            target_directory: metadata.target_directory.clone().into_std_path_buf(),
            members,
            default_members,
        }
    }

    /// The workspace holding the package or virtual root of `manifest`, from the manifests
    /// alone. `None` when `manifest` itself cannot be read as TOML.
    pub fn read(manifest: &Path, cwd: &Path) -> Option<Workspace> {
        let manifest = normalize(&cwd.join(manifest));
        let own = read_table(&manifest)?;
        let (root_manifest, root_table) = match find_root(&manifest, &own) {
            Some(found) => found,
            None => (manifest.clone(), own),
        };
        let root = root_manifest.parent().map(Path::to_path_buf).unwrap_or_default();
        let config = root_table.get("workspace").and_then(Value::as_table);
        let mut members = Vec::new();
        let add = |manifest: &Path, members: &mut Vec<Member>| {
            if !members.iter().any(|m: &Member| m.manifest == manifest) && manifest.is_file() {
                members.push(member(manifest));
            }
        };
        if root_table.contains_key("package") {
            add(&root_manifest, &mut members);
        }
        let Some(config) = config else {
            // A package outside any workspace is a workspace of its own.
            let target_directory = target_directory(&root, cwd);
            return Some(Workspace { root, target_directory, members, default_members: vec![0] });
        };
        let excluded = Exclusions::of(&root, config);
        for folder in paths_of(&root, config, "members") {
            let manifest = folder.join("Cargo.toml");
            // Cargo stops at a matched folder that is no package; listing the others is the
            // point of reading the manifests.
            if !excluded.excludes(&manifest) {
                add(&manifest, &mut members);
            }
        }
        // Path dependencies inside the root are members too, as cargo makes them.
        let mut next = 0;
        while next < members.len() {
            let folder = members[next].folder();
            for path in path_dependencies(&members[next].manifest) {
                let dependency = normalize(&folder.join(path)).join("Cargo.toml");
                if dependency.starts_with(&root) && !excluded.excludes(&dependency) {
                    add(&dependency, &mut members);
                }
            }
            next += 1;
        }
        let default_members = match config.get("default-members") {
            Some(_) => {
                let folders = paths_of(&root, config, "default-members");
                (0..members.len()).filter(|&i| folders.contains(&members[i].folder())).collect()
            }
            None if root_table.contains_key("package") => vec![0],
            None => (0..members.len()).collect(),
        };
        let target_directory = target_directory(&root, cwd);
        Some(Workspace { root, target_directory, members, default_members })
    }
}

fn member(manifest: &Path) -> Member {
    let info = read_package(manifest);
    let name = if info.name.is_empty() {
        // An unreadable `[package]`: the folder's name stands in for it.
        manifest.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        info.name
    };
    Member { name, manifest: manifest.to_path_buf(), edition: info.edition, dependencies: info.dependencies }
}

/// The workspace root of the package at `manifest` (whose table is `own`): itself when it has
/// a `[workspace]`, the folder `package.workspace` names, or the nearest manifest above with a
/// `[workspace]` that does not exclude it. `None` when the package is no member of any.
fn find_root(manifest: &Path, own: &Table) -> Option<(PathBuf, Table)> {
    if own.contains_key("workspace") {
        return None;
    }
    let folder = manifest.parent()?;
    let package = own.get("package").and_then(Value::as_table);
    if let Some(path) = package.and_then(|p| p.get("workspace")).and_then(Value::as_str) {
        let root = normalize(&folder.join(path)).join("Cargo.toml");
        let table = read_table(&root)?;
        return Some((root, table));
    }
    for dir in folder.ancestors().skip(1) {
        let candidate = dir.join("Cargo.toml");
        let Some(table) = candidate.is_file().then(|| read_table(&candidate)).flatten() else { continue };
        let Some(config) = table.get("workspace").and_then(Value::as_table) else { continue };
        if Exclusions::of(dir, config).excludes(manifest) {
            continue;
        }
        // Cargo refuses a package that is neither a member nor excluded; it is then taken on
        // its own, which is what its author most likely meant.
        let is_member = paths_of(dir, config, "members").iter().any(|m| m == folder);
        return is_member.then_some((candidate, table));
    }
    None
}

/// `exclude` of a workspace: a manifest under an excluded folder is no member, unless a
/// `members` entry names its folder (or one above it) literally.
struct Exclusions {
    excluded: Vec<PathBuf>,
    explicit: Vec<PathBuf>,
}

impl Exclusions {
    fn of(root: &Path, config: &Table) -> Exclusions {
        let list = |key: &str| -> Vec<PathBuf> {
            strings(config, key).into_iter().filter(|s| !has_glob(s)).map(|s| normalize(&root.join(s))).collect()
        };
        Exclusions { excluded: list("exclude"), explicit: list("members") }
    }

    fn excludes(&self, manifest: &Path) -> bool {
        self.excluded.iter().any(|e| manifest.starts_with(e)) && !self.explicit.iter().any(|m| manifest.starts_with(m))
    }
}

fn strings(table: &Table, key: &str) -> Vec<String> {
    let items = table.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    items.iter().filter_map(Value::as_str).map(str::to_string).collect()
}

/// The folders a `members`/`default-members` list names, globs expanded (sorted, like cargo's).
fn paths_of(root: &Path, config: &Table, key: &str) -> Vec<PathBuf> {
    strings(config, key).iter().flat_map(|pattern| expand(root, pattern)).collect()
}

fn has_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

/// The existing folders matching `pattern` (relative to `root`), one path component at a time.
fn expand(root: &Path, pattern: &str) -> Vec<PathBuf> {
    if !has_glob(pattern) {
        return vec![normalize(&root.join(pattern))];
    }
    let mut current = vec![root.to_path_buf()];
    for component in Path::new(pattern).components() {
        current = match component {
            Component::Normal(part) if has_glob(&part.to_string_lossy()) => {
                let Ok(glob) = globset::Glob::new(&part.to_string_lossy()) else { return Vec::new() };
                let matcher = glob.compile_matcher();
                let mut next = Vec::new();
                for dir in &current {
                    let Ok(entries) = std::fs::read_dir(dir) else { continue };
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(Result::ok)
                        .filter(|e| matcher.is_match(e.file_name()) && e.path().is_dir())
                        .map(|e| e.path())
                        .collect();
                    found.sort();
                    next.extend(found);
                }
                next
            }
            Component::CurDir => current,
            other => current.into_iter().map(|dir| dir.join(other)).collect(),
        };
    }
    current.iter().map(|p| normalize(p)).collect()
}

/// The `path = "…"` of every dependency of every kind and target.
fn path_dependencies(manifest: &Path) -> Vec<String> {
    let Some(table) = read_table(manifest) else { return Vec::new() };
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&Table> = kinds.iter().filter_map(|k| table.get(*k)?.as_table()).collect();
    if let Some(targets) = table.get("target").and_then(Value::as_table) {
        for target in targets.values().filter_map(Value::as_table) {
            tables.extend(kinds.iter().filter_map(|k| target.get(*k)?.as_table()));
        }
    }
    tables
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(|spec| spec.get("path")?.as_str())
        .map(str::to_string)
        .collect()
}

/// Cargo's target directory without asking cargo: `CARGO_TARGET_DIR`, else `build.target-dir`
/// of the nearest `.cargo/config.toml` above `cwd` (relative to the folder holding `.cargo`),
/// else `target/` in the workspace root.
pub fn target_directory(root: &Path, cwd: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return cwd.join(dir);
    }
    for dir in cwd.ancestors() {
        for name in ["config.toml", "config"] {
            let config = dir.join(".cargo").join(name);
            let Some(table) = config.is_file().then(|| read_table(&config)).flatten() else { continue };
            if let Some(target) = table.get("build").and_then(|b| b.get("target-dir")).and_then(Value::as_str) {
                return dir.join(target);
            }
        }
    }
    root.join("target")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::discover::write_test_files as write;

    fn package(name: &str) -> String {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
    }

    #[test]
    fn members_globs_excludes_defaults_and_path_dependencies() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        write(
            root,
            &[
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"crates/*\", \"tools/gen\"]\nexclude = [\"crates/old\"]\n\
                     default-members = [\"crates/*\"]\n",
                ),
                (
                    "crates/a/Cargo.toml",
                    &format!("{}[dependencies]\nshared = {{ path = \"../../shared\" }}\n", package("a")),
                ),
                ("crates/b/Cargo.toml", &package("b")),
                ("crates/old/Cargo.toml", &package("old")),
                ("crates/notes/README.md", "not a package\n"),
                ("shared/Cargo.toml", &package("shared")),
                ("tools/gen/Cargo.toml", &package("gen")),
            ],
        );
        let ws = Workspace::read(&root.join("Cargo.toml"), root).expect("readable");
        let names: Vec<&str> = ws.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "gen", "shared"]);
        let defaults: Vec<&str> = ws.default_members.iter().map(|&i| ws.members[i].name.as_str()).collect();
        assert_eq!(defaults, ["a", "b"]);
        assert_eq!(ws.root, root);
        // From inside a member, the same workspace.
        let from_member = Workspace::read(&root.join("crates/b/Cargo.toml"), root).expect("readable");
        assert_eq!(from_member.root, root);
        assert_eq!(from_member.members, ws.members);
        // The excluded package is a workspace of its own.
        let old = Workspace::read(&root.join("crates/old/Cargo.toml"), root).expect("readable");
        assert_eq!((old.root.as_path(), old.members.len()), (root.join("crates/old").as_path(), 1));
    }

    #[test]
    fn root_package_is_the_default_member() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        write(
            root,
            &[
                ("Cargo.toml", &format!("{}[workspace]\nmembers = [\"m\"]\n", package("top"))),
                ("m/Cargo.toml", &package("m")),
            ],
        );
        let ws = Workspace::read(&root.join("Cargo.toml"), root).expect("readable");
        let names: Vec<&str> = ws.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["top", "m"]);
        assert_eq!(ws.default_members, [0]);
        std::fs::write(root.join("Cargo.toml"), "[workspace\n").expect("write");
        assert!(Workspace::read(&root.join("Cargo.toml"), root).is_none(), "not TOML: nothing to read");
    }
}
