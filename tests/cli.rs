//! End-to-end tests of the `cargo-taskcheck` binary on crates written to temporary folders:
//! discovery, selection flags, the human output, colours and exit codes.

mod common;

use common::{manifest, Project, CLEAN, DETACHED};
use std::path::Path;

/// Silent in `src/`, `sleep_in_test` under `tests/`: the whole file is test code there.
const SLEEPY_HELPER: &str = "pub fn settle() {\n    let (tx, rx) = std::sync::mpsc::channel();\n    \
    let h = std::thread::spawn(move || tx.send(1).unwrap());\n    \
    std::thread::sleep(std::time::Duration::from_millis(10));\n    assert_eq!(rx.try_recv(), Ok(1));\n    \
    h.join().unwrap();\n}\n";

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

/// Module paths (`facts::modules`) come from the files' paths as shown, relative to the folder
/// the run starts in: run from the package folder (`src/inner.rs`) as from its parent
/// (`pkg/src/inner.rs`), a type in a private module is not public API, and the type of an
/// `unsafe impl` is found in another file.
#[test]
fn module_paths_do_not_depend_on_where_the_run_starts() {
    let p = Project::new();
    p.file("pkg/Cargo.toml", &manifest("pkg", ""))
        .file("pkg/src/lib.rs", "mod inner;\nmod slot;\nuse slot::Slot;\n// SAFETY: not for every `T`.\nunsafe impl<T> Send for Slot<T> {}\n")
        .file(
            "pkg/src/inner.rs",
            "use std::sync::Mutex;\n/// A pool.\npub struct Pool {\n    m: Mutex<u8>,\n}\nimpl Pool {\n    pub fn get(&self) -> u8 {\n        0\n    }\n}\n",
        )
        .file("pkg/src/slot.rs", "pub struct Slot<T> {\n    value: std::cell::UnsafeCell<T>,\n}\n");
    let lints = ["-W", "undocumented_shared_type", "-W", "send_sync_impl_unbounded", "--format", "short"];
    for (dir, folder, shown) in [("pkg", ".", "src/lib.rs"), (".", "pkg", "pkg/src/lib.rs")] {
        let args: Vec<&str> = lints.iter().copied().chain([folder]).collect();
        p.run_in(dir, &args)
            .stdout_has(&format!("{shown}:5:13: warning[send_sync_impl_unbounded]"))
            .stdout_lacks("undocumented_shared_type");
    }
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
    let missing = p.run(&["nope.rs"]);
    missing.expect_code(2).stderr_has("error: no such file or folder `nope.rs`");
    assert!(!missing.stderr.contains("help:"), "no subcommand is close: {}", missing.stderr);
    p.run(&["Cargo.toml"]).expect_code(2).stderr_has("is not a Rust source file");
}

/// clap takes any word it does not know for a path: a mistyped subcommand is suggested.
#[test]
fn a_missing_path_close_to_a_subcommand_suggests_it() {
    let p = Project::package("app", CLEAN);
    for (typo, command) in [("lst", "list"), ("explian", "explain"), ("halp", "help")] {
        p.run(&["taskcheck", typo]).expect_code(2).stderr_has(&format!(
            "error: no such file or folder `{typo}`\nhelp: did you mean the subcommand `{command}`?"
        ));
    }
    // A folder that exists is checked, whatever its name.
    p.file("lst/a.rs", CLEAN);
    p.run(&["lst"]).expect_code(0).stdout_has("no findings in 1 file");
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
fn a_package_without_an_edition_is_read_as_2015() {
    // Cargo's default edition is 2015, whose syntax syn does not know: a bare `Fn` trait
    // object, a parameter without a name, `try` as a function name.
    let lib =
        format!("pub trait Run {{ fn run(&self, Box<Fn() + Send>); }}\npub fn try(f: &Fn()) {{ f() }}\n{DETACHED}");
    let p = Project::new();
    p.file("Cargo.toml", "[package]\nname = \"old\"\nversion = \"0.1.0\"\n").file("src/lib.rs", &lib);
    for args in [&[][..], &["src/lib.rs"][..]] {
        p.run(args).expect_code(1).stdout_has("--> src/lib.rs:3:48").stdout_lacks("parse_error");
    }
    // Edition 2021 rejects it, and so does taskcheck.
    p.file("Cargo.toml", &manifest("old", ""));
    p.run(&[])
        .expect_code(2)
        .stdout_has("error[parse_error]")
        .stdout_has("--> src/lib.rs:1:")
        .stdout_has("taskcheck read it as Rust 2021");
}

#[test]
fn non_utf8_file_is_an_io_error() {
    let p = Project::package("app", CLEAN);
    p.bytes("src/latin1.rs", b"// caf\xe9\nfn f() {}\n");
    p.bytes("src/later.rs", b"fn f() {}\n// caf\xe9\n");
    p.run(&[])
        .expect_code(2)
        .stdout_has("error[io_error]: src/latin1.rs is not valid UTF-8 (byte 6, line 1, column 7)")
        .stdout_has("error[io_error]: src/later.rs is not valid UTF-8 (byte 16, line 2, column 7)");
}

#[test]
fn lint_level_flags() {
    let p = Project::package("app", DETACHED);
    p.run(&["-A", "detached_spawn"]).expect_code(0);
    p.run(&["-D", "detached_spawn"])
        .expect_code(1)
        .stdout_has("error[detached_spawn]")
        .stdout_has("1 error (detached_spawn) in");
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
        let mut cmd = common::taskcheck();
        cmd.args(args).current_dir(p.path());
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

// ---- when `cargo metadata` fails ----

const READ_ITSELF: &str = "taskcheck read the manifests itself";

/// A `rust-toolchain.toml` pinning a toolchain that is not installed: rustup's proxy (the
/// `cargo` on PATH, as for a run outside cargo) fails at once, without downloading, and the
/// manifests are read instead. Where no rustup handles the file, cargo simply succeeds.
#[test]
fn a_missing_pinned_toolchain_still_gives_findings() {
    let p = Project::package("app", DETACHED);
    p.file("rust-toolchain.toml", "[toolchain]\nchannel = \"1.0.99\"\n");
    // `CARGO` (set by `cargo test`) would bypass the proxy; `RUSTUP_TOOLCHAIN` would override the file.
    let unset = ["CARGO", "RUSTUP_TOOLCHAIN"];
    let started = std::time::Instant::now();
    let run = p.run_without(&unset, &[]);
    run.expect_code(1).stdout_has(&detached_location("src/lib.rs")).stdout_has("1 warning in 1 file");
    let cargo_fails = !std::process::Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(p.path())
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("RUSTUP_AUTO_INSTALL", "0")
        .output()
        .is_ok_and(|o| o.status.success());
    if cargo_fails {
        run.stderr_has("warning: `cargo metadata` failed: toolchain '1.0.99").stderr_has(READ_ITSELF);
        assert_eq!(run.stderr.lines().count(), 1, "one warning line: {}", run.stderr);
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "no toolchain download");
    } else {
        assert!(run.stderr.is_empty(), "cargo listed the workspace: {}", run.stderr);
    }
}

/// A dependency on a registry this machine has no configuration for: `cargo metadata` rejects
/// the manifest even with `--no-deps`.
#[test]
fn a_manifest_cargo_rejects_still_gives_findings() {
    let p = Project::new();
    p.file(
        "Cargo.toml",
        &manifest("app", "[dependencies]\ninternal = { version = \"1\", registry = \"corp-mirror\" }\n"),
    )
    .file("src/lib.rs", DETACHED);
    let run = p.run(&[]);
    run.expect_code(1)
        .stdout_has(&detached_location("src/lib.rs"))
        .stderr_has("warning: `cargo metadata` failed: failed to parse manifest")
        .stderr_has("`corp-mirror`; taskcheck read the manifests itself");
    assert_eq!(run.stderr.lines().count(), 1, "one warning line: {}", run.stderr);
    // The dependency still counts for the lints (here: none of them is a runtime).
    p.run(&["-p", "app"]).expect_code(1);
    p.run(&["-p", "ap"]).expect_code(2).stderr_has("did you mean `app`?");
}

/// Globbed members, `exclude`, `default-members` and path dependencies: the manifests read
/// by taskcheck give the same packages and files as `cargo metadata`.
#[test]
fn reading_the_manifests_finds_what_cargo_metadata_finds() {
    let p = Project::new();
    p.file(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\", \"tools/gen\"]\nexclude = [\"crates/old\"]\n\
         default-members = [\"crates/a\", \"tools/*\"]\nresolver = \"2\"\n",
    );
    let dependent = "[dependencies]\nshared = { path = \"../../shared\" }\n";
    for (folder, name, extra) in [
        ("crates/a", "a", dependent),
        ("crates/b", "b", ""),
        ("crates/old", "old", ""),
        ("shared", "shared", ""),
        ("tools/gen", "gen", ""),
        ("unrelated", "unrelated", ""),
    ] {
        p.file(&format!("{folder}/Cargo.toml"), &manifest(name, extra))
            .file(&format!("{folder}/src/lib.rs"), DETACHED)
            .file(&format!("{folder}/tests/t.rs"), SLEEPY_HELPER);
    }
    let selections: [&[&str]; 5] =
        [&[], &["--workspace"], &["--workspace", "--exclude", "b"], &["-p", "shared"], &["-p", "b", "-p", "gen"]];
    for selection in selections {
        let args = |fallback: bool| {
            let mut args = vec!["--format", "short", "--no-cache"];
            args.extend_from_slice(selection);
            if fallback {
                args.push("--no-cargo-metadata");
            }
            args
        };
        let (cargo, read) = (p.run(&args(false)), p.run(&args(true)));
        assert!(cargo.stderr.is_empty() && read.stderr.is_empty(), "{}{}", cargo.stderr, read.stderr);
        assert_eq!(cargo.stdout, read.stdout, "{selection:?}");
        assert!(!cargo.stdout.contains("crates/old") && !cargo.stdout.contains("unrelated"), "{}", cargo.stdout);
    }
    let every = p.run(&["--format", "short", "--workspace"]);
    assert_eq!(every.stdout.lines().count(), 8, "a, b, gen, shared: {}", every.stdout);
    // A folder the glob matches that is no package: cargo gives up, taskcheck reads on.
    p.file("crates/notes/README.md", "design notes\n");
    let run = p.run(&["--format", "short", "--workspace"]);
    run.expect_code(1).stderr_has("failed to load manifest for workspace member").stderr_has(READ_ITSELF);
    assert_eq!(run.stdout, every.stdout);
    // The flag that forces the reading is for tests: not in the help.
    p.run(&["--help"]).expect_code(0).stdout_lacks("no-cargo-metadata");
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
    let output = common::taskcheck()
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

/// `src/a.rs`: two `unsafe impl Send` without a `SAFETY:` comment
/// (`undocumented_unsafe_send_sync`, documentation); `src/z.rs`: a certain deadlock (`double_lock`).
fn costly_finding_in_a_later_file() -> Project {
    Project::with_files(
        "costs",
        &[
            ("src/lib.rs", "pub mod a;\npub mod z;\n"),
            (
                "src/a.rs",
                "/// A buffer.\npub struct Buffer(*mut u8);\nunsafe impl Send for Buffer {}\n\n\
                 /// A view.\npub struct View(*const u8);\nunsafe impl Send for View {}\n",
            ),
            (
                "src/z.rs",
                "pub fn f(m: &std::sync::Mutex<u32>) {\n    let a = m.lock().unwrap();\n    \
                 let b = m.lock().unwrap();\n    drop((a, b));\n}\n",
            ),
        ],
    )
}

#[test]
fn human_output_puts_the_costly_finding_first_and_names_it_in_the_summary() {
    let p = costly_finding_in_a_later_file();
    let run = p.run(&[]);
    run.expect_code(1).stdout_has("taskcheck: 1 error (double_lock), 2 warnings in 3 files");
    assert_eq!(
        run.lints(),
        ["double_lock", "undocumented_unsafe_send_sync", "undocumented_unsafe_send_sync"],
        "{}",
        run.stdout
    );
    assert_eq!(run.locations(), ["src/z.rs", "src/a.rs", "src/a.rs"]);
    // Machine formats keep the file order.
    let short = p.run(&["--format", "short"]);
    let files: Vec<&str> = short.stdout.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(files, ["src/a.rs", "src/a.rs", "src/z.rs"], "{}", short.stdout);
}

#[test]
fn categories_are_level_groups_on_the_command_line_and_in_the_configuration() {
    let p = costly_finding_in_a_later_file();
    p.run(&["-A", "documentation"]).expect_code(1).stdout_has("taskcheck: 1 error (double_lock) in 3 files");
    p.run(&["-A", "correctness", "-A", "documentation"]).expect_code(0);
    p.run(&["-W", "correctness"]).expect_code(1).stdout_has("taskcheck: 3 warnings in 3 files");
    p.run(&["-A", "documentation", "-W", "rule-11"]).expect_code(1).stdout_has("2 warnings in 3 files");
    p.run(&["-W", "pedantik"]).expect_code(2).stderr_has("did you mean `pedantic`?");
    p.file("taskcheck.toml", "[lints]\nrule-11 = \"deny\"\ndocumentation = \"allow\"\n");
    p.run(&[]).expect_code(1).stdout_has("taskcheck: 3 errors (double_lock, undocumented_unsafe_send_sync) in 3 files");
    let feed = "pub fn f() -> std::sync::mpsc::Receiver<u32> {\n    let (tx, rx) = std::sync::mpsc::channel();\n    \
                std::thread::spawn(move || loop { let _ = tx.send(1); });\n    rx\n}\n";
    p.file("src/b.rs", feed)
        .file("src/lib.rs", "pub mod a;\npub mod b;\npub mod z;\n")
        .file("taskcheck.toml", "[lints]\nall = \"allow\"\npedantic = \"warn\"\n");
    let run = p.run(&[]);
    run.expect_code(1);
    assert_eq!(run.lints(), ["unbounded_channel", "unnamed_thread"], "{}", run.stdout);
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

/// An accept loop spawning a thread per connection: `unbounded_spawn_in_loop` in production
/// code, exempt in test code.
const ACCEPT_LOOP: &str = "pub fn serve(listener: std::net::TcpListener) {\n    loop {\n        \
                           let (socket, _) = listener.accept().unwrap();\n        \
                           std::thread::spawn(move || drop(socket));\n    }\n}\n";

/// A module file is test code when the file declaring it compiles it only for tests
/// (`#[cfg(test)] mod tests;`) or for a test-support feature, and so is every module below it;
/// the same code in a production module is still reported. Both ways in: `cargo metadata` and
/// named folders.
#[test]
fn modules_declared_for_tests_are_test_code() {
    const LIB: &str =
        "#[cfg(test)]\nmod tests;\npub mod a;\npub mod server;\n#[cfg(feature = \"test-util\")]\npub mod test_util;\n";
    let p = Project::new();
    p.file("Cargo.toml", &manifest("declared", "[features]\ntest-util = []\n"))
        .file("src/lib.rs", LIB)
        .file("src/server.rs", ACCEPT_LOOP)
        .file("src/tests.rs", ACCEPT_LOOP)
        .file("src/a/mod.rs", "#[cfg(test)]\nmod helpers;\npub mod prod;\n")
        .file("src/a/prod.rs", ACCEPT_LOOP)
        .file("src/a/helpers.rs", "mod deeper;\n")
        .file("src/a/helpers/deeper.rs", ACCEPT_LOOP)
        .file("src/test_util/mod.rs", ACCEPT_LOOP);
    let reported = |args: &[&str]| -> Vec<String> {
        let run = p.run(args);
        run.expect_code(1);
        run.stdout.lines().map(|l| l.split(':').next().unwrap_or(l).to_string()).collect()
    };
    for args in [&["--format", "short"][..], &["--format", "short", "src"][..]] {
        assert_eq!(reported(args), ["src/a/prod.rs", "src/server.rs"], "{args:?}");
    }
    // Without the cfgs, the same modules are production code again.
    p.file(
        "src/lib.rs",
        &LIB.replace("#[cfg(test)]", "").replace("feature = ", "not(feature = ").replace("\")]", "\"))]"),
    )
    .file("src/a/mod.rs", "mod helpers;\npub mod prod;\n");
    assert_eq!(
        reported(&["--format", "short"]),
        ["src/a/helpers/deeper.rs", "src/a/prod.rs", "src/server.rs", "src/test_util/mod.rs", "src/tests.rs"]
    );
}
