//! The repository's CI configuration files, for lints about what CI runs (Miri, loom, TSan).

use super::manifest::workspace_manifest;
use std::path::{Path, PathBuf};

/// Single files, relative to the repository root.
const CI_FILES: &[&str] = &[
    ".gitlab-ci.yml",
    ".cirrus.yml",
    ".circleci/config.yml",
    ".travis.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".woodpecker.yml",
    "Jenkinsfile",
];

/// Folders whose every file is CI configuration or a script CI runs.
const CI_FOLDERS: &[&str] = &[".github/workflows", ".buildkite", ".woodpecker", ".ci"];

/// The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree);
/// `dir` itself outside a repository.
pub fn repository_root(dir: &Path) -> PathBuf {
    dir.ancestors().find(|d| d.join(".git").exists()).unwrap_or(dir).to_path_buf()
}

/// The folder whose CI files cover the Cargo workspace rooted at `workspace_root` (or, without
/// one, the folder a run starts from): the repository root, except when another Cargo
/// workspace of the same repository encloses this one. Cargo would have made this one a member
/// of it unless it was excluded or declared its own `[workspace]`: it is a project of its own
/// kept in a bigger project's repository (a demo, a fuzz crate, a vendored tool). The
/// repository's CI builds and tests the enclosing workspace, so its CI files say nothing about
/// this one; only CI files in its own folder count, as they would once it is copied out.
pub fn covering_root(workspace_root: &Path) -> PathBuf {
    let repository = repository_root(workspace_root);
    let enclosing = workspace_root.parent().and_then(|parent| workspace_manifest(&parent.join("Cargo.toml")));
    match enclosing {
        Some(manifest) if manifest.starts_with(&repository) => workspace_root.to_path_buf(),
        _ => repository,
    }
}

/// The CI files present under `root`, sorted.
pub fn ci_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = CI_FILES.iter().map(|f| root.join(f)).filter(|p| p.is_file()).collect();
    for folder in CI_FOLDERS {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        out.extend(entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()));
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ci_files_from_the_repository_root() {
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path();
        for file in [
            ".git/HEAD",
            ".github/workflows/ci.yml",
            ".github/workflows/miri.yaml",
            ".gitlab-ci.yml",
            "crates/a/src/lib.rs",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        assert_eq!(repository_root(&root.join("crates/a")), root);
        let found: Vec<PathBuf> = ci_files(root).iter().map(|p| p.strip_prefix(root).unwrap().to_path_buf()).collect();
        assert_eq!(
            found,
            [".github/workflows/ci.yml", ".github/workflows/miri.yaml", ".gitlab-ci.yml"].map(PathBuf::from)
        );
    }

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
    }

    const PACKAGE: &str = "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

    /// A workspace the repository's own workspace excludes (a demo) is covered by the CI files
    /// in its own folder, not by the repository's; members, and a workspace alone in its
    /// repository, are covered by the repository's.
    #[test]
    fn a_workspace_inside_another_is_its_own_project() {
        let repo = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(repo.path()).unwrap();
        write(
            &root,
            &[
                (".git/HEAD", ""),
                (".github/workflows/ci.yml", "on: push\n"),
                ("Cargo.toml", "[workspace]\nmembers = [\"member\"]\nexclude = [\"demo\"]\n"),
                ("member/Cargo.toml", PACKAGE),
                ("demo/Cargo.toml", &format!("{PACKAGE}[workspace]\n")),
                ("tools/standalone/Cargo.toml", &format!("{PACKAGE}[workspace]\n")),
                ("tools/standalone/.github/workflows/miri.yml", "on: push\n"),
            ],
        );
        assert_eq!(covering_root(&root), root);
        assert_eq!(covering_root(&root.join("demo")), root.join("demo"));
        assert_eq!(covering_root(&root.join("tools/standalone")), root.join("tools/standalone"));
        // A repository whose root holds no workspace: a workspace in a subfolder is the
        // repository's project.
        std::fs::remove_file(root.join("Cargo.toml")).unwrap();
        assert_eq!(covering_root(&root.join("demo")), root);
        // Outside any repository: the folder itself.
        let alone = tempfile::tempdir().unwrap();
        assert_eq!(covering_root(alone.path()), alone.path());
    }

    /// Through discovery: the demo's run reads the CI files of the demo's folder only.
    #[test]
    fn discovery_reads_the_ci_files_of_the_covering_root() {
        use crate::cli::InputArgs;
        use taskcheck_lints::SourceMap;
        let repo = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(repo.path()).unwrap();
        write(
            &root,
            &[
                (".git/HEAD", ""),
                (".ci/run", "cargo test\n"),
                ("Cargo.toml", &format!("{PACKAGE}[workspace]\nexclude = [\"demo\"]\n")),
                ("src/lib.rs", "pub fn f() {}\n"),
                ("demo/Cargo.toml", &format!("{PACKAGE}[workspace]\n")),
                ("demo/src/lib.rs", "pub fn f() {}\n"),
            ],
        );
        let ci_of = |dir: &Path, paths: Vec<PathBuf>| {
            let input = InputArgs {
                paths,
                manifest_path: None,
                package: Vec::new(),
                workspace: false,
                exclude: Vec::new(),
                no_cargo_metadata: false,
            };
            let mut sources = SourceMap::default();
            let plan = crate::discover::discover(&input, dir, &mut sources).expect("discovery");
            let shown: Vec<String> =
                plan.ci_files.iter().map(|id| sources.get(*id).path().to_string_lossy().replace('\\', "/")).collect();
            shown
        };
        assert_eq!(ci_of(&root, Vec::new()), [".ci/run"]);
        assert!(ci_of(&root.join("demo"), Vec::new()).is_empty());
        assert!(ci_of(&root, vec![PathBuf::from("demo/src")]).is_empty());
        write(&root, &[("demo/.github/workflows/ci.yml", "on: push\n")]);
        assert_eq!(ci_of(&root.join("demo"), Vec::new()), [".github/workflows/ci.yml"]);
    }
}
