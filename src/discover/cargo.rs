//! Cargo packages: `cargo metadata --no-deps` names the workspace's packages and their
//! manifests without building anything or running build scripts; the selection flags pick
//! among them, and each selected package's folder is walked for Rust files.

use super::manifest::nearest_manifest;
use super::walk::{rust_files, Found, WalkOptions};
use super::workspace::{Member, Workspace};
use super::{identity, shown_path, ExtraFiles, Plan, RustFile, Unlisted};
use crate::cli::InputArgs;
use crate::error::Error;
use crate::suggest;
use cargo_metadata::MetadataCommand;
use std::collections::BTreeSet;
use std::path::Path;
use taskcheck_lints::PackageInfo;

pub(super) fn discover(input: &InputArgs, cwd: &Path, extra: &mut ExtraFiles<'_>) -> Result<Plan, Error> {
    let manifest = match &input.manifest_path {
        Some(path) => cwd.join(path),
        None => nearest_manifest(cwd).ok_or_else(|| {
            Error::new(format!("could not find `Cargo.toml` in `{}` or any parent directory", cwd.display()))
                .with_help("run inside a Cargo package, or name the files or folders to check")
        })?,
    };
    let mut warnings = Vec::new();
    let workspace = if input.no_cargo_metadata {
        Workspace::read(&manifest, cwd).ok_or_else(|| unreadable(&manifest, cwd))?
    } else {
        match metadata(&manifest, cwd) {
            Ok(workspace) => workspace,
            // What cargo could not list may still be readable: check it rather than nothing.
            Err(failure) => match Workspace::read(&manifest, cwd) {
                Some(workspace) => {
                    warnings.push(format!("{}; taskcheck read the manifests itself", failure.message));
                    workspace
                }
                None => return Err(failure),
            },
        }
    };
    let selected = select(input, &workspace, &manifest)?;

    let target_dir = vec![workspace.target_directory.clone()];
    let options = WalkOptions { skip: &target_dir, skip_nested_packages: true };
    let mut plan = Plan { warnings, ..Plan::default() };
    for package in selected {
        let root = package.folder();
        let mut found = Found::default();
        rust_files(&root, &options, &mut found);
        let index = plan.packages.len();
        let tests = root.join("tests");
        plan.links.extend(found.links);
        plan.files.extend(found.files.into_iter().map(|path| RustFile {
            shown: shown_path(&path, cwd),
            is_test_file: path.starts_with(&tests),
            is_example_file: super::is_example_path(&path, &root),
            package: index,
            path,
        }));
        plan.unlisted
            .extend(found.errors.into_iter().map(|(p, reason)| Unlisted { shown: shown_path(&p, cwd), reason }));
        plan.packages.push(PackageInfo {
            name: package.name.clone(),
            edition: package.edition,
            dependencies: package.dependencies.clone(),
            manifest: extra.add(&package.manifest),
            ci_elsewhere: super::ci::ci_elsewhere(&root),
            root,
            ..PackageInfo::default()
        });
    }
    plan.root_manifest = extra.add(&workspace.root.join("Cargo.toml"));
    plan.ci_files = extra.add_ci_files(&workspace.root);
    plan.workspace_root = Some(workspace.root);
    plan.target_directory = Some(workspace.target_directory);
    Ok(plan)
}

fn unreadable(manifest: &Path, cwd: &Path) -> Error {
    Error::new(format!("cannot read `{}` as a manifest", crate::emit::human::display_path(&shown_path(manifest, cwd))))
}

/// The workspace as `cargo metadata --no-deps` lists it. Rustup's proxy would download a
/// toolchain that `rust-toolchain.toml` pins and that is not installed, just to list the
/// workspace: `RUSTUP_AUTO_INSTALL=0` (rustup 1.28 and later) makes it fail at once instead,
/// and the manifests are then read without cargo.
fn metadata(manifest: &Path, cwd: &Path) -> Result<Workspace, Error> {
    let metadata = MetadataCommand::new()
        .no_deps()
        .manifest_path(manifest)
        .current_dir(cwd)
        .env("RUSTUP_AUTO_INSTALL", "0")
        .exec()
        .map_err(|e| match e {
            cargo_metadata::Error::CargoMetadata { stderr } => {
                Error::new(format!("`cargo metadata` failed: {}", cargo_reason(&stderr)))
            }
            other => Error::new(format!("could not run `cargo metadata`: {other}")),
        })?;
    Ok(Workspace::from_metadata(&metadata))
}

/// Cargo's error in one line: its first line and, when it has causes, the innermost one
/// (`failed to parse manifest at …: registry index was not found …`).
fn cargo_reason(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let first = lines.first().map_or("no error message", |l| l.strip_prefix("error:").unwrap_or(l).trim());
    // The last `Caused by:` block, up to a backtrace: cargo writes one cause per block (its
    // first line; notes may follow), rustup numbers several in one (`0: …`, `1: …`).
    let block: Vec<&str> = match lines.iter().rposition(|l| *l == "Caused by:") {
        Some(i) => lines[i + 1..].iter().take_while(|l| !l.starts_with("Stack backtrace")).copied().collect(),
        None => Vec::new(),
    };
    let numbered = block
        .iter()
        .rev()
        .find_map(|l| l.split_once(": ").filter(|(n, _)| n.parse::<u32>().is_ok()).map(|(_, rest)| rest));
    let cause = numbered.or(block.first().copied());
    match cause {
        Some(cause) if cause != first => format!("{first}: {cause}"),
        _ => first.to_string(),
    }
}

/// `-p` names, or `--workspace` minus `--exclude`, or the package of `manifest`, or (a virtual
/// workspace root) the default members. In the workspace's order, each once.
fn select<'w>(input: &InputArgs, workspace: &'w Workspace, manifest: &Path) -> Result<Vec<&'w Member>, Error> {
    let members = &workspace.members;
    let selected: Vec<&Member> = if !input.package.is_empty() {
        let wanted = known_names(&input.package, members, "package")?;
        members.iter().filter(|p| wanted.contains(p.name.as_str())).collect()
    } else if input.workspace {
        let excluded = known_names(&input.exclude, members, "excluded package")?;
        members.iter().filter(|p| !excluded.contains(p.name.as_str())).collect()
    } else {
        let manifest = identity(manifest);
        match members.iter().find(|p| identity(&p.manifest) == manifest) {
            Some(package) => vec![package],
            None => workspace.default_members.iter().filter_map(|&i| members.get(i)).collect(),
        }
    };
    Ok(selected)
}

/// Checks that every name is a workspace member; a typo is an error, not an empty selection.
fn known_names<'a>(names: &'a [String], members: &[Member], what: &str) -> Result<BTreeSet<&'a str>, Error> {
    for name in names {
        if !members.iter().any(|p| p.name == *name) {
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

fn member_list(members: &[Member]) -> String {
    let names: Vec<String> = members.iter().map(|p| format!("`{}`", p.name)).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::cargo_reason;

    #[test]
    fn cargo_errors_in_one_line() {
        let toolchain = "error: toolchain '1.61.7-x86_64-unknown-linux-gnu' is not installed\nhelp: run `rustup \
                         toolchain install` to install it\n\nStack backtrace:\n   0: anyhow::error\n";
        assert_eq!(cargo_reason(toolchain), "toolchain '1.61.7-x86_64-unknown-linux-gnu' is not installed");
        let registry = "error: failed to parse manifest at `/w/Cargo.toml`\n\nCaused by:\n  registry index was not \
                        found in any configuration: `corp`\n";
        assert_eq!(
            cargo_reason(registry),
            "failed to parse manifest at `/w/Cargo.toml`: registry index was not found in any configuration: `corp`"
        );
        let nested = "error: failed to load manifest for workspace member `/w/crates/docs`\nreferenced via \
                      `crates/*`\n\nCaused by:\n  failed to read `/w/crates/docs/Cargo.toml`\n\nCaused by:\n  No \
                      such file or directory (os error 2)\n";
        assert_eq!(
            cargo_reason(nested),
            "failed to load manifest for workspace member `/w/crates/docs`: No such file or directory (os error 2)"
        );
        let numbered = "error: could not download\nCaused by:\n    0: first\n    1: innermost\n";
        assert_eq!(cargo_reason(numbered), "could not download: innermost");
    }
}
