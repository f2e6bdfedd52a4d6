//! The checked-in lint documentation must match what the lints' doc comments generate.
//! `TASKCHECK_BLESS=1 cargo test --test docs` rewrites `docs/lints/`.

use cargo_taskcheck::docs;
use cargo_taskcheck::lints::all_lints;
use std::path::Path;

#[test]
fn lint_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lints");
    let bless = std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0");
    let mut pages: Vec<(String, String)> =
        all_lints().map(|l| (format!("{}.md", l.name), docs::lint_page(l))).collect();
    pages.push(("README.md".to_string(), docs::index_page()));
    let mut stale = Vec::new();
    for (name, content) in &pages {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
                std::fs::write(&path, content).unwrap();
            }
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
            stale.push(name.clone());
        }
    }
    // Pages of lints that no longer exist.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|(p, _)| *p == name) {
            if bless {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(format!("{name} (no such lint)"));
            }
        }
    }
    assert!(stale.is_empty(), "stale docs in docs/lints: {stale:?}; run `TASKCHECK_BLESS=1 cargo test --test docs`");
}

#[test]
fn every_lint_has_clippy_style_docs() {
    for lint in all_lints() {
        let docs = lint.docs_markdown();
        for section in ["### What it does", "### Why is this bad", "### Example", "Use instead:"] {
            assert!(docs.contains(section), "{}: docs lack `{section}`", lint.name);
        }
    }
}

#[test]
fn readme_lint_table_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let expected = docs::readme_with_table(&readme).expect("README.md has the lint table markers");
    if std::env::var_os("TASKCHECK_BLESS").is_some_and(|v| v != "0") {
        std::fs::write(&path, expected).unwrap();
    } else {
        assert_eq!(readme, expected, "README's lint table is stale; run `TASKCHECK_BLESS=1 cargo test --test docs`");
    }
}
