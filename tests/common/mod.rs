//! What the end-to-end test suites share: packages written to temporary folders, and runs of
//! the built binary with assertions on their output.

// Each suite uses its own part of this module.
#![allow(dead_code)]

use std::path::Path;
use tempfile::TempDir;

/// Triggers `detached_spawn` on line 1 (column 48): an endless thread whose handle is dropped.
pub const DETACHED: &str =
    "pub fn f(rx: std::sync::mpsc::Receiver<u32>) { std::thread::spawn(move || loop { let _ = rx.recv(); }); }\n";
pub const CLEAN: &str = "pub fn add(a: u32, b: u32) -> u32 { a + b }\n";

/// Variables of the caller's environment that would change what a run does or where it
/// writes: colour settings, the GitHub job summary, and the target directory (a global
/// `CARGO_TARGET_DIR` would put the cache of every temporary package in one folder, shared by
/// the tests running in parallel, instead of in the package's own `target/`).
pub const CALLER_ENVIRONMENT: &[&str] =
    &["NO_COLOR", "CARGO_TERM_COLOR", "GITHUB_STEP_SUMMARY", "CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"];

/// The binary under test, without [`CALLER_ENVIRONMENT`]: tests set what they need.
pub fn taskcheck() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-taskcheck"));
    for var in CALLER_ENVIRONMENT {
        cmd.env_remove(var);
    }
    cmd
}

/// A package manifest, with `extra` appended (tables, metadata).
pub fn manifest(name: &str, extra: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}")
}

/// A folder of files written on the fly.
pub struct Project {
    dir: TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project { dir: tempfile::tempdir().expect("temporary folder") }
    }

    /// A single package named `name` with a lib.rs.
    pub fn package(name: &str, lib: &str) -> Project {
        let p = Project::new();
        p.file("Cargo.toml", &manifest(name, "")).file("src/lib.rs", lib);
        p
    }

    /// A package named `name` with the given files besides its manifest.
    pub fn with_files(name: &str, files: &[(&str, &str)]) -> Project {
        let p = Project::new();
        p.file("Cargo.toml", &manifest(name, ""));
        for (path, text) in files {
            p.file(path, text);
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, path: &str, text: &str) -> &Project {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(&self, path: &str, bytes: &[u8]) -> &Project {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent folder")).expect("create folders");
        std::fs::write(full, bytes).expect("write file");
        self
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path)).expect("read file")
    }

    /// Runs the binary in `dir` (relative to the project), see [`taskcheck`].
    pub fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        self.run_with(dir, args, &[])
    }

    /// [`Project::run_in`] with environment variables set.
    pub fn run_with(&self, dir: &str, args: &[&str], vars: &[(&str, &std::ffi::OsStr)]) -> Run {
        let mut cmd = taskcheck();
        cmd.args(args).current_dir(self.dir.path().join(dir));
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let output = cmd.output().expect("run cargo-taskcheck");
        Run {
            code: output.status.code().expect("exit code, not a signal"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }

    /// [`Project::run`] with the variables `unset` removed from the environment.
    pub fn run_without(&self, unset: &[&str], args: &[&str]) -> Run {
        let mut command = taskcheck();
        command.args(args).current_dir(self.dir.path());
        for var in unset {
            command.env_remove(var);
        }
        let output = command.output().expect("run cargo-taskcheck");
        Run {
            code: output.status.code().expect("exit code, not a signal"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    pub fn git(&self, args: &[&str]) {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run git");
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(self.stdout.contains(text), "stdout lacks {text:?}\n--- stdout\n{}", self.stdout);
        self
    }

    #[track_caller]
    pub fn stdout_lacks(&self, text: &str) -> &Run {
        assert!(!self.stdout.contains(text), "stdout has {text:?}\n--- stdout\n{}", self.stdout);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}\n--- stderr\n{}", self.stderr);
        self
    }

    /// The lints of the findings, in output order.
    pub fn lints(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|l| l.strip_prefix("warning[").or_else(|| l.strip_prefix("error[")))
            .filter_map(|l| l.split(']').next())
            .map(str::to_string)
            .collect()
    }

    /// The paths of the ` --> path:line:col` lines, in output order.
    pub fn locations(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> "))
            .map(|l| l.rsplitn(3, ':').last().unwrap_or(l).to_string())
            .collect()
    }
}
