//! End-to-end tests of the adoption controls through the binary: configuration (and its
//! mistakes), level flags with groups, suppression comments, baselines, `--diff-base`, `--fix`,
//! `--statistics`, and the `explain` and `list` subcommands.

mod common;

use common::{manifest, Project, CLEAN, DETACHED};
use std::path::PathBuf;

// ---- configuration ----

#[test]
fn taskcheck_toml_sets_levels_by_lint_group_and_all() {
    let p = Project::package("app", DETACHED);
    p.file("taskcheck.toml", "[lints]\ndetached_spawn = \"deny\"\n");
    p.run(&[]).expect_code(1).stdout_has("error[detached_spawn]");
    p.file("taskcheck.toml", "[lints]\nrule-1 = \"allow\"\n");
    p.run(&[]).expect_code(0);
    // The most specific name wins, whatever the order in the file.
    p.file("taskcheck.toml", "[lints]\ndetached_spawn = \"warn\"\nall = \"allow\"\n");
    p.run(&[]).expect_code(1).stdout_has("warning[detached_spawn]");
    // The hidden spelling works too.
    std::fs::remove_file(p.path().join("taskcheck.toml")).expect("remove");
    p.file(".taskcheck.toml", "[lints]\nall = \"deny\"\n");
    p.run(&[]).expect_code(1).stdout_has("error[detached_spawn]");
}

#[test]
fn command_line_levels_override_the_configuration_last_one_wins() {
    let p = Project::package("app", DETACHED);
    p.file("taskcheck.toml", "[lints]\ndetached_spawn = \"allow\"\n");
    p.run(&["-W", "detached_spawn"]).expect_code(1).stdout_has("warning[detached_spawn]");
    p.run(&["-D", "rule-1"]).expect_code(1).stdout_has("error[detached_spawn]");
    p.run(&["-D", "all"]).expect_code(1).stdout_has("error[detached_spawn]");
    p.run(&["-D", "all", "-A", "all"]).expect_code(0);
    p.run(&["-A", "all", "-W", "detached_spawn"]).expect_code(1);
    p.run(&["-W", "rule-13"]).expect_code(2).stderr_has("error: unknown lint `rule-13`");
}

#[test]
fn workspace_metadata_with_package_overrides() {
    let p = Project::new();
    p.file(
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n\n[workspace.metadata.taskcheck.lints]\n\
         detached_spawn = \"deny\"\n",
    )
    .file("a/Cargo.toml", &manifest("a", ""))
    .file("a/src/lib.rs", DETACHED)
    .file("b/Cargo.toml", &manifest("b", "\n[package.metadata.taskcheck.lints]\ndetached_spawn = \"allow\"\n"))
    .file("b/src/lib.rs", DETACHED);
    let run = p.run(&["--workspace"]);
    run.expect_code(1).stdout_has("error[detached_spawn]").stdout_has("--> a/src/lib.rs");
    assert_eq!(run.lints(), ["detached_spawn"], "b allows it");
    // A taskcheck.toml beside the workspace's own table is ambiguous.
    p.file("taskcheck.toml", "[lints]\n");
    p.run(&["--workspace"]).expect_code(2).stderr_has(
        "error: the configuration is in more than one place: taskcheck.toml and [workspace.metadata.taskcheck]",
    );
}

/// A member's own `taskcheck.toml` applies on top of the workspace's for that package, like its
/// `[package.metadata.taskcheck]`; its globs are relative to the member's folder.
#[test]
fn member_taskcheck_toml_applies_to_its_package() {
    let p = Project::new();
    p.file("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n")
        .file("taskcheck.toml", "[lints]\ndetached_spawn = \"deny\"\n")
        .file("a/Cargo.toml", &manifest("a", ""))
        .file("a/src/lib.rs", DETACHED)
        .file("a/src/gen.rs", DETACHED)
        .file("b/Cargo.toml", &manifest("b", ""))
        .file("b/src/lib.rs", DETACHED)
        .file("b/src/gen.rs", DETACHED)
        .file("b/taskcheck.toml", "exclude = [\"src/gen.rs\"]\n[lints]\ndetached_spawn = \"warn\"\n");
    let run = p.run(&["--workspace"]);
    run.expect_code(1).stdout_has("in 3 files");
    assert_eq!(run.locations(), ["a/src/gen.rs", "a/src/lib.rs", "b/src/lib.rs"], "b/src/gen.rs is excluded");
    assert_eq!(run.lints().len(), 3);
    assert!(run.stdout.contains("error[detached_spawn]") && run.stdout.contains("warning[detached_spawn]"));
    let short = p.run(&["--workspace", "--format", "short"]);
    short
        .stdout_has("b/src/lib.rs:1:48: warning[detached_spawn]")
        .stdout_has("a/src/lib.rs:1:48: error[detached_spawn]");
    // The same when the member is checked by path, or from inside it.
    p.run(&["b/src"]).expect_code(1).stdout_has("warning[detached_spawn]").stdout_has("in 1 file");
    p.run_in("b", &[]).expect_code(1).stdout_has("warning[detached_spawn]").stdout_has("in 1 file");
    // Its mistakes point into it.
    p.file("b/taskcheck.toml", "[lints]\ndetached_spwn = \"warn\"\n");
    p.run(&["--workspace"])
        .expect_code(2)
        .stderr_has("--> b/taskcheck.toml:2:1")
        .stderr_has("did you mean `detached_spawn`?");
    // Beside the package's own table, it is ambiguous, as at the root.
    p.file("b/taskcheck.toml", "[lints]\n");
    p.file("b/Cargo.toml", &manifest("b", "[package.metadata.taskcheck.lints]\ndetached_spawn = \"allow\"\n"));
    p.run(&["--workspace"]).expect_code(2).stderr_has(
        "error: the configuration is in more than one place: b/taskcheck.toml and [package.metadata.taskcheck] in \
         b/Cargo.toml",
    );
}

#[test]
fn exclude_globs_leave_files_out() {
    let p = Project::package("app", CLEAN);
    p.file("src/generated/a.rs", DETACHED).file("src/gen.rs", DETACHED).file("src/other.rs", DETACHED);
    p.file("taskcheck.toml", "exclude = [\"src/generated\", \"src/gen.rs\"]\n");
    let run = p.run(&[]);
    run.expect_code(1).stdout_has("--> src/other.rs").stdout_has("in 2 files");
    // In a package's own table the globs are relative to the package.
    std::fs::remove_file(p.path().join("taskcheck.toml")).expect("remove");
    p.file("Cargo.toml", &manifest("app", "[package.metadata.taskcheck]\nexclude = [\"src/*.rs\"]\n"));
    p.run(&[]).expect_code(1).stdout_has("--> src/generated/a.rs").stdout_has("in 1 file");
}

#[test]
fn configured_spawners_and_test_attributes() {
    let lib = "mod rt {\n    pub fn spawn_logged<F: FnOnce() + Send + 'static>(f: F) { let _ = f; }\n}\n\
               pub fn start(rx: std::sync::mpsc::Receiver<u32>) {\n    \
               rt::spawn_logged(move || loop { let _ = rx.recv(); });\n}\n";
    let p = Project::package("app", lib);
    p.run(&[]).expect_code(0);
    p.file("taskcheck.toml", "[spawners]\nspawn_logged = \"std::thread::spawn\"\n");
    p.run(&[]).expect_code(1).stdout_has("warning[detached_spawn]").stdout_has("--> src/lib.rs:5:5");

    let sleepy = "#[rstest]\nfn waits() {\n    let (tx, rx) = std::sync::mpsc::channel();\n    \
                  let h = std::thread::spawn(move || tx.send(1).unwrap());\n    \
                  std::thread::sleep(std::time::Duration::from_millis(5));\n    \
                  assert_eq!(rx.try_recv(), Ok(1));\n    h.join().unwrap();\n}\n";
    let p = Project::package("app", sleepy);
    p.run(&[]).expect_code(0);
    p.file("taskcheck.toml", "test-attributes = [\"rstest\"]\n");
    p.run(&[]).expect_code(1).stdout_has("warning[sleep_in_test]");
}

#[test]
fn malformed_configuration_is_an_error_with_its_location() {
    let p = Project::package("app", DETACHED);
    let cases: &[(&str, &str, &str)] = &[
        ("[lints\n", "error: invalid TOML", "--> taskcheck.toml:1:7"),
        (
            "exclude = \"src\"\n",
            "error: `exclude` must be an array of strings, found a string",
            "--> taskcheck.toml:1:11",
        ),
        (
            "[lints]\ndetached_spawn = 1\n",
            "must be a level (`allow`, `warn` or `deny`), found an integer",
            "--> taskcheck.toml:2:18",
        ),
        ("[lints]\ndetached_spawn = \"loud\"\n", "error: unknown level `loud`", "--> taskcheck.toml:2:18"),
        ("exclud = []\n", "error: unknown key `exclud`", "help: did you mean `exclude`?"),
        (
            "[lints]\nsleep_in_tests = \"deny\"\n",
            "error: unknown lint `sleep_in_tests`",
            "help: did you mean `sleep_in_test`?",
        ),
        ("[lints]\nrule-1 = \"deny\"\nrul-8 = \"deny\"\n", "--> taskcheck.toml:3:1", "help: did you mean `rule-8`?"),
        (
            "[spawners]\ngo = \"tokio::spwan\"\n",
            "error: unknown spawner `tokio::spwan`",
            "help: did you mean `tokio::spawn`?",
        ),
        ("exclude = [\"a[\"]\n", "error: invalid glob `a[`", "--> taskcheck.toml:1:12"),
        (
            "test-attributes = [1]\n",
            "each item of `test-attributes` must be a string, found an integer",
            "--> taskcheck.toml:1:20",
        ),
    ];
    for (config, message, detail) in cases {
        p.file("taskcheck.toml", config);
        let run = p.run(&[]);
        run.expect_code(2).stderr_has(message).stderr_has(detail);
        assert!(run.stdout.is_empty(), "{config:?}: no report on a configuration error");
    }
    // In Cargo.toml, the location is in the manifest.
    std::fs::remove_file(p.path().join("taskcheck.toml")).expect("remove");
    p.file("Cargo.toml", &manifest("app", "\n[package.metadata.taskcheck]\nlint = { detached_spawn = \"deny\" }\n"));
    p.run(&[])
        .expect_code(2)
        .stderr_has("error: unknown key `package.metadata.taskcheck.lint`")
        .stderr_has("--> Cargo.toml:7:1")
        .stderr_has("help: did you mean `package.metadata.taskcheck.lints`?");
}

// ---- suppression comments ----

#[test]
fn suppression_comments_are_counted_and_can_be_listed() {
    let lib = format!(
        "// taskcheck: allow(detached_spawn) -- a process-long worker\n{DETACHED}{}",
        DETACHED.replace("fn f", "fn g")
    );
    let p = Project::package("app", &lib);
    let run = p.run(&[]);
    run.expect_code(1)
        .stdout_has("--> src/lib.rs:3:48")
        .stdout_has("taskcheck: 1 warning in 1 file (1 suppressed)")
        .stdout_lacks("suppressed:");
    assert_eq!(run.lints(), ["detached_spawn"]);
    p.run(&["--show-suppressed"])
        .expect_code(1)
        .stdout_has("note[detached_spawn]: suppressed: spawned thread runs forever")
        .stdout_has("suppressed by the comment at src/lib.rs:1:1: a process-long worker");
    // A file-level comment covers every finding of the file.
    p.file("src/lib.rs", &format!("//! taskcheck: allow(detached_spawn)\n{lib}"));
    p.run(&[]).expect_code(0).stdout_has("no findings in 1 file (2 suppressed)");
}

#[test]
fn unused_and_unknown_suppressions_are_reported() {
    let lib = "// taskcheck: allow(detached_spawn)\npub fn f() {}\n// taskcheck: allow(detachd_spawn)\npub fn g() {}\n";
    let p = Project::package("app", lib);
    let run = p.run(&[]);
    run.expect_code(1)
        .stdout_has("warning[unused_suppression]: this suppression of `detached_spawn` suppresses nothing")
        .stdout_has("warning[unknown_lint]: unknown lint `detachd_spawn` in a suppression")
        .stdout_has("did you mean `detached_spawn`?");
    // Allowed like any lint; a suppression of a lint that is off is not reported as unused.
    p.run(&["-A", "unknown_lint"]).expect_code(1);
    p.run(&["-A", "unknown_lint", "-A", "detached_spawn"]).expect_code(0);
}

// ---- baseline ----

#[test]
fn baseline_survives_unrelated_edits_and_reports_new_and_stale() {
    let p = Project::package("app", &format!("{DETACHED}{}", DETACHED.replace("fn f", "fn g")));
    let write = p.run(&["--write-baseline", "taskcheck-baseline.json"]);
    write.expect_code(0).stdout_has("(2 findings written to taskcheck-baseline.json)");
    let baseline = p.read("taskcheck-baseline.json");
    assert!(baseline.contains("\"version\": 1") && baseline.contains("\"lint\": \"detached_spawn\""), "{baseline}");
    assert!(!baseline.contains("\"line\": 1,"), "no line numbers: {baseline}");
    p.run(&["--baseline", "taskcheck-baseline.json"]).expect_code(0).stdout_has("(2 in the baseline)");

    // Lines inserted above, and the same run from another folder: still all accepted.
    let lib = p.read("src/lib.rs");
    p.file("src/lib.rs", &format!("\n\n// a comment\n{lib}"));
    p.run_in("src", &["--baseline", "../taskcheck-baseline.json"]).expect_code(0);

    // A new finding is reported; a fixed one leaves a stale entry.
    p.file("src/lib.rs", &format!("\n{}{}", DETACHED, DETACHED.replace("fn f", "fn h")));
    let run = p.run(&["--baseline", "taskcheck-baseline.json"]);
    run.expect_code(1).stdout_has("--> src/lib.rs:3:48").stdout_has(
        "(1 in the baseline, 1 baseline entry no longer found (rewrite the baseline with --write-baseline))",
    );
    assert_eq!(run.lints(), ["detached_spawn"]);
}

#[test]
fn unreadable_baselines_are_errors() {
    let p = Project::package("app", DETACHED);
    p.run(&["--baseline", "missing.json"]).expect_code(2).stderr_has("error: cannot read the baseline missing.json");
    p.file("b.json", "{\"version\": 7, \"tool\": \"taskcheck\", \"findings\": []}");
    p.run(&["--baseline", "b.json"]).expect_code(2).stderr_has("baseline version 7 is not supported");
    p.file("b.json", "{\"version\": 1,");
    p.run(&["--baseline", "b.json"]).expect_code(2).stderr_has("error: b.json:1:14: not a taskcheck baseline");
}

// ---- pull-request mode ----

#[test]
fn diff_base_reports_only_changed_lines_and_new_files() {
    let p = Project::package("app", DETACHED);
    p.git(&["init", "-q", "-b", "main"]);
    p.git(&["add", "."]);
    p.git(&["commit", "-q", "-m", "start"]);
    p.run(&["--diff-base", "main"]).expect_code(0).stdout_has("(1 outside the diff)");
    // A changed line, an untouched one, and a file git does not track yet.
    p.file("src/lib.rs", &format!("{DETACHED}{}", DETACHED.replace("fn f", "fn g")));
    p.file("src/new.rs", &DETACHED.replace("fn f", "fn n"));
    let run = p.run(&["--diff-base", "main"]);
    run.expect_code(1).stdout_has("--> src/lib.rs:2:48").stdout_has("--> src/new.rs:1:48");
    assert_eq!(run.lints().len(), 2, "the unchanged line 1 is left out");
    // From a subfolder, paths still match the repository's.
    p.run_in("src", &["--diff-base", "HEAD"]).expect_code(1).stdout_has("(1 outside the diff)");
    p.run(&["--diff-base", "no-such-branch"])
        .expect_code(2)
        .stderr_has("error: `git")
        .stderr_has("help: --diff-base needs a git repository");
}

// ---- fixes ----

#[test]
fn fix_applies_machine_applicable_suggestions_and_diff_only_prints() {
    let lib = "pub fn f() {} // taskcheck: allow(detached_spawn)\n// taskcheck: allow(sleep_in_test)\npub fn g() {}\n";
    let p = Project::package("app", lib);
    let diff = p.run(&["--fix", "--diff"]);
    diff.expect_code(1)
        .stdout_has("--- a/src/lib.rs\n+++ b/src/lib.rs\n")
        .stdout_has("\n-pub fn f() {} // taskcheck: allow(detached_spawn)\n")
        .stdout_has("\n-// taskcheck: allow(sleep_in_test)\n")
        .stdout_has("\n+pub fn f() {}\n")
        .stderr_has("taskcheck: would fix src/lib.rs (2 fixes)");
    assert_eq!(p.read("src/lib.rs"), lib, "--diff writes nothing");
    let run = p.run(&["--fix"]);
    run.expect_code(0)
        .stdout_has("no findings in 1 file (2 fixed)")
        .stderr_has("taskcheck: fixed src/lib.rs (2 fixes)");
    assert_eq!(p.read("src/lib.rs"), "pub fn f() {}\npub fn g() {}\n");
    let leftovers: Vec<PathBuf> =
        std::fs::read_dir(p.path().join("src")).expect("list").map(|e| e.expect("entry").path()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");
    // Nothing left to fix.
    let again = p.run(&["--fix", "--diff"]);
    again.expect_code(0).stderr_has("taskcheck: nothing to fix\n");
    assert!(again.stdout.is_empty(), "stdout stays an empty diff: {}", again.stdout);
    // Findings without a machine-applicable fix: nothing to fix either, and they are counted.
    let unfixable = Project::package("app", DETACHED).run(&["--fix", "--diff"]);
    unfixable.expect_code(0).stderr_has("taskcheck: nothing to fix (1 finding has no automatic fix)");
    assert!(unfixable.stdout.is_empty(), "{}", unfixable.stdout);
    p.run(&["--diff"]).expect_code(2).stderr_has("--fix");
}

/// In a git repository, `--fix` leaves a file with uncommitted changes alone unless told
/// (`--allow-dirty`), as `cargo fix` does; a committed file is fixed.
#[test]
fn fix_refuses_files_with_uncommitted_changes() {
    let lib = "pub fn f() {} // taskcheck: allow(detached_spawn)\n";
    let p = Project::package("app", lib);
    p.git(&["init", "-q", "-b", "main"]);
    p.git(&["add", "."]);
    p.git(&["commit", "-q", "-m", "start"]);
    let edited = format!("{lib}pub fn g() {{}}\n");
    p.file("src/lib.rs", &edited);
    p.run(&["--fix"])
        .expect_code(2)
        .stderr_has("--fix would write to files with uncommitted changes: src/lib.rs")
        .stderr_has("--allow-dirty");
    assert_eq!(p.read("src/lib.rs"), edited, "nothing written");
    p.run(&["--fix", "--diff"]).expect_code(1).stdout_has("+pub fn f() {}\n");
    p.run(&["--fix", "--allow-dirty"]).expect_code(0).stderr_has("taskcheck: fixed src/lib.rs (1 fix)");
    assert_eq!(p.read("src/lib.rs"), "pub fn f() {}\npub fn g() {}\n");
    // As committed, it is fixed without the flag.
    p.file("src/lib.rs", lib);
    p.run(&["--fix"]).expect_code(0).stderr_has("taskcheck: fixed src/lib.rs (1 fix)");
    p.run(&["--allow-dirty"]).expect_code(2).stderr_has("--fix");
}

/// A justification written without the `SAFETY:` marker documents the impls (silent by
/// default); with the pedantic `unmarked_safety_comment` on, `--fix` adds the marker, once for
/// the `Send` + `Sync` pair the comment covers.
#[test]
fn fix_marks_an_unsafe_impl_justification_as_safety() {
    let lib = "pub struct Raw(*mut u8);\n// The pointer is never dereferenced, so moving it is fine.\nunsafe impl Send for Raw {}\nunsafe impl Sync for Raw {}\n";
    let p = Project::package("app", lib);
    p.run(&["-A", "missing_race_check"]).expect_code(0);
    p.run(&["-W", "unmarked_safety_comment"])
        .expect_code(1)
        .stdout_has("`unsafe impl Send` has a justification but no `SAFETY:` marker")
        .stdout_has("`unsafe impl Sync` has a justification but no `SAFETY:` marker");
    p.run(&["--fix", "-W", "unmarked_safety_comment", "-A", "missing_race_check"])
        .expect_code(0)
        .stdout_has("(2 fixed)");
    assert_eq!(p.read("src/lib.rs"), lib.replace("// The pointer", "// SAFETY: The pointer"));
}

// ---- statistics, explain, list, links ----

#[test]
fn statistics_count_per_lint_and_rule() {
    let p = Project::package("app", &format!("{DETACHED}{}", DETACHED.replace("fn f", "fn g")));
    p.run(&["--statistics"])
        .expect_code(1)
        .stdout_has("statistics:\n")
        .stdout_has("      2  detached_spawn  1\n")
        .stdout_has("      2  1 (clear exit)\n")
        .stdout_has("      2  total (0 suppressed)\n");
    Project::package("app", CLEAN).run(&["--statistics", "-q"]).expect_code(0).stdout_has("  no findings\n");
    // In JSON, one object after the diagnostics.
    let json = p.run(&["--statistics", "--format", "json"]);
    json.expect_code(1);
    let last = json.stdout.lines().last().unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(last).expect("the last line is JSON");
    assert_eq!(value["statistics"]["lints"]["detached_spawn"], 2, "{last}");
    assert_eq!(value["statistics"]["rules"]["rule-1"], 2, "{last}");
}

#[test]
fn explain_and_list() {
    let p = Project::new();
    p.run(&["explain", "detached_spawn"])
        .expect_code(0)
        .stdout_has("# `detached_spawn`")
        .stdout_has("### What it does")
        .stdout_has("## Silencing it")
        .stdout_has("// taskcheck: allow(detached_spawn) -- <reason>")
        .stdout_has("](https://github.com/taskcheck/taskcheck/blob/main/docs/precision.md)")
        .stdout_has("](https://github.com/taskcheck/taskcheck/blob/main/docs/lints/README.md)");
    p.run(&["taskcheck", "explain", "detached_spwan"])
        .expect_code(2)
        .stderr_has("error: unknown lint `detached_spwan`")
        .stderr_has("did you mean `detached_spawn`?");
    let list = p.run(&["taskcheck", "list"]);
    list.expect_code(0).stdout_has("detached_spawn").stdout_has("1 clear exit").stdout_has("unused_suppression");
    for lint in cargo_taskcheck::lints::all_lints() {
        list.stdout_has(lint.summary);
    }
}

#[test]
fn every_finding_links_its_documentation() {
    Project::package("app", DETACHED).run(&[]).expect_code(1).stdout_has(
        "= note: for further information visit https://github.com/taskcheck/taskcheck/blob/main/docs/lints/detached_spawn.md",
    );
}

// ---- the corpus ----

/// Where the shared corpus of real crates is, when this machine has it.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TASKCHECK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root/.cache/taskcheck-corpus/vendor"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: no corpus at {} (set TASKCHECK_CORPUS); skipping", dir.display());
        None
    }
}

/// `--fix` over a copy of the corpus, every lint on: each fixed file must still parse. To give
/// the fixer work whatever the lints suggest, one file in eight also gets a suppression comment
/// on its first line that suppresses nothing, which `--fix` must remove, leaving the original
/// text. (Files starting with a shebang are left as they are.)
///
/// A debug build takes one crate in four, so that `cargo test` stays quick on a busy machine;
/// `cargo test --release --test adoption` takes them all.
#[test]
fn fixes_over_the_corpus_still_parse() {
    let Some(corpus) = corpus() else { return };
    let step = if cfg!(debug_assertions) { 4 } else { 1 };
    let mut crates: Vec<PathBuf> =
        std::fs::read_dir(&corpus).expect("list the corpus").flatten().map(|e| e.path()).collect();
    crates.sort();
    let copy = tempfile::tempdir().expect("temporary folder");
    let mut files = Vec::new();
    let entries = crates.iter().step_by(step).flat_map(|c| walkdir::WalkDir::new(c).sort_by_file_name());
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let target = copy.path().join(path.strip_prefix(&corpus).expect("under the corpus"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folders");
            continue;
        }
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        if !entry.file_type().is_file() || !(is_rust || path.ends_with("Cargo.toml")) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let shebang = text.starts_with("#!") && !text.starts_with("#![");
        let plant = is_rust && files.len() % 8 == 0 && !shebang;
        let written = if plant { format!("// taskcheck: allow(sleep_in_test)\n{text}") } else { text.clone() };
        std::fs::write(&target, &written).expect("write copy");
        if is_rust {
            files.push((target, text, written));
        }
    }
    let output = common::taskcheck()
        .args(["--fix", "-q", "--color", "never", "-W", "all", "."])
        .current_dir(copy.path())
        .output()
        .expect("run cargo-taskcheck");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("refused"), "a fix would not have parsed:\n{stderr}");
    let (mut fixed, mut restored, mut planted) = (0, 0, 0);
    for (path, original, written) in &files {
        let now = std::fs::read_to_string(path).expect("read fixed file");
        planted += usize::from(original != written);
        if now == *written {
            continue;
        }
        fixed += 1;
        if now == *original {
            restored += 1;
        } else {
            assert!(syn::parse_file(now.trim_start_matches('\u{feff}')).is_ok(), "{} no longer parses", path.display());
        }
    }
    println!(
        "corpus (one crate in {step}): {} files, {planted} planted comments, {fixed} files fixed, {restored} back to the original",
        files.len()
    );
    assert!(
        restored * 10 >= planted * 9,
        "most planted comments suppress nothing and are removed: {restored} of {planted}"
    );
}
