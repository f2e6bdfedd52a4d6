//! The GitHub Action (`action.yml`): its declaration matches `docs/github-action.md`, and its
//! steps, run the way a runner runs a composite action, produce the outputs, the SARIF report,
//! the annotations and the job summary.
//!
//! The local runner below evaluates the `${{ … }}` expressions the action uses, gives each
//! `run:` step the environment a runner gives it (`GITHUB_ACTION_PATH`, `GITHUB_OUTPUT`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_WORKSPACE`, the step's `env:`), runs it with
//! `bash --noprofile --norc -eo pipefail`, and collects `GITHUB_OUTPUT`. `uses:` steps (the
//! cache) are skipped, and so is the install step: the binary under test is put on PATH
//! instead of running `cargo install`.

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
    let cache = steps.iter().find(|s| s.id.as_deref() == Some("cache")).expect("a cache step");
    assert_eq!(cache.uses.as_deref(), Some("actions/cache@v4"));
    assert_eq!(cache.with["path"], "~/.cargo/bin/cargo-taskcheck");
    assert_eq!(cache.with["key"], "${{ steps.key.outputs.key }}");
    let install = steps.iter().find(|s| s.id.as_deref() == Some("install")).expect("an install step");
    assert_eq!(install.run.as_deref(), Some("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    assert_eq!(install.condition.as_deref(), Some("steps.cache.outputs.cache-hit != 'true'"));
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
    let action = action();
    for input in taskcheck["with"].as_mapping().expect("with").keys() {
        assert!(action.inputs.contains_key(input.as_str().unwrap()), "{input:?} is not an input");
    }
}

// ---------------------------------------------------------------------------------------------
// A local runner for the composite action.

struct Runner {
    _dir: tempfile::TempDir,
    workspace: PathBuf,
    bin: PathBuf,
    summary: PathBuf,
    outputs_dir: PathBuf,
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

impl Runner {
    /// A workspace with a small crate (a git checkout, as after actions/checkout) and the
    /// binary under test on PATH as `cargo-taskcheck`.
    fn new(lib: &str) -> Runner {
        let dir = tempfile::tempdir().expect("temporary folder");
        let workspace = dir.path().join("workspace");
        let bin = dir.path().join("bin");
        let outputs_dir = dir.path().join("outputs");
        for d in [&workspace.join("src"), &workspace.join(".git"), &bin, &outputs_dir] {
            std::fs::create_dir_all(d).expect("folders");
        }
        std::fs::write(
            workspace.join("Cargo.toml"),
            "[package]\nname = \"sample\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        )
        .expect("manifest");
        std::fs::write(workspace.join("src/lib.rs"), lib).expect("lib.rs");
        let exe = PathBuf::from(env!("CARGO_BIN_EXE_cargo-taskcheck"));
        std::fs::copy(&exe, bin.join(exe.file_name().expect("file name"))).expect("copy the binary");
        let summary = dir.path().join("step_summary.md");
        Runner { _dir: dir, workspace, bin, summary, outputs_dir }
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
            let expr = rest[start + 3..end].trim();
            let value = if let Some(name) = expr.strip_prefix("inputs.") {
                inputs.get(name).cloned().unwrap_or_else(|| panic!("unknown input {name}"))
            } else if let Some(path) = expr.strip_prefix("steps.") {
                let (id, name) = path.split_once(".outputs.").expect("steps.<id>.outputs.<name>");
                steps.get(id).and_then(|o| o.get(name)).cloned().unwrap_or_default()
            } else {
                panic!("the local runner does not know the expression `{expr}`")
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
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
        let path = format!("{}:{}", self.bin.display(), std::env::var("PATH").unwrap_or_default());
        for (i, step) in action.runs.steps.iter().enumerate() {
            let id = step.id.clone().unwrap_or_else(|| format!("__{i}"));
            if step.uses.is_some() || id == "install" || failed {
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
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_ACTION_PATH", repo())
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_STEP_SUMMARY", &self.summary)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", "X64")
                .env_remove("NO_COLOR")
                .env_remove("CARGO_TERM_COLOR");
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
