//! Module files that are test code because the file declaring them says so.
//!
//! `#[cfg(test)] mod tests;` in `src/lib.rs` makes `src/tests.rs` (or `src/tests/mod.rs`) test
//! code, and with it every module that file declares, however deep. The same goes for a
//! module compiled only for a test-support feature (`#[cfg(feature = "test-util")] pub mod
//! test_util;`): the rule is `taskcheck_lints::facts::test_attrs::is_cfg_test`, the one that
//! decides for inline modules, so that a module is test code whether it is written inline or
//! in its own file.
//!
//! A file's declaring file is found by Rust's module-path rules: `D/N.rs` and `D/N/mod.rs` are
//! declared by `D/mod.rs`, `D/lib.rs`, `D/main.rs` (crate roots) or `D.rs`; `lib.rs` and
//! `main.rs` are crate roots, declared by nothing. A `#[path = "…"]` on the declaration is
//! followed when its file is found from one of those declaring files. Only those candidates
//! are read, each once, and only their item-level tokens are looked at (declarations at the
//! top of the file and in inline modules, not in functions or macros). An unreadable or
//! non-UTF-8 candidate, or one that does not lex, declares nothing.

use super::module_decls::{declarations_in, Declaration};
use super::Plan;
use crate::stamp::{build_identity, now_nanos, write_atomically, Stamp};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// How many declaring files up a file's test-ness is looked for (each step is one folder up,
/// so real trees stop far sooner), and how deep inline modules are followed.
pub(super) const MAX_DEPTH: usize = 32;

/// Marks the plan's files that a declaring file makes test code. With `remember`, what each
/// declaring file declares is kept under the target directory ([`Memory`]), so that a rerun
/// reads and lexes only the declaring files that changed.
pub(super) fn mark(plan: &mut Plan, remember: bool) {
    use rayon::prelude::*;
    let memory_file = remember.then(|| plan.target_directory.as_deref().map(|t| t.join(MEMORY_FILE))).flatten();
    let memory = memory_file.as_deref().map(Memory::open).unwrap_or_default();
    let started = now_nanos();
    let mut modules = Modules::default();
    // The declaring candidates of the plan's files (which include, in practice, those of the
    // declaring files themselves) are read and scanned in parallel first: crate roots and
    // `mod.rs` files are a good part of a tree's bytes (82 of 149 MB on corpus A).
    let candidates: HashSet<PathBuf> = plan
        .files
        .iter()
        .filter(|f| !f.is_test_file && !f.is_example_file)
        .flat_map(|f| declaring_candidates(&normalise(&f.path)))
        .collect();
    let scanned: Vec<(PathBuf, Declared, Option<Remembered>)> = candidates
        .into_par_iter()
        .map(|parent| {
            // Most candidates do not exist; those that do are read only when they changed.
            let Some(stamp) = std::fs::metadata(&parent).ok().and_then(|m| Stamp::of(&m)) else {
                return (parent, Declared::Nothing, None);
            };
            if let Some(known) = memory.recall(&parent, stamp) {
                return (parent, known.declared.clone(), Some(known.clone()));
            }
            let declared = declared_files(&parent);
            let fresh = Remembered { stamp, started, declared: declared.clone() };
            (parent, declared, Some(fresh))
        })
        .collect();
    let mut kept = Memory::new(memory.build.clone());
    for (parent, declared, remembered) in scanned {
        if let (Some(r), Some(key)) = (remembered, parent.to_str()) {
            kept.entries.insert(key.to_string(), r);
        }
        modules.declared.insert(parent, declared);
    }
    if let Some(location) = memory_file {
        if kept.entries != memory.entries {
            // An optimisation only: a memory that cannot be written is rebuilt next time.
            let _ = kept.save(&location);
        }
    }
    for file in plan.files.iter_mut().filter(|f| !f.is_test_file && !f.is_example_file) {
        file.is_test_file = modules.is_test(&normalise(&file.path), 0);
    }
}

/// The memory's file under the target directory, beside the analysis cache.
const MEMORY_FILE: &str = "taskcheck/modules.bin";
/// Bumped when [`Remembered`] changes shape.
const MEMORY_FORMAT: u32 = 1;

/// What each declaring file declared when an earlier run read it, by its path: trusted while
/// the file's stamp is the same and it had settled before that run started (as the analysis
/// cache trusts a file's stamp). A memory of another build, or one that cannot be read, is
/// empty.
#[derive(Serialize, Deserialize)]
struct Memory {
    format: u32,
    build: String,
    entries: HashMap<String, Remembered>,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
struct Remembered {
    stamp: Stamp,
    /// When the run that read the file started.
    started: i128,
    declared: Declared,
}

impl Default for Memory {
    fn default() -> Self {
        Memory::new(build_identity())
    }
}

impl Memory {
    fn new(build: String) -> Memory {
        Memory { format: MEMORY_FORMAT, build, entries: HashMap::new() }
    }

    fn open(location: &Path) -> Memory {
        let build = build_identity();
        std::fs::read(location)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Memory>(&bytes).ok())
            .filter(|m| m.format == MEMORY_FORMAT && m.build == build)
            .unwrap_or_else(|| Memory::new(build))
    }

    fn recall(&self, parent: &Path, stamp: Stamp) -> Option<&Remembered> {
        let known = self.entries.get(parent.to_str()?)?;
        (known.stamp == stamp && stamp.settled_before(known.started)).then_some(known)
    }

    fn save(&self, location: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        write_atomically(location, &bytes)
    }
}

#[derive(Default)]
struct Modules {
    /// What each candidate read so far declares: each file, and whether only for tests (a
    /// file declared twice, `#[cfg(test)]` and `#[cfg(not(test))]`, is not). Empty: nothing,
    /// or not readable. A map, since a crate root may declare hundreds of modules.
    declared: HashMap<PathBuf, Declared>,
    /// Files already decided.
    test: HashMap<PathBuf, bool>,
}

impl Modules {
    fn is_test(&mut self, file: &Path, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if let Some(&known) = self.test.get(file) {
            return known;
        }
        let mut test = false;
        for parent in declaring_candidates(file) {
            let test_only = match self.declarations(&parent) {
                Declared::Nothing => continue,
                // No test-only declaration there: the file is test code if its parent is.
                Declared::NoneForTests => false,
                Declared::Files(files) => match files.get(file) {
                    Some(&test_only) => test_only,
                    None => continue,
                },
            };
            if test_only || self.is_test(&parent, depth + 1) {
                test = true;
                break;
            }
        }
        self.test.insert(file.to_path_buf(), test);
        test
    }

    fn declarations(&mut self, parent: &Path) -> &Declared {
        self.declared.entry(parent.to_path_buf()).or_insert_with(|| declared_files(parent))
    }
}

/// What a candidate declaring file declares, as far as test code goes.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
enum Declared {
    /// Nothing: the file does not exist, cannot be read, or declares no module file.
    Nothing,
    /// Module files, none under a test-only cfg (the bytes show no such cfg): not lexed, since
    /// its modules are test code exactly when it is.
    NoneForTests,
    /// Each declared file, and whether only for tests (a file declared twice,
    /// `#[cfg(test)]` and `#[cfg(not(test))]`, is not).
    Files(HashMap<PathBuf, bool>),
}

/// What the file at `parent` declares: each file, and whether only for tests.
fn declared_files(parent: &Path) -> Declared {
    // Cheap tests first, on the bytes: most candidates do not exist, and most that do declare
    // no module file under a test-only cfg, which needs a `cfg` that names a test (`test`, a
    // `test-util` or `mock` feature); only those are lexed.
    let Ok(bytes) = std::fs::read(parent) else { return Declared::Nothing };
    if !declares_module_file(&bytes) {
        return Declared::Nothing;
    }
    if !names_test_cfg(&bytes) {
        return Declared::NoneForTests;
    }
    let declarations = match String::from_utf8(bytes) {
        Ok(text) => declarations_in(parent, &text),
        Err(_) => Vec::new(),
    };
    let mut files = HashMap::new();
    for Declaration { files: declared, test_only } in declarations {
        for file in declared {
            *files.entry(file).or_insert(true) &= test_only;
        }
    }
    Declared::Files(files)
}

fn names_test_cfg(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    has(b"cfg") && (has(b"test") || has(b"mock"))
}

/// Whether the text may declare a module file: a body-less `mod NAME;` somewhere (in a
/// comment or a string too: this only decides what is lexed).
fn declares_module_file(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"mod").any(|at| {
        let before_ok = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let rest = &bytes[at + 3..];
        let space = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let rest = &rest[space..];
        let ident = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'#').count();
        let after = &rest[ident..];
        let after = &after[after.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        before_ok && space > 0 && ident > 0 && after.first() == Some(&b';')
    })
}

/// The files that may declare `file` as a module (see the module documentation).
fn declaring_candidates(file: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    let module_dir = match name {
        "lib.rs" | "main.rs" => return Vec::new(),
        "mod.rs" => match dir.parent() {
            Some(up) => up,
            None => return Vec::new(),
        },
        _ if name.ends_with(".rs") => dir,
        _ => return Vec::new(),
    };
    let mut candidates: Vec<PathBuf> = ["mod.rs", "lib.rs", "main.rs"].iter().map(|n| module_dir.join(n)).collect();
    if let (Some(up), Some(own)) = (module_dir.parent(), module_dir.file_name()) {
        let mut non_mod_rs = own.to_os_string();
        non_mod_rs.push(".rs");
        candidates.push(up.join(non_mod_rs));
    }
    candidates.retain(|c| c != file);
    candidates
}

/// `a/./b/../c.rs` as `a/c.rs`, without touching the file system: declarations and the plan's
/// files are compared as written.
pub(super) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `file` (a path as the plan holds it) is test code by the declarations around it.
#[cfg(test)]
fn is_test_module(file: &Path) -> bool {
    Modules::default().is_test(&normalise(file), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::write_test_files as write;

    fn candidates(file: &str) -> Vec<String> {
        declaring_candidates(Path::new(file)).iter().map(|p| p.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn declaring_files_by_module_path_rules() {
        assert_eq!(candidates("p/src/tests.rs"), ["p/src/mod.rs", "p/src/lib.rs", "p/src/main.rs", "p/src.rs"]);
        assert_eq!(candidates("p/src/tests/mod.rs"), ["p/src/mod.rs", "p/src/lib.rs", "p/src/main.rs", "p/src.rs"]);
        assert_eq!(
            candidates("p/src/client/mock_server.rs"),
            ["p/src/client/mod.rs", "p/src/client/lib.rs", "p/src/client/main.rs", "p/src/client.rs"]
        );
        assert!(candidates("p/src/lib.rs").is_empty());
        assert!(candidates("p/src/main.rs").is_empty());
        assert!(candidates("p/src/notes.txt").is_empty());
    }

    #[test]
    fn test_modules_and_the_modules_below_them() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        write(
            root,
            &[
                (
                    "src/lib.rs",
                    "#[cfg(test)]\nmod tests;\npub mod a;\nmod client;\n#[cfg(feature = \"test-util\")]\npub mod \
                     test_util;\n#[cfg(test)]\nmod twice;\n#[cfg(not(test))]\nmod twice;\n",
                ),
                ("src/tests.rs", "mod more;\n"),
                ("src/tests/more.rs", "fn f() {}\n"),
                ("src/a/mod.rs", "#[cfg(test)] mod helpers;\nmod prod;\n"),
                ("src/a/helpers.rs", "mod deeper;\n"),
                ("src/a/helpers/deeper.rs", "fn f() {}\n"),
                ("src/a/prod.rs", "fn f() {}\n"),
                ("src/client.rs", "#[cfg(test)] pub(crate) mod mock_server;\n"),
                ("src/client/mock_server.rs", "fn f() {}\n"),
                ("src/test_util/mod.rs", "pub mod clock;\n"),
                ("src/test_util/clock.rs", "fn f() {}\n"),
                ("src/undeclared.rs", "fn f() {}\n"),
                ("src/twice.rs", "fn f() {}\n"),
                ("src/bad/child.rs", "fn f() {}\n"),
            ],
        );
        // A declaring file that is not UTF-8 declares nothing (and does not stop the run).
        std::fs::write(root.join("src/bad.rs"), b"#[cfg(test)] mod child; \xff\xfe\n").expect("write");
        for test in [
            "src/tests.rs",
            "src/tests/more.rs",
            "src/a/helpers.rs",
            "src/a/helpers/deeper.rs",
            "src/client/mock_server.rs",
            "src/test_util/mod.rs",
            "src/test_util/clock.rs",
        ] {
            assert!(is_test_module(&root.join(test)), "{test}");
        }
        for production in [
            "src/lib.rs",
            "src/a/mod.rs",
            "src/a/prod.rs",
            "src/client.rs",
            "src/undeclared.rs",
            "src/twice.rs",
            "src/bad/child.rs",
        ] {
            assert!(!is_test_module(&root.join(production)), "{production}");
        }
        // Spelled with `.` and `..`, as a path on the command line may be.
        assert!(is_test_module(&root.join("src/a/../a/./helpers.rs")));
    }
}
