//! Reading a `Cargo.toml` without cargo, for files checked by path: the edition and the names
//! of the dependencies are all the lints need. Anything missing or malformed falls back to the
//! defaults; checking a file must never fail because of its manifest.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use taskcheck_lints::PackageInfo;
use toml::{Table, Value};

const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The package described by `manifest` (which exists). Without a readable `[package]` the
/// defaults stand, with the folder as root.
pub fn read_package(manifest: &Path) -> PackageInfo {
    let root = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut info = PackageInfo { root, ..PackageInfo::default() };
    let Some(table) = read_table(manifest) else { return info };
    let Some(package) = table.get("package").and_then(Value::as_table) else { return info };
    if let Some(name) = package.get("name").and_then(Value::as_str) {
        info.name = name.to_string();
    }
    info.edition = match package.get("edition") {
        // Cargo's default when a package names no edition.
        None => 2015,
        Some(Value::String(e)) => parse_edition(e).unwrap_or(info.edition),
        Some(Value::Table(t)) if t.get("workspace").and_then(Value::as_bool) == Some(true) => {
            workspace_edition(&info.root).unwrap_or(info.edition)
        }
        Some(_) => info.edition,
    };
    info.dependencies = dependency_names(&table);
    info
}

pub fn parse_edition(edition: &str) -> Option<u16> {
    match edition {
        "2015" => Some(2015),
        "2018" => Some(2018),
        "2021" => Some(2021),
        "2024" => Some(2024),
        _ => None,
    }
}

pub fn read_table(manifest: &Path) -> Option<Table> {
    std::fs::read_to_string(manifest).ok()?.parse::<Table>().ok()
}

/// `edition.workspace = true`: the edition is in the nearest enclosing `[workspace.package]`.
fn workspace_edition(package_root: &Path) -> Option<u16> {
    let table = read_table(&workspace_manifest(&package_root.join("Cargo.toml"))?)?;
    let package = table.get("workspace")?.get("package")?.as_table()?;
    parse_edition(package.get("edition")?.as_str()?)
}

/// The nearest `Cargo.toml` at or above `manifest` that has a `[workspace]` table.
pub fn workspace_manifest(manifest: &Path) -> Option<PathBuf> {
    let dir = manifest.parent()?;
    // Most manifests on the way up are packages' own: only one whose bytes name a workspace is
    // parsed (parsing every package's manifest again was a tenth of a cached rerun).
    dir.ancestors().map(|d| d.join("Cargo.toml")).find(|m| {
        let Ok(text) = std::fs::read_to_string(m) else { return false };
        text.contains("workspace") && text.parse::<Table>().is_ok_and(|t| t.contains_key("workspace"))
    })
}

/// Every dependency of every kind and target: its key and, when renamed, the real name
/// (`package = "…"`), since code may use either.
fn dependency_names(manifest: &Table) -> BTreeSet<String> {
    let mut tables: Vec<&Table> = DEPENDENCY_TABLES.iter().filter_map(|k| manifest.get(*k)?.as_table()).collect();
    if let Some(targets) = manifest.get("target").and_then(Value::as_table) {
        for target in targets.values().filter_map(Value::as_table) {
            tables.extend(DEPENDENCY_TABLES.iter().filter_map(|k| target.get(*k)?.as_table()));
        }
    }
    let mut names = BTreeSet::new();
    for (key, spec) in tables.into_iter().flatten() {
        names.insert(key.clone());
        if let Some(real) = spec.get("package").and_then(Value::as_str) {
            names.insert(real.to_string());
        }
    }
    names
}

/// The nearest `Cargo.toml` in `dir` or above it.
pub fn nearest_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join("Cargo.toml")).find(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_edition_and_every_dependency_name() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(
            &manifest,
            r#"
[package]
name = "svc"
edition = "2024"

[dependencies]
tokio = { version = "1", features = ["full"] }
rt = { package = "async-std", version = "1" }

[dev-dependencies]
tempfile = "3"

[target.'cfg(unix)'.build-dependencies]
cc = "1"
"#,
        )
        .unwrap();
        let info = read_package(&manifest);
        assert_eq!(info.name, "svc");
        assert_eq!(info.edition, 2024);
        assert_eq!(info.root, dir.path());
        let deps: Vec<&str> = info.dependencies.iter().map(String::as_str).collect();
        assert_eq!(deps, ["async-std", "cc", "rt", "tempfile", "tokio"]);
    }

    #[test]
    fn inherited_edition_and_broken_manifests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\npackage.edition = \"2018\"\n").unwrap();
        let member = dir.path().join("m");
        std::fs::create_dir(&member).unwrap();
        std::fs::write(member.join("Cargo.toml"), "[package]\nname = \"m\"\nedition.workspace = true\n").unwrap();
        assert_eq!(read_package(&member.join("Cargo.toml")).edition, 2018);

        std::fs::write(member.join("Cargo.toml"), "[package]\nname = \"m\"\n").unwrap();
        assert_eq!(read_package(&member.join("Cargo.toml")).edition, 2015, "cargo's default");

        std::fs::write(member.join("Cargo.toml"), "this is not toml [").unwrap();
        let info = read_package(&member.join("Cargo.toml"));
        assert_eq!((info.name.as_str(), info.edition), ("", PackageInfo::default().edition));
    }
}
