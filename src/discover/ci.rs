//! The repository's CI configuration files, for lints about what CI runs (Miri, loom, TSan),
//! with the scripts and task files they run.

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

/// Task runner files a CI step may run a target of (`make miri`, `just tsan`).
const TASK_FILES: &[&str] = &["Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".justfile"];

/// Files a package ships when it is published: `cargo package` writes the first, `cargo
/// vendor` the second.
const PUBLISHED_MARKERS: &[&str] = &[".cargo_vcs_info.json", ".cargo-checksum.json"];

/// How many steps of "a CI file runs a script that runs a script" are followed.
const SCRIPT_DEPTH: usize = 2;

/// Scripts larger than this are not read: a CI script is small.
const MAX_SCRIPT_BYTES: u64 = 256 * 1024;

/// The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree).
pub fn find_repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// [`find_repository_root`], or `dir` itself outside a repository.
pub fn repository_root(dir: &Path) -> PathBuf {
    find_repository_root(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// Whether the CI that checks the package in `package_root` is out of sight, so that lints
/// about what CI runs must say nothing: a published package (crates.io ships neither `.git`
/// nor `.github`; its repository's CI is elsewhere), or a package outside any repository with
/// no CI file around it.
pub fn ci_elsewhere(package_root: &Path) -> bool {
    if PUBLISHED_MARKERS.iter().any(|m| package_root.join(m).is_file()) {
        return true;
    }
    find_repository_root(package_root).is_none() && ci_files(package_root).is_empty()
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

/// The CI files present under `root`, then the scripts and task files they run (see
/// [`referenced_files`]), each once, configuration files first, sorted within each part.
pub fn ci_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = CI_FILES.iter().map(|f| root.join(f)).filter(|p| p.is_file()).collect();
    for folder in CI_FOLDERS {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        out.extend(entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()));
    }
    out.sort();
    let mut level = out.clone();
    for _ in 0..SCRIPT_DEPTH {
        let mut next: Vec<PathBuf> = Vec::new();
        for file in &level {
            let Some(text) = read_small(file) else { continue };
            for found in referenced_files(root, file, &text) {
                if !out.contains(&found) && !next.contains(&found) {
                    next.push(found);
                }
            }
        }
        next.sort();
        out.extend(next.iter().cloned());
        level = next;
    }
    out
}

fn read_small(path: &Path) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    (size <= MAX_SCRIPT_BYTES).then(|| std::fs::read_to_string(path).ok()).flatten()
}

/// Files under `root` that the CI file or script `from` runs: words naming a script (a path
/// relative to the repository root or to `from`'s folder, such as `ci/tsan.sh` or
/// `./scripts/miri.sh`), and the repository's `Makefile`/`justfile` when a line runs `make`
/// or `just`. Comment lines are skipped; a path leading out of `root` is not followed.
fn referenced_files(root: &Path, from: &Path, text: &str) -> Vec<PathBuf> {
    let Ok(real_root) = std::fs::canonicalize(root) else { return Vec::new() };
    let here = from.parent().unwrap_or(root);
    let mut out = Vec::new();
    let mut runs_tasks = false;
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let words = line
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ';' | '&' | '|' | '(' | ')' | '='));
        for word in words.filter(|w| !w.is_empty()) {
            if matches!(word, "make" | "just" | "gmake") {
                runs_tasks = true;
            }
            let looks_like_script = word.contains('/') || word.ends_with(".sh") || word.ends_with(".bash");
            if !looks_like_script || word.contains("://") || word.starts_with('$') || word.starts_with('-') {
                continue;
            }
            let relative = word.trim_start_matches("./");
            for base in [root, here] {
                let candidate = base.join(relative);
                let inside = std::fs::canonicalize(&candidate).is_ok_and(|real| real.starts_with(&real_root));
                if inside && candidate.is_file() && !out.contains(&candidate) {
                    out.push(candidate);
                    break;
                }
            }
        }
    }
    if runs_tasks {
        out.extend(TASK_FILES.iter().map(|f| root.join(f)).filter(|p| p.is_file()));
    }
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

    use crate::discover::write_test_files as write;

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
            let plan = crate::discover::discover(&input, dir, &mut sources, false).expect("discovery");
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

    /// Scripts a workflow runs, the scripts they run, and the task file of `make`, are read
    /// with the CI files; files not run, and paths out of the repository, are not.
    #[test]
    fn follows_the_scripts_ci_runs() {
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path();
        write(
            root,
            &[
                (".git/HEAD", ""),
                (
                    ".github/workflows/ci.yml",
                    "jobs:\n  t:\n    steps:\n      - run: ./ci/test.sh\n      - run: bash \"scripts/lint.sh\" --all\n      - run: cat ../../etc/passwd\n      - run: make check\n",
                ),
                ("ci/test.sh", "#!/bin/sh\nci/sanitize.sh thread\n"),
                ("ci/sanitize.sh", "RUSTFLAGS=-Zsanitizer=$1 cargo test\n"),
                ("ci/unused.sh", "cargo miri test\n"),
                ("scripts/lint.sh", "cargo clippy\n"),
                ("Makefile", "check:\n\tcargo test\n"),
            ],
        );
        let found: Vec<PathBuf> = ci_files(root).iter().map(|p| p.strip_prefix(root).unwrap().to_path_buf()).collect();
        assert_eq!(
            found,
            [".github/workflows/ci.yml", "Makefile", "ci/test.sh", "scripts/lint.sh", "ci/sanitize.sh"]
                .map(PathBuf::from)
        );
    }

    #[test]
    fn published_packages_and_packages_outside_repositories_have_their_ci_elsewhere() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), &[("crate/Cargo.toml", ""), ("published/.cargo_vcs_info.json", "{}")]);
        assert!(ci_elsewhere(&outside.path().join("crate")));
        write(outside.path(), &[("crate/.github/workflows/ci.yml", "")]);
        assert!(!ci_elsewhere(&outside.path().join("crate")), "CI files in sight");

        let repo = tempfile::tempdir().unwrap();
        write(repo.path(), &[(".git/HEAD", ""), ("a/Cargo.toml", ""), ("vendor/b/.cargo-checksum.json", "{}")]);
        assert!(!ci_elsewhere(&repo.path().join("a")), "a repository without CI has no CI");
        assert!(ci_elsewhere(&repo.path().join("vendor/b")), "a vendored package is tested upstream");
        assert!(ci_elsewhere(&outside.path().join("published")));
    }
}
