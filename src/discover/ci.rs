//! The repository's CI configuration files, for lints about what CI runs (Miri, loom, TSan).

use std::path::{Path, PathBuf};

/// Single files, relative to the repository root.
const CI_FILES: &[&str] = &[
    ".gitlab-ci.yml",
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
}
