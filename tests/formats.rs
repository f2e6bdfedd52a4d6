//! The machine formats end to end, on crates written to temporary folders and run through the
//! binary: JSON lines as rust-analyzer parses them, SARIF against the official schema (and the
//! Microsoft SARIF Multitool with GitHub's rules when it is installed), `short`, `github`,
//! `--output`, `--fail-on`, `--with-check`, and the editor documentation.
//!
//! `TASKCHECK_CORPUS=/path/to/vendor cargo test --release --test formats -- --ignored` runs the
//! same validations over a large tree (the real-crate corpus).

mod common;

use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A finding after non-ASCII text on its line, a finding with a help suggestion, a file
/// that does not parse.
const LIB: &str = "pub fn start(rx: std::sync::mpsc::Receiver<u32>) {\n    \
    let _s = \"é😀\"; std::thread::spawn(move || loop { let _ = rx.recv(); });\n}\n\n\
    pub struct Arena(*mut u8);\nunsafe impl Send for Arena {}\n";
const BROKEN: &str = "fn broken( { std::thread::spawn(|| {});\n";

struct Project {
    dir: TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Project {
    fn new(lib: &str) -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        let p = Project { dir };
        p.write(".git/HEAD", "ref: refs/heads/main\n");
        p.write("Cargo.toml", "[package]\nname = \"sample\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n");
        p.write("src/lib.rs", lib);
        p
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) -> &Project {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("folders");
        std::fs::write(full, text).expect("write");
        self
    }

    /// Runs with the lints of the fixtures only ([`FOCUS`]), so that new lints do not change
    /// what these tests see.
    fn run(&self, args: &[&str]) -> Run {
        let (subcommand, rest) = match args.first() {
            Some(&"taskcheck") => (&args[..1], &args[1..]),
            _ => (&args[..0], args),
        };
        run_in(self.path(), &[subcommand, FOCUS, rest].concat())
    }
}

/// Every warn-level lint off but the two the fixtures trigger.
const FOCUS: &[&str] = &["-A", "warnings", "-W", "detached_spawn", "-W", "undocumented_unsafe_send_sync"];

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = common::taskcheck().args(args).current_dir(dir).output().expect("run cargo-taskcheck");
    Run {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Every line of `stdout` as the diagnostic rust-analyzer would read.
fn diagnostics(stdout: &str) -> Vec<Diagnostic> {
    stdout
        .lines()
        .map(|line| serde_json::from_str::<Diagnostic>(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_lines_are_what_rust_analyzer_reads() {
    let p = Project::new(LIB);
    p.write("src/broken.rs", BROKEN);
    let run = p.run(&["--message-format=json"]);
    assert_eq!(run.code, 2, "a file did not parse\n{}", run.stderr);
    let all = diagnostics(&run.stdout);
    assert_eq!(all.len(), 3, "{}", run.stdout);
    // rust-analyzer's flycheck tries cargo's message shape first, then rustc's.
    for line in run.stdout.lines() {
        assert!(serde_json::from_str::<cargo_metadata::Message>(line).is_err());
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["$message_type"], "diagnostic");
    }
    let codes: Vec<String> = all.iter().map(|d| d.code.clone().unwrap().code).collect();
    assert_eq!(
        codes,
        vec!["taskcheck::parse_error", "taskcheck::detached_spawn", "taskcheck::undocumented_unsafe_send_sync"]
    );
    let detached = &all[1];
    assert_eq!(detached.level, DiagnosticLevel::Warning);
    let span = &detached.spans[0];
    assert_eq!(span.file_name, "src/lib.rs");
    let start = LIB.find("std::thread::spawn").unwrap();
    assert_eq!(span.byte_start as usize, start);
    assert_eq!((span.line_start, span.column_start), (2, 20), "columns count characters");
    assert_eq!(&span.text[0].text, LIB.lines().nth(1).unwrap());
    assert!(detached.rendered.as_ref().unwrap().starts_with("warning[detached_spawn]"));
    assert!(!detached.rendered.as_ref().unwrap().contains('\x1b'));
    let unsafe_send = &all[2];
    let suggestion = unsafe_send.children.iter().flat_map(|c| &c.spans).find(|s| s.suggested_replacement.is_some());
    assert!(suggestion.is_some(), "the SAFETY suggestion is a child with a replacement");
}

#[test]
fn json_rendered_ansi_and_short() {
    let p = Project::new(LIB);
    let ansi = p.run(&["--message-format=json-diagnostic-rendered-ansi"]);
    assert_eq!(ansi.code, 1);
    assert!(diagnostics(&ansi.stdout).iter().all(|d| d.rendered.as_ref().unwrap().contains("\x1b[")));
    let short = p.run(&["--message-format", "json-diagnostic-short"]);
    let d = diagnostics(&short.stdout);
    assert_eq!(
        d[0].rendered.as_deref(),
        Some("src/lib.rs:2:20: warning[detached_spawn] spawned thread runs forever and nothing can stop or join it\n")
    );
}

#[test]
fn json_mode_prints_a_line_before_any_failure() {
    let p = Project::new(LIB);
    for args in [
        &["--message-format=json", "--no-such-flag"][..],
        &["--message-format=json", "-D", "no_such_lint"],
        &["--format", "json", "--manifest-path", "missing/Cargo.toml"],
        &["--message-format=json-diagnostic-rendered-ansi", "--fail-on", "sometimes"],
    ] {
        let run = p.run(args);
        assert_eq!(run.code, 2, "{args:?}");
        let d = diagnostics(&run.stdout);
        assert_eq!(d.len(), 1, "{args:?}: {}", run.stdout);
        assert_eq!(d[0].level, DiagnosticLevel::Error);
        assert!(!d[0].message.is_empty());
        assert!(!run.stderr.is_empty(), "the human message stays on stderr");
    }
    // --help is not a failure.
    let help = p.run(&["--message-format=json", "--help"]);
    assert_eq!(help.code, 0);
}

#[test]
fn with_check_passes_cargo_check_lines_through_first() {
    let p = Project::new(LIB);
    let run = p.run(&["--message-format=json", "--with-check", "--all-targets", "--keep-going", "--workspace"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first_ours = lines.iter().position(|v| v["$message_type"] == "diagnostic").expect("taskcheck's lines");
    assert!(first_ours > 0, "cargo's lines come first");
    assert!(lines[..first_ours].iter().all(|v| v.get("reason").is_some()), "{}", run.stdout);
    assert!(lines[..first_ours].iter().any(|v| v["reason"] == "build-finished"));
    for line in run.stdout.lines().take(first_ours) {
        serde_json::from_str::<cargo_metadata::Message>(line).expect("cargo's own messages");
    }
    assert!(lines[first_ours..].iter().all(|v| v["$message_type"] == "diagnostic"));

    // A compile error fails the run even when taskcheck finds nothing.
    let broken = Project::new("pub fn f() -> u32 { \"not a number\" }\n");
    let run = broken.run(&["--message-format=json", "--with-check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.lines().any(|l| l.contains("\"reason\":\"compiler-message\"")), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// SARIF

/// The SARIF 2.1.0 schema, kept in the repository (`tests/data/`, with its origin and notice in
/// `tests/data/README.md`) so that the tests need nothing beside the checkout.
fn sarif_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read the schema")).expect("the schema is JSON")
}

fn assert_schema_valid(sarif: &Value) {
    let schema = sarif_schema();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(sarif).map(|e| format!("{} at {}", e, e.instance_path())).take(20).collect();
    assert!(errors.is_empty(), "SARIF schema errors:\n{}", errors.join("\n"));
}

/// The Microsoft SARIF Multitool, when installed: the command in `TASKCHECK_SARIF_MULTITOOL`,
/// or the one `.ci/run` installs into `.ci/tools/node_modules`, or `sarif-multitool` on PATH.
fn multitool() -> Option<Vec<String>> {
    let candidates: Vec<Vec<String>> = match std::env::var("TASKCHECK_SARIF_MULTITOOL") {
        Ok(cmd) => vec![cmd.split_whitespace().map(str::to_string).collect()],
        Err(_) => {
            let local = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools/node_modules/.bin/sarif-multitool");
            vec![vec![local.to_string_lossy().into_owned()], vec!["sarif-multitool".into()]]
        }
    };
    let found = candidates.into_iter().find(|c| {
        std::process::Command::new(&c[0]).args(&c[1..]).arg("--version").output().is_ok_and(|o| {
            // It prints its version on stderr.
            let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
            o.status.success() && text.contains("SARIF Multitool")
        })
    });
    // .ci/run installs it; under .ci/run a missing checker is a failure, not a skip.
    assert!(
        found.is_some() || std::env::var_os("TASKCHECK_REQUIRE_TOOLS").is_none(),
        "sarif-multitool is not installed in .ci/tools"
    );
    found
}

/// `validate FILE --rule-kind Ghas`: the file comes first, since the tool reads every word
/// after `--rule-kind` as a rule kind. Returns the tool's findings at error and warning level.
fn multitool_findings(tool: &[String], file: &Path) -> Vec<String> {
    let output = std::process::Command::new(&tool[0])
        .args(&tool[1..])
        .arg("validate")
        .arg(file)
        .args(["--rule-kind", "Ghas", "--level", "Error;Warning"])
        .output()
        .expect("run the multitool");
    let stdout = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Analysis completed successfully"), "multitool failed:\n{stdout}");
    stdout.lines().filter(|l| l.contains(": error ") || l.contains(": warning ")).map(str::to_string).collect()
}

#[test]
fn sarif_is_valid_and_points_into_the_repository() {
    let p = Project::new(LIB);
    p.write("src/broken.rs", BROKEN);
    let out = p.path().join("report.sarif");
    let run = p.run(&["--format", "sarif", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "--output takes the report off stdout");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_schema_valid(&sarif);

    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    // The emoji is one character but two UTF-16 code units.
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(2), Some(21)));
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/lib.rs");
    let notification = &run0["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["descriptor"]["id"], "parse_error");
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);

    if let Some(tool) = multitool() {
        let findings = multitool_findings(&tool, &out);
        assert!(findings.is_empty(), "sarif-multitool --rule-kind Ghas:\n{}", findings.join("\n"));
    } else {
        eprintln!(
            "note: sarif-multitool is not installed: its GitHub rules are not checked (.ci/run installs it into .ci/tools)"
        );
    }
}

#[test]
fn sarif_of_the_demo_crate_is_valid() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("demo.sarif");
    let run = run_in(repo, &["--manifest-path", "demo/Cargo.toml", "--format=sarif", "-o", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_schema_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        // Relative to the repository root when the checkout is a git repository.
        if repo.join(".git").exists() {
            assert!(uri.starts_with("demo/"), "{uri}");
        }
    }
    if let Some(tool) = multitool() {
        let findings = multitool_findings(&tool, &file);
        assert!(findings.is_empty(), "sarif-multitool --rule-kind Ghas:\n{}", findings.join("\n"));
    }
}

#[test]
fn sarif_from_a_subfolder_is_relative_to_the_repository_root() {
    let p = Project::new(LIB);
    p.write("Cargo.toml", "[workspace]\nmembers = [\"crates/app\"]\n");
    p.write("crates/app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    p.write("crates/app/src/lib.rs", LIB);
    let run = run_in(&p.path().join("crates/app"), &[FOCUS, &["--format=sarif"]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "crates/app/src/lib.rs"
    );
}

fn fingerprints(p: &Project) -> Vec<(String, String)> {
    let run = p.run(&["--format=sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["taskcheck/v1"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_stay_when_lines_are_added_above() {
    let p = Project::new(LIB);
    let before = fingerprints(&p);
    p.write("src/lib.rs", &format!("//! A crate.\n\nuse std::sync::mpsc;\n\n{LIB}"));
    let after = fingerprints(&p);
    assert_eq!(before.len(), 2);
    assert_eq!(before, after);
}

// ---------------------------------------------------------------------------------------------
// short, github, exit codes

#[test]
fn short_is_one_line_per_finding() {
    let p = Project::new(LIB);
    let run = p.run(&["--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "src/lib.rs:2:20: warning[detached_spawn] spawned thread runs forever and nothing can stop or join it\n\
         src/lib.rs:6:1: warning[undocumented_unsafe_send_sync] `unsafe impl Send` without a `// SAFETY:` comment\n"
    );
    assert_eq!(p.run(&["--message-format=short"]).stdout, run.stdout);
}

#[test]
fn github_annotations_and_job_summary() {
    let p = Project::new(LIB);
    let summary = p.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = common::taskcheck()
        .args(FOCUS)
        .args(["--format", "github"])
        .current_dir(p.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("::warning file=src/lib.rs,line=2,endLine=2,col=20,endColumn=38,title=taskcheck%3A detached_spawn::spawned thread runs forever"), "{}", lines[0]);
    assert!(!lines[0].contains('\r'));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("earlier step\n## taskcheck\n"), "appended, not overwritten: {md}");
    assert!(md.contains("| `undocumented_unsafe_send_sync` | warning | 1 |"), "{md}");
}

#[test]
fn fail_on_levels() {
    let p = Project::new(LIB);
    assert_eq!(p.run(&["--format=short"]).code, 1);
    assert_eq!(p.run(&["--format=short", "--fail-on", "warning"]).code, 1);
    assert_eq!(p.run(&["--format=short", "--fail-on", "error"]).code, 0);
    assert_eq!(p.run(&["--format=short", "--fail-on", "error", "-D", "detached_spawn"]).code, 1);
    assert_eq!(p.run(&["--format=short", "--fail-on", "never", "-D", "warnings"]).code, 0);
    p.write("src/broken.rs", BROKEN);
    assert_eq!(p.run(&["--format=short", "--fail-on", "error"]).code, 2);
    assert_eq!(p.run(&["--format=short", "--fail-on", "never"]).code, 0);
    assert_eq!(p.run(&["--fail-on", "never", "--no-such-flag"]).code, 2);
}

#[test]
fn output_file_errors_are_reported() {
    let p = Project::new(LIB);
    let run = p.run(&["--format=sarif", "--output", "no/such/dir/x.sarif"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot create"), "{}", run.stderr);
}

#[test]
fn manifest_findings_work_in_every_format() {
    let p = Project::new(
        "pub fn serve(request: u32) -> bool {\n    std::panic::catch_unwind(|| request + 1).is_err()\n}\n",
    );
    p.write(
        "Cargo.toml",
        "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n\n\
         [profile.release]\npanic = \"abort\"\n",
    );
    let focus = ["-A", "warnings", "-W", "catch_unwind_under_abort"];
    let run = |args: &[&str]| run_in(p.path(), &[&focus[..], args].concat());
    let short = run(&["--format=short"]);
    assert_eq!(short.code, 1, "{}", short.stderr);
    assert!(short.stdout.starts_with("Cargo.toml:9:1: warning[catch_unwind_under_abort] "), "{}", short.stdout);

    let json = diagnostics(&run(&["--message-format=json"]).stdout);
    let d = json.iter().find(|d| d.code.as_ref().unwrap().code == "taskcheck::catch_unwind_under_abort").unwrap();
    assert_eq!(d.spans[0].file_name, "Cargo.toml");
    assert_eq!(d.spans[0].text[0].text, "panic = \"abort\"");
    assert!(d.spans.iter().any(|s| !s.is_primary && s.file_name == "src/lib.rs"), "the label in the code");

    let sarif: Value = serde_json::from_str(&run(&["--format=sarif"]).stdout).unwrap();
    assert_schema_valid(&sarif);
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "catch_unwind_under_abort");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "Cargo.toml");
    assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 9);
    assert_eq!(r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/lib.rs");

    let github = run(&["--format=github"]);
    assert!(github.stdout.starts_with("::warning file=Cargo.toml,line=9,endLine=9,col=1,"), "{}", github.stdout);
}

// ---------------------------------------------------------------------------------------------
// docs/editors.md

#[test]
fn editor_docs_show_the_override_command() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md")).unwrap();
    let block = |lang: &str| -> Vec<String> {
        docs.split(&format!("```{lang}\n")).skip(1).map(|b| b.split("\n```").next().unwrap().to_string()).collect()
    };
    let command = ["cargo", "taskcheck", "--message-format=json", "--with-check"];
    let vscode: Value = serde_json::from_str(
        &block("jsonc")[0].lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    assert_eq!(vscode["rust-analyzer.check.overrideCommand"], serde_json::json!(command));
    let helix: toml::Table = block("toml")[0].parse().unwrap();
    let check = &helix["language-server"]["rust-analyzer"]["config"]["check"]["overrideCommand"];
    assert_eq!(check.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>(), command);
    let lua = block("lua").join("\n");
    assert!(
        lua.contains("overrideCommand = { 'cargo', 'taskcheck', '--message-format=json', '--with-check' }"),
        "{lua}"
    );
    assert!(docs.contains("MS-SarifVSCode.sarif-viewer"));
    // Every flag the docs show rust-analyzer adding is accepted.
    let p = Project::new("pub fn f() {}\n");
    let manifest = p.path().join("Cargo.toml");
    let run = p.run(&[
        "taskcheck",
        "--workspace",
        "--message-format=json-diagnostic-rendered-ansi",
        "--manifest-path",
        manifest.to_str().unwrap(),
        "--keep-going",
        "--all-targets",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

// ---------------------------------------------------------------------------------------------
// The corpus

#[test]
#[ignore = "needs TASKCHECK_CORPUS (a large tree of Rust code) and takes a while"]
fn corpus_outputs_are_valid() {
    let corpus = PathBuf::from(std::env::var_os("TASKCHECK_CORPUS").expect("TASKCHECK_CORPUS"));
    let out = tempfile::tempdir().unwrap();
    let sarif_path = out.path().join("corpus.sarif");
    let run = run_in(&corpus, &["--format=sarif", "--output", sarif_path.to_str().unwrap(), "--fail-on=never", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_schema_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    let notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"].as_array().unwrap().len();
    eprintln!("SARIF: {results} results, {notifications} tool notifications, schema-valid");
    if let Some(tool) = multitool() {
        let findings = multitool_findings(&tool, &sarif_path);
        assert!(findings.is_empty(), "sarif-multitool --rule-kind Ghas:\n{}", findings.join("\n"));
        eprintln!("sarif-multitool validate --rule-kind Ghas: no errors or warnings");
    }
    let run = run_in(&corpus, &["--message-format=json", "--fail-on=never", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = diagnostics(&run.stdout).len();
    assert_eq!(lines, results + notifications);
    eprintln!("JSON: {lines} lines, each a cargo_metadata Diagnostic");
}
