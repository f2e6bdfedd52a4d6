//! Input that must never crash, hang or derail a run: an empty file, a 10 MB file, code nested
//! 10,000 deep, symlink loops, unreadable files and a file that disappears between discovery
//! and reading. Each bad file is reported (or skipped) on its own; the rest is still checked.

mod common;

use cargo_taskcheck::analysis::analyse;
use cargo_taskcheck::cli::FailOn;
use cargo_taskcheck::config::Settings;
use cargo_taskcheck::discover::{Plan, RustFile};
use cargo_taskcheck::lints::registry::tool;
use cargo_taskcheck::lints::{
    analyze_file, nesting, Diagnostic, FileId, FileInput, Levels, PackageInfo, SourceFile, SourceMap, STACK_BYTES,
};
use cargo_taskcheck::outcome::Outcome;
use common::{Project, DETACHED};
use std::path::{Path, PathBuf};

/// Analyses `text` as one file on a thread with the stack the driver gives its workers.
fn analyse_text(text: String) -> Vec<Diagnostic> {
    std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let source = SourceFile::new("src/lib.rs", text);
            let package = PackageInfo::default();
            let input = FileInput {
                id: FileId(0),
                source: &source,
                package: &package,
                is_test_file: false,
                is_example_file: false,
                extra_test_attrs: &[],
            };
            analyze_file(&input, &Levels::default()).diagnostics
        })
        .expect("start a thread")
        .join()
        .expect("the analysis never panics")
}

#[test]
fn empty_files_are_clean() {
    assert!(analyse_text(String::new()).is_empty());
    assert!(analyse_text("\u{feff}".to_string()).is_empty());
    assert!(analyse_text("#!/usr/bin/env run-cargo-script\n".to_string()).is_empty());
    let dir = Project::with_files("hard", &[("src/lib.rs", ""), ("src/empty.rs", "")]);
    let run = dir.run(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("no findings in 2 files"), "{}", run.stdout);
}

/// A file the tokenizer stops in is reported with what it stopped at, and a file with no
/// package around it says which edition it was read as.
#[test]
fn unbalanced_delimiters_say_which() {
    let diagnostics = analyse_text("fn main() {\n    std::thread::spawn(move || { loop {} );\n}\n".to_string());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert!(d.lint == &tool::PARSE_ERROR, "{d:?}");
    assert!(d.message.contains("mismatched closing delimiter `)`"), "{}", d.message);
    assert!(d.notes.iter().any(|n| n.contains("no package around the file")), "{:?}", d.notes);
    let unclosed = analyse_text("fn main() {\n    let x = (1, 2;\n".to_string());
    assert!(unclosed[0].message.contains("unclosed delimiter `(`"), "{}", unclosed[0].message);
}

/// A 10 MB file: 1 MB of code with one finding per copy, and a 9 MB table in a raw string.
#[test]
fn ten_megabyte_file_is_analysed() {
    let copy = |i: usize| {
        format!(
            "pub fn f{i}(rx: std::sync::mpsc::Receiver<u32>) {{\n    std::thread::spawn(move || loop {{ let _ = rx.recv(); }});\n}}\n"
        )
    };
    let mut text = String::with_capacity(10_500_000);
    let mut copies = 0;
    while text.len() < 1_000_000 {
        text.push_str(&copy(copies));
        copies += 1;
    }
    text.push_str("pub const TABLE: &str = r#\"\n");
    let row = "0123456789abcdef 0123456789abcdef 0123456789abcdef 0123456789abcdef\n";
    while text.len() < 10_000_000 {
        text.push_str(row);
    }
    text.push_str("\"#;\n");
    let dir = Project::with_files("hard", &[("src/lib.rs", &text)]);
    let run = dir.run(&["--quiet"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.matches("warning[detached_spawn]").count(), copies);
}

/// Code nested 10,000 deep, in every way that nests syn's parser or the syntax tree: refused
/// with a `parse_error`, never a stack overflow.
fn deep(kind: &str, n: usize) -> String {
    let r = |s: &str| s.repeat(n);
    let body = match kind {
        "parens" => format!("{}1{}", r("("), r(")")),
        "brackets" => format!("{}1{}", r("["), r("]")),
        "blocks" => format!("{}1{}", r("{"), r("}")),
        "closures" => format!("{}1", r("|| ")),
        "move_closures" => format!("{}1", r("move |x| ")),
        "closure_blocks" => format!("{}1{}", r("|| {"), r("}")),
        "returns" => format!("{}1", r("return ")),
        "nots" => format!("{}x", r("!")),
        "refs" => format!("{}x", r("&")),
        "negs" => format!("{}x", r("- ")),
        "assigns" => format!("{}1", r("a = ")),
        "binary" => format!("{}1", r("a + ")),
        "methods" => format!("x{}", r(".f()")),
        "fields" => format!("x{}", r(".0")),
        "tries" => format!("x{}", r("?")),
        "calls" => format!("f{}", r("()")),
        "casts" => format!("x{}", r(" as u8")),
        "ranges" => format!("{}x", r(".. ")),
        "else_if" => format!("if a {{}} {}", r("else if b {} ")),
        "ifs" => format!("{}1{}", r("if a { "), r("}")),
        "matches" => format!("{}1{}", r("match x { _ => "), r(" }")),
        "asyncs" => format!("{}1{}", r("async { "), r("}")),
        "structs" => format!("{}1{}", r("S { a: "), r(" }")),
        "let_patterns" => format!("let {}x = y;", r("&")),
        "vec_macros" => format!("{}1{}", r("vec!["), r("]")),
        "spawns" => format!("{}1{}", r("std::thread::spawn(move || { "), r("});")),
        _ => String::new(),
    };
    if !body.is_empty() {
        return format!("pub async fn f() {{ std::thread::spawn(|| {{}}); {body} }}\n");
    }
    // Each file spawns, so the prefilter lets it through to the guard.
    let spawn = "pub fn g() { std::thread::spawn(|| {}); }";
    let item = match kind {
        "generics" => format!("type T = {}u8{};", r("Vec<"), r(">")),
        "fn_pointers" => format!("type T = {}u8;", r("fn() -> ")),
        "ref_types" => format!("type T = {}u8;", r("&")),
        "tuple_types" => format!("type T = {}u8{};", r("("), r(",)")),
        "qualified_paths" => format!("type T = {}u8{};", r("<"), r(" as A>::B")),
        "modules" => format!("{}{}", r("mod m { "), r("}")),
        "fns" => format!("{}{}", r("fn f() { "), r("}")),
        "attributes" => format!("#[a{}{}] fn f() {{}}", r("(b"), r(")")),
        _ => panic!("unknown construct {kind}"),
    };
    format!("{spawn}\n{item}\n")
}

const CONSTRUCTS: &[&str] = &[
    "parens",
    "brackets",
    "blocks",
    "closures",
    "move_closures",
    "closure_blocks",
    "returns",
    "nots",
    "refs",
    "negs",
    "assigns",
    "binary",
    "methods",
    "fields",
    "tries",
    "calls",
    "casts",
    "ranges",
    "else_if",
    "ifs",
    "matches",
    "asyncs",
    "structs",
    "let_patterns",
    "vec_macros",
    "spawns",
    "generics",
    "fn_pointers",
    "ref_types",
    "tuple_types",
    "qualified_paths",
    "modules",
    "fns",
    "attributes",
];

#[test]
fn nesting_ten_thousand_deep_is_refused() {
    for kind in CONSTRUCTS {
        let diagnostics = analyse_text(deep(kind, 10_000));
        assert_eq!(diagnostics.len(), 1, "{kind}: {diagnostics:?}");
        assert!(diagnostics[0].lint == &tool::PARSE_ERROR, "{kind}: {:?}", diagnostics[0]);
        assert!(diagnostics[0].message.contains("nests deeper than"), "{kind}: {}", diagnostics[0].message);
    }
}

/// Whatever the guard lets through fits the workers' stack: each construct as deep as the
/// guard allows is analysed (in this debug build, where frames are largest).
#[test]
fn nesting_at_the_limit_fits_the_stack() {
    for kind in CONSTRUCTS {
        let accepted = |n: usize| nesting::too_deep(&deep(kind, n), nesting::MAX_NESTING).is_none();
        let (mut lo, mut hi) = (0usize, 10_000usize);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if accepted(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        assert!(lo >= nesting::MAX_NESTING / 10, "{kind}: only {lo} levels accepted");
        let diagnostics = analyse_text(deep(kind, lo));
        assert!(!diagnostics.iter().any(|d| d.message.contains("nests deeper")), "{kind} at {lo}");
        assert!(!diagnostics.iter().any(|d| d.lint == &tool::INTERNAL_ERROR), "{kind} at {lo}: {diagnostics:?}");
    }
}

#[test]
fn deep_files_are_reported_and_the_run_goes_on() {
    let files: Vec<(String, String)> =
        CONSTRUCTS.iter().map(|kind| (format!("src/deep_{kind}.rs"), deep(kind, 10_000))).collect();
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    all.push(("src/lib.rs", DETACHED));
    let dir = Project::with_files("hard", &all);
    let run = dir.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stdout.matches("nests deeper than").count(), CONSTRUCTS.len(), "{}", run.stdout);
    assert!(run.stdout.contains("warning[detached_spawn]"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_when_walking_and_an_error_when_named() {
    use std::os::unix::fs::symlink;
    let dir = Project::with_files("hard", &[("src/lib.rs", DETACHED)]);
    let src = dir.path().join("src");
    symlink("b.rs", src.join("a.rs")).expect("symlink");
    symlink("a.rs", src.join("b.rs")).expect("symlink");
    symlink("self.rs", src.join("self.rs")).expect("symlink");
    std::fs::create_dir(src.join("sub")).expect("folder");
    symlink("..", src.join("sub/up")).expect("symlink");
    let run = dir.run(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("1 warning in 1 file"), "{}", run.stdout);
    dir.run(&["src/a.rs"]).expect_code(2).stderr_has("src/a.rs");
}

/// A file that cannot be read is an `io_error`; the others are still checked. As root,
/// permissions do not stop reading, so the file is a link to `/proc/self/mem`, whose first
/// page is never mapped: reading it fails with EIO.
#[cfg(unix)]
#[test]
fn unreadable_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Project::with_files("hard", &[("src/lib.rs", DETACHED), ("src/locked.rs", "pub fn g() {}\n")]);
    let locked = dir.path().join("src/locked.rs");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        eprintln!("note: running as root, permissions do not stop reading; using /proc/self/mem instead");
        std::fs::remove_file(&locked).expect("remove");
        if !Path::new("/proc/self/mem").exists() {
            eprintln!("note: no /proc/self/mem; the unreadable case is covered by the run-level tests only");
            return;
        }
        std::os::unix::fs::symlink("/proc/self/mem", &locked).expect("symlink");
    }
    let run = dir.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("error[io_error]: could not read src/locked.rs"), "{}", run.stdout);
    assert!(run.stdout.contains("warning[detached_spawn]"), "{}", run.stdout);
}

/// The run itself, on a plan whose files are given: one is a folder named like a Rust file,
/// one was removed after discovery, one is fine.
#[test]
fn folder_and_vanished_file_in_the_plan_are_io_errors() {
    let dir = Project::with_files("hard", &[("src/lib.rs", DETACHED)]);
    std::fs::create_dir(dir.path().join("src/folder.rs")).expect("folder");
    let file = |name: &str| RustFile {
        path: dir.path().join("src").join(name),
        shown: PathBuf::from("src").join(name),
        package: 0,
        is_test_file: false,
        is_example_file: false,
    };
    let mut plan = Plan::default();
    plan.packages.push(PackageInfo::default());
    plan.files.extend([file("folder.rs"), file("gone.rs"), file("lib.rs")]);
    let mut sources = SourceMap::default();
    let mut settings = Settings::default();
    settings.levels.push(Levels::default());
    settings.test_attributes.push(Vec::new());
    let diagnostics = analyse(&plan, &mut sources, &settings).expect("the run goes on").diagnostics;
    let lints: Vec<&str> = diagnostics.iter().map(|d| d.lint.name).collect();
    assert_eq!(lints, ["io_error", "io_error", "detached_spawn"], "{diagnostics:?}");
    assert!(diagnostics[1].message.starts_with("could not read src/gone.rs"), "{}", diagnostics[1].message);
    assert_eq!(Outcome::of(&diagnostics, FailOn::Warning), Outcome::Incomplete);
}
