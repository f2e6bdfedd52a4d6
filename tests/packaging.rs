//! What users download and install: the release profile `cargo install` uses stays small
//! (no debug information, stripped), the symbols live in the `profiling` profile, and the
//! `cargo binstall` metadata names the archives the release workflow publishes. And what a
//! contributor runs: `.ci/run` runs the README's commands and installs nothing globally.

use std::path::Path;
use std::process::Command;
use toml::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
    toml::from_str(&text).expect("Cargo.toml parses")
}

fn profile<'m>(manifest: &'m Value, name: &str) -> &'m toml::Table {
    manifest
        .get("profile")
        .and_then(|p| p.get(name))
        .and_then(Value::as_table)
        .unwrap_or_else(|| panic!("Cargo.toml has no [profile.{name}]"))
}

/// Cargo's `debug` values that produce no debug information.
fn no_debuginfo(value: Option<&Value>) -> bool {
    match value {
        None => true,
        Some(Value::Boolean(b)) => !b,
        Some(Value::Integer(n)) => *n == 0,
        Some(Value::String(s)) => s == "none",
        Some(_) => false,
    }
}

/// `debug = 1` in the release profile made the installed binary 62.6 MB; stripped and without
/// debug information it is a few MB.
#[test]
fn release_profile_has_no_debuginfo_and_is_stripped() {
    let manifest = manifest();
    let release = profile(&manifest, "release");
    assert!(no_debuginfo(release.get("debug")), "[profile.release] debug = {:?}", release.get("debug"));
    let strip = release.get("strip");
    assert!(
        matches!(strip, Some(Value::Boolean(true))) || strip.and_then(Value::as_str) == Some("symbols"),
        "[profile.release] must strip symbols (strip = true), not {strip:?}"
    );
    // Per-package overrides would bring debug information back for part of the binary.
    for (name, table) in release.get("package").and_then(Value::as_table).into_iter().flatten() {
        let debug = table.get("debug");
        assert!(no_debuginfo(debug), "[profile.release.package.{name}] debug = {debug:?}");
    }
}

/// The symbols the release profile drops are one profile away, for profilers and the
/// benchmark.
#[test]
fn profiling_profile_keeps_symbols_and_the_benchmark_uses_it() {
    let manifest = manifest();
    let profiling = profile(&manifest, "profiling");
    assert_eq!(profiling.get("inherits").and_then(Value::as_str), Some("release"));
    assert!(!no_debuginfo(profiling.get("debug")), "[profile.profiling] needs debug information");
    assert_eq!(profiling.get("strip"), Some(&Value::Boolean(false)), "[profile.profiling] must not strip");
    let bench = std::fs::read_to_string(repo().join("scripts/bench")).expect("scripts/bench");
    assert!(bench.contains("--profile profiling"), "scripts/bench builds in the profiling profile");
}

/// The release targets: the archive names the release workflow publishes, built by
/// `scripts/release-archive.sh`, are the ones `cargo binstall` looks for.
#[test]
fn binstall_metadata_names_the_release_archives() {
    let manifest = manifest();
    let package = &manifest["package"];
    let name = package["name"].as_str().expect("name");
    let version = package["version"].as_str().expect("version");
    let repository = package["repository"].as_str().expect("repository");
    let binstall = &package["metadata"]["binstall"];
    let workflow = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).expect("release workflow");
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(&workflow).expect("the workflow parses");
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of targets")
        .iter()
        .map(|t| t["target"].as_str().expect("target"))
        .collect();
    assert!(targets.len() >= 4, "{targets:?}");
    for target in targets {
        let windows = target.contains("windows");
        let (suffix, exe) = if windows { (".zip", ".exe") } else { (".tar.gz", "") };
        let meta = binstall.get("overrides").and_then(|o| o.get(target)).unwrap_or(binstall);
        let render = |key: &str| {
            let template = meta.get(key).or_else(|| binstall.get(key)).and_then(Value::as_str).expect(key);
            template
                .replace("{ repo }", repository)
                .replace("{ name }", name)
                .replace("{ version }", version)
                .replace("{ target }", target)
                .replace("{ bin }", name)
                .replace("{ binary-ext }", exe)
        };
        let pkg_fmt = meta.get("pkg-fmt").or_else(|| binstall.get("pkg-fmt")).and_then(Value::as_str);
        assert_eq!(pkg_fmt, Some(if windows { "zip" } else { "tgz" }), "{target}");

        // The archive the release script makes for this target, from a stand-in binary.
        let dir = tempfile::tempdir().expect("temporary folder");
        let bin = dir.path().join(format!("{name}{exe}"));
        std::fs::write(&bin, "stand-in binary").expect("write");
        let out = dir.path().join("dist");
        let made = Command::new("bash")
            .arg(repo().join("scripts/release-archive.sh"))
            .args([target, version])
            .arg(&bin)
            .arg(&out)
            .output()
            .expect("run scripts/release-archive.sh");
        if !made.status.success() && windows && String::from_utf8_lossy(&made.stderr).contains("no zip tool") {
            eprintln!("note: no zip tool here, the {target} archive is not made");
            continue;
        }
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let archive = format!("{name}-{target}-v{version}{suffix}");
        assert_eq!(
            render("pkg-url"),
            format!("{repository}/releases/download/v{version}/{archive}"),
            "binstall's pkg-url for {target}"
        );
        assert!(out.join(&archive).is_file(), "{archive} was not made");
        let checksum = std::fs::read_to_string(out.join(format!("{archive}.sha256"))).expect("a checksum file");
        assert!(checksum.ends_with(&format!("  {archive}\n")), "{checksum}");
        let listing = if windows {
            Command::new("unzip").arg("-Z1").arg(out.join(&archive)).output()
        } else {
            Command::new("tar").arg("-tzf").arg(out.join(&archive)).output()
        }
        .expect("list the archive");
        let listing = String::from_utf8_lossy(&listing.stdout);
        assert!(listing.lines().any(|l| l == render("bin-dir")), "{} not in {archive}:\n{listing}", render("bin-dir"));
    }
}

/// `.ci/run` runs the checks the README names, and installs its npm tools into the checkout
/// only (`.ci/tools`, ignored by git), from the lockfile.
#[test]
fn ci_script_runs_the_readme_commands_and_installs_into_the_checkout() {
    let script = std::fs::read_to_string(repo().join(".ci/run")).expect(".ci/run");
    let commands: Vec<&str> = script.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let develop = readme.split("## Develop").nth(1).expect("a Develop section");
    let test_command = develop.split("```sh\n").nth(1).and_then(|b| b.lines().next()).expect("a command block");
    assert_eq!(test_command, "cargo test --workspace");
    for command in ["cargo fmt --all --check", "cargo clippy --workspace --all-targets -- -D warnings", test_command] {
        assert!(commands.contains(&command), ".ci/run does not run `{command}`");
    }
    let npm: Vec<&&str> = commands.iter().filter(|l| l.starts_with("npm ")).collect();
    assert!(!npm.is_empty(), ".ci/run installs the checkers with npm");
    for line in npm {
        assert!(line.starts_with("npm ci --prefix .ci/tools "), "{line}");
        assert!(!line.contains("--global") && !line.contains(" -g"), "{line}");
    }
    let ignored = std::fs::read_to_string(repo().join(".gitignore")).expect(".gitignore");
    assert!(ignored.lines().any(|l| l == "/.ci/tools/node_modules"), "the installed tools are not ignored by git");
    assert!(repo().join(".ci/tools/package-lock.json").is_file(), "the tools' versions are pinned by a lockfile");
}
