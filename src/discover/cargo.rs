//! Cargo packages: `cargo metadata --no-deps` names the workspace's packages and their
//! manifests without building anything or running build scripts; the selection flags pick
//! among them, and each selected package's folder is walked for Rust files.

use super::manifest::{nearest_manifest, parse_edition};
use super::walk::{rust_files, Found, WalkOptions};
use super::{identity, shown_path, ExtraFiles, Plan, RustFile, Unlisted};
use crate::cli::InputArgs;
use crate::error::Error;
use crate::suggest;
use cargo_metadata::{Metadata, MetadataCommand, Package};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use taskcheck_lints::PackageInfo;

pub(super) fn discover(input: &InputArgs, cwd: &Path, extra: &mut ExtraFiles<'_>) -> Result<Plan, Error> {
    let manifest = match &input.manifest_path {
        Some(path) => cwd.join(path),
        None => nearest_manifest(cwd).ok_or_else(|| {
            Error::new(format!("could not find `Cargo.toml` in `{}` or any parent directory", cwd.display()))
                .with_help("run inside a Cargo package, or name the files or folders to check")
        })?,
    };
    let metadata = metadata(&manifest, cwd)?;
    let selected = select(input, &metadata, &manifest)?;

    let target_dir = vec![metadata.target_directory.clone().into_std_path_buf()];
    let options = WalkOptions { skip: &target_dir, skip_nested_packages: true };
    let mut plan = Plan::default();
    for package in selected {
        let root = package.manifest_path.parent().map(|p| p.as_std_path().to_path_buf()).unwrap_or_default();
        let mut found = Found::default();
        rust_files(&root, &options, &mut found);
        let index = plan.packages.len();
        let tests = root.join("tests");
        plan.links.extend(found.links);
        plan.files.extend(found.files.into_iter().map(|path| RustFile {
            shown: shown_path(&path, cwd),
            is_test_file: path.starts_with(&tests),
            package: index,
            path,
        }));
        plan.unlisted
            .extend(found.errors.into_iter().map(|(p, reason)| Unlisted { shown: shown_path(&p, cwd), reason }));
        plan.packages.push(package_info(package, root, extra));
    }
    let workspace_root = metadata.workspace_root.as_std_path();
    plan.root_manifest = extra.add(&workspace_root.join("Cargo.toml"));
    plan.workspace_root = Some(workspace_root.to_path_buf());
    plan.target_directory = Some(metadata.target_directory.into_std_path_buf());
    plan.ci_files = extra.add_ci_files(workspace_root);
    Ok(plan)
}

fn metadata(manifest: &Path, cwd: &Path) -> Result<Metadata, Error> {
    MetadataCommand::new().no_deps().manifest_path(manifest).current_dir(cwd).exec().map_err(|e| match e {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let reason = stderr.trim().trim_start_matches("error: ").to_string();
            Error::new(format!("`cargo metadata` failed: {reason}"))
        }
        other => Error::new(format!("could not run `cargo metadata`: {other}")),
    })
}

/// `-p` names, or `--workspace` minus `--exclude`, or the package of `manifest`, or (a virtual
/// workspace root) the default members. In the workspace's order, each once.
fn select<'m>(input: &InputArgs, metadata: &'m Metadata, manifest: &Path) -> Result<Vec<&'m Package>, Error> {
    let members = metadata.workspace_packages();
    let selected: Vec<&Package> = if !input.package.is_empty() {
        let wanted = known_names(&input.package, &members, "package")?;
        members.iter().copied().filter(|p| wanted.contains(p.name.as_str())).collect()
    } else if input.workspace {
        let excluded = known_names(&input.exclude, &members, "excluded package")?;
        members.iter().copied().filter(|p| !excluded.contains(p.name.as_str())).collect()
    } else {
        let manifest = identity(manifest);
        match members.iter().copied().find(|p| identity(p.manifest_path.as_std_path()) == manifest) {
            Some(package) => vec![package],
            None => default_members(metadata),
        }
    };
    Ok(selected)
}

/// The packages a bare `cargo build` in a virtual workspace root builds.
fn default_members(metadata: &Metadata) -> Vec<&Package> {
    if metadata.workspace_default_members.is_available() {
        metadata.workspace_default_packages()
    } else {
        // Cargo before 1.71 does not report them; every member is its default then.
        metadata.workspace_packages()
    }
}

/// Checks that every name is a workspace member; a typo is an error, not an empty selection.
fn known_names<'a>(names: &'a [String], members: &[&Package], what: &str) -> Result<BTreeSet<&'a str>, Error> {
    for name in names {
        if !members.iter().any(|p| p.name.as_str() == name) {
            let error = Error::new(format!("{what} `{name}` is not a member of the workspace"));
            let help = match suggest::closest(name, members.iter().map(|p| p.name.as_str())) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the members are: {}", member_list(members)),
            };
            return Err(error.with_help(help));
        }
    }
    Ok(names.iter().map(String::as_str).collect())
}

fn member_list(members: &[&Package]) -> String {
    let names: Vec<String> = members.iter().map(|p| format!("`{}`", p.name)).collect();
    names.join(", ")
}

fn package_info(package: &Package, root: PathBuf, extra: &mut ExtraFiles<'_>) -> PackageInfo {
    let mut dependencies = BTreeSet::new();
    for dependency in &package.dependencies {
        dependencies.insert(dependency.name.clone());
        if let Some(rename) = &dependency.rename {
            dependencies.insert(rename.clone());
        }
    }
    PackageInfo {
        name: package.name.to_string(),
        edition: parse_edition(package.edition.as_str()).unwrap_or(PackageInfo::default().edition),
        dependencies,
        manifest: extra.add(package.manifest_path.as_std_path()),
        ci_elsewhere: super::ci::ci_elsewhere(&root),
        root,
        ..PackageInfo::default()
    }
}
