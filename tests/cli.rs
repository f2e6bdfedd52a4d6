//! End-to-end tests of the `cargo-taskcheck` binary on crates written to temporary folders:
//! discovery, selection flags, the human output, colours and exit codes.

mod common;

use assert_cmd::Command;
use common::{manifest, Project, CLEAN, DETACHED};
use std::path::Path;

/// Silent in `src/`, `sleep_in_test` under `tests/`: the whole file is test code there.
const SLEEPY_HELPER: &str = "pub fn settle() {\n    let h = std::thread::spawn(|| {});\n    \
    std::thread::sleep(std::time::Duration::from_millis(10));\n    h.join().unwrap();\n}\n";

/// ` --> src/lib.rs:1:COL` for the spawn call in [`DETACHED`].
fn detached_location(path: &str) -> String {
    let col = DETACHED.find("std::thread::spawn").expect("spawn in DETACHED") + 1;
    format!("--> {path}:1:{col}")
}

/// A virtual workspace with members `a` (clean) and `b` (a finding), plus extra root lines.
fn workspace(extra: &str) -> Project {
    let p = Project::new();
    p.file("Cargo.toml", &format!("[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n{extra}"))
        .file("a/Cargo.toml", &manifest("a", ""))
        .file("a/src/lib.rs", CLEAN)
        .file("b/Cargo.toml", &manifest("b", ""))
        .file("b/src/lib.rs", DETACHED);
    p
}

#[test]
fn clean_crate_exits_0_with_a_summary() {
    Project::package("clean", CLEAN).run(&[]).expect_code(0).stdout_has("taskcheck: no findings in 1 file");
}

#[test]
fn finding_exits_1_with_header_location_and_summary() {
    let run = Project::package("app", DETACHED).run(&[]);
    run.expect_code(1)
        .stdout_has("warning[detached_spawn]: ")
        .stdout_has(&detached_location("src/lib.rs"))
        .stdout_has("taskcheck: 1 warning in 1 file");
    assert!(run.stderr.is_empty(), "nothing on stderr: {}", run.stderr);
}

#[test]
fn cargo_subcommand_form_behaves_the_same() {
    let p = Project::package("app", DETACHED);
    p.run(&["taskcheck"]).expect_code(1).stdout_has(&detached_location("src/lib.rs"));
    p.run(&["taskcheck", "-A", "detached_spawn"]).expect_code(0);
}

#[test]
fn manifest_path_selects_another_package_and_paths_stay_relative() {
    let p = Project::new();
    p.file("svc/Cargo.toml", &manifest("svc", "")).file("svc/src/lib.rs", DETACHED).file("elsewhere/.keep", "");
    p.run(&["--manifest-path", "svc/Cargo.toml"]).expect_code(1).stdout_has(&detached_location("svc/src/lib.rs"));
    p.run_in("elsewhere", &["--manifest-path", "../svc/Cargo.toml"])
        .expect_code(1)
        .stdout_has(&detached_location("../svc/src/lib.rs"));
}

#[test]
fn package_flag_selects_members() {
    let p = workspace("");
    let run = p.run(&["-p", "a"]);
    run.expect_code(0).stdout_has("in 1 file");
    let run = p.run(&["-p", "b"]);
    run.expect_code(1).stdout_has(&detached_location("b/src/lib.rs"));
    p.run(&["-p", "a", "-p", "b"]).expect_code(1).stdout_has("in 2 files");
    p.run(&["-p", "bb"])
        .expect_code(2)
        .stderr_has("error: package `bb` is not a member")
        .stderr_has("did you mean `b`?");
}

#[test]
fn workspace_and_exclude() {
    let p = workspace("");
    p.run(&["--workspace"]).expect_code(1).stdout_has("in 2 files");
    p.run(&["--workspace", "--exclude", "b"]).expect_code(0).stdout_has("in 1 file");
    p.run(&["--exclude", "b"]).expect_code(2).stderr_has("--workspace");
}

#[test]
fn virtual_root_checks_default_members() {
    let p = workspace("default-members = [\"a\"]\n");
    p.run(&[]).expect_code(0).stdout_has("in 1 file");
    // Without `default-members`, every member is a default member.
    workspace("").run(&[]).expect_code(1).stdout_has("in 2 files");
}

#[test]
fn inside_a_member_checks_that_member() {
    let p = workspace("");
    p.run_in("b/src", &[]).expect_code(1).stdout_has("in 1 file").stdout_has(&detached_location("lib.rs"));
}

#[test]
fn positional_file_and_folder_without_a_manifest() {
    let p = Project::new();
    p.file("worker.rs", DETACHED).file("more/clean.rs", CLEAN).file("more/deeper/also.rs", DETACHED);
    p.run(&["worker.rs"]).expect_code(1).stdout_has(&detached_location("worker.rs")).stdout_has("in 1 file");
    let run = p.run(&["more/", "worker.rs", "./more/clean.rs"]);
    run.expect_code(1).stdout_has("in 3 files");
    assert_eq!(run.locations(), ["more/deeper/also.rs", "worker.rs"]);
}

#[test]
fn positional_paths_must_exist_and_be_rust() {
    let p = Project::package("app", CLEAN);
    p.run(&["nope.rs"]).expect_code(2).stderr_has("error: cannot check `nope.rs`");
    p.run(&["Cargo.toml"]).expect_code(2).stderr_has("is not a Rust source file");
}

#[test]
fn files_under_tests_are_test_code() {
    let p = Project::package("app", SLEEPY_HELPER);
    p.file("tests/helpers.rs", SLEEPY_HELPER);
    let run = p.run(&[]);
    run.expect_code(1).stdout_has("warning[sleep_in_test]");
    assert_eq!(run.locations(), ["tests/helpers.rs"]);
    // The same holds when the file is named on the command line.
    p.run(&["tests/helpers.rs", "src/lib.rs"]).expect_code(1).stdout_has("warning[sleep_in_test]");
}

#[test]
fn nested_packages_target_and_hidden_folders_are_skipped() {
    let p = Project::package("outer", CLEAN);
    p.file("inner/Cargo.toml", &manifest("inner", ""))
        .file("inner/src/lib.rs", DETACHED)
        .file("target/debug/build/out/generated.rs", DETACHED)
        .file(".git/hooks/hook.rs", DETACHED)
        .file("examples/demo.rs", CLEAN)
        .file("build.rs", CLEAN)
        .file("src/target/mod.rs", CLEAN);
    // lib.rs, examples/demo.rs, build.rs and the `src/target` module folder.
    p.run(&[]).expect_code(0).stdout_has("in 4 files");
}

#[test]
fn unparsable_file_is_reported_and_the_rest_still_checked() {
    let p = Project::package("app", DETACHED);
    // It names a spawn, so the prefilter (which skips files no lint can fire in) parses it.
    p.file("src/broken.rs", "fn ok() { std::thread::spawn(|| {}); }\nfn broken( {\n");
    let run = p.run(&[]);
    run.expect_code(2)
        .stdout_has("error[parse_error]")
        .stdout_has("--> src/broken.rs:2:")
        .stdout_has("warning[detached_spawn]");
    assert_eq!(run.locations(), ["src/broken.rs", "src/lib.rs"], "sorted by path");
}

#[test]
fn non_utf8_file_is_an_io_error() {
    let p = Project::package("app", CLEAN);
    p.bytes("src/latin1.rs", b"// caf\xe9\nfn f() {}\n");
    p.run(&[]).expect_code(2).stdout_has("error[io_error]: src/latin1.rs is not valid UTF-8 (byte 6)");
}

#[test]
fn lint_level_flags() {
    let p = Project::package("app", DETACHED);
    p.run(&["-A", "detached_spawn"]).expect_code(0);
    p.run(&["-D", "detached_spawn"]).expect_code(1).stdout_has("error[detached_spawn]").stdout_has("1 error in");
    p.run(&["-D", "warnings"]).expect_code(1).stdout_has("error[detached_spawn]");
    p.run(&["-D", "detached_spawn", "-A", "detached_spawn"]).expect_code(0);
    p.run(&["-W", "detachd_spawn"])
        .expect_code(2)
        .stderr_has("error: unknown lint `detachd_spawn`")
        .stderr_has("help: did you mean `detached_spawn`?");
    p.run(&["-A", "parse_error"]).expect_code(2).stderr_has("cannot be given a level");
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let p = Project::package("app", DETACHED);
    let escape = "\u{1b}[";
    p.run(&["--color", "always"]).expect_code(1).stdout_has(escape);
    p.run(&["--color", "never"]).expect_code(1).stdout_lacks(escape);
    // Not a terminal: `auto` means no colour.
    p.run(&[]).stdout_lacks(escape);
    let with_env = |vars: &[(&str, &str)], args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-taskcheck"));
        cmd.args(args).current_dir(p.path()).env_remove("NO_COLOR").env_remove("CARGO_TERM_COLOR");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.output().expect("run").stdout).expect("UTF-8")
    };
    assert!(with_env(&[("CARGO_TERM_COLOR", "always")], &[]).contains(escape));
    assert!(!with_env(&[("CARGO_TERM_COLOR", "always")], &["--color", "never"]).contains(escape));
    assert!(with_env(&[("NO_COLOR", "1")], &["--color", "always"]).contains(escape));
    assert!(!with_env(&[("NO_COLOR", "1")], &["--color", "auto"]).contains(escape));
}

#[test]
fn quiet_prints_findings_only() {
    let clean = Project::package("clean", CLEAN).run(&["-q"]);
    clean.expect_code(0);
    assert_eq!(clean.stdout, "");
    Project::package("app", DETACHED)
        .run(&["--quiet"])
        .expect_code(1)
        .stdout_has("warning[")
        .stdout_lacks("taskcheck:");
}

#[test]
fn version_in_both_forms() {
    let p = Project::new();
    for args in [&["--version"][..], &["taskcheck", "--version"]] {
        let run = p.run(args);
        run.expect_code(0).stdout_has(concat!("cargo-taskcheck ", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn run_errors_go_to_stderr_with_exit_2() {
    let p = Project::new();
    p.file("Cargo.toml", "[package\nname = ");
    let run = p.run(&[]);
    run.expect_code(2).stderr_has("error: `cargo metadata` failed");
    assert!(run.stdout.is_empty());
}

#[test]
fn each_file_is_checked_once() {
    let p = Project::package("app", DETACHED);
    let run = p.run(&["src/lib.rs", "src", "./src/lib.rs"]);
    run.expect_code(1).stdout_has("1 warning in 1 file");
}

#[test]
fn deeply_nested_code_does_not_overflow_the_stack() {
    // Each file spawns, so the prefilter lets it through to the parser.
    let nested = |depth: usize| {
        format!("pub fn f() -> u32 {{ std::thread::spawn(|| {{}}); {}1{} }}\n", "(".repeat(depth), ")".repeat(depth))
    };
    // Deep but under the nesting limit: parsed on the workers' large stacks.
    Project::package("deep", &nested(900)).run(&[]).expect_code(0);
    // Past the limit: reported, not parsed; the other files are still checked.
    let p = Project::package("deeper", DETACHED);
    p.file("src/generated.rs", &nested(100_000));
    p.run(&[])
        .expect_code(2)
        .stdout_has("error[parse_error]: this file nests deeper than 1000 levels")
        .stdout_has("--> src/generated.rs:1:")
        .stdout_has("warning[detached_spawn]");
}

/// The demo crate the README shows must keep showing one finding of each current lint.
#[test]
fn demo_crate_shows_findings() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/Cargo.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-taskcheck"))
        .args(["taskcheck", "--color", "never", "--manifest-path"])
        .arg(&demo)
        .output()
        .expect("run cargo-taskcheck");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    for lint in ["detached_spawn", "sleep_in_test", "unbounded_spawn_in_loop", "undocumented_unsafe_send_sync"] {
        assert!(stdout.contains(&format!("warning[{lint}]")), "demo lacks {lint}:\n{stdout}");
    }
}

/// The prefilter: a file without a word any enabled lint needs is counted but not parsed, so
/// even its syntax errors go unreported.
#[test]
fn files_no_lint_can_fire_in_are_counted_but_not_parsed() {
    let p = Project::package("app", CLEAN);
    p.file("src/broken.rs", "fn broken( {\n");
    p.run(&[]).expect_code(0).stdout_has("no findings in 2 files");
}

/// `missing_race_check` speaks about CI only where it can see it: not for a folder outside any
/// repository with no CI file, nor for a published package; a script the workflow runs counts.
#[test]
fn missing_race_check_speaks_only_where_ci_is_in_sight() {
    const UNSAFE: &str =
        "pub struct P(*mut u8);\n// SAFETY: owned by one thread at a time.\nunsafe impl Send for P {}\n";
    let races = |p: &Project| p.run(&[]).lints().iter().filter(|l| *l == "missing_race_check").count();
    let p = Project::package("loose", UNSAFE);
    assert_eq!(races(&p), 0, "outside a repository, with no CI file, what CI runs is unknown");
    p.file(".git/HEAD", "ref: refs/heads/main\n");
    assert_eq!(races(&p), 1, "a repository without CI configuration runs no race check");
    p.file(".github/workflows/ci.yml", "jobs:\n  test:\n    steps:\n      - run: ./ci/races.sh\n");
    assert_eq!(races(&p), 1, "the script is not there");
    p.file("ci/races.sh", "#!/bin/sh\nRUSTFLAGS=-Zsanitizer=thread cargo +nightly test\n");
    assert_eq!(races(&p), 0, "the workflow runs a script that builds with ThreadSanitizer");
    p.file("ci/races.sh", "#!/bin/sh\ncargo test\n");
    assert_eq!(races(&p), 1);
    p.file(".cargo_vcs_info.json", "{\"path_in_vcs\": \"\"}\n");
    assert_eq!(races(&p), 0, "a published package is checked by its repository's CI, out of sight");
}
