//! The dependency rules of ARCHITECTURE.md ("What may depend on what"), checked on the source:
//!
//! - no module of `lints/src/facts` or `lints/src/model` names `rules` or `prefilter` (both are below them);
//! - `lints/src/prefilter.rs` names no rule, and no rule names `prefilter`;
//! - in the driver (`src/`), `run`, `adopt`, `output` and `commands` are on no import circle.
//!
//! A module "names" another when a `use` item or a path in its code starts at `crate`, `super`
//! or `self` and leads there. Comments and string literals are blanked first, so only code
//! counts. Modules are found by the file layout, which is why a `#[path]` module is refused.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The driver modules that must not be on an import circle.
const DRIVER_STEPS: &[&str] = &["run", "adopt", "output", "commands"];

#[test]
fn facts_name_neither_rules_nor_prefilter() {
    let offences = offences(&crate_sources("lints/src"), |from, to| {
        matches!(from.first().map(String::as_str), Some("facts" | "model"))
            && matches!(to.first().map(String::as_str), Some("rules" | "prefilter"))
    });
    assert!(
        offences.is_empty(),
        "facts and the crate model must not depend on the rules or the prefilter:\n{offences}"
    );
}

#[test]
fn prefilter_and_rules_do_not_name_each_other() {
    let offences = offences(&crate_sources("lints/src"), |from, to| {
        let (from, to) = (from.first().map(String::as_str), to.first().map(String::as_str));
        (from == Some("prefilter") && to == Some("rules")) || (from == Some("rules") && to == Some("prefilter"))
    });
    assert!(offences.is_empty(), "the prefilter and the rules must not depend on each other:\n{offences}");
}

#[test]
fn driver_steps_are_on_no_import_circle() {
    let graph = ModuleGraph::of(&crate_sources("src"));
    let circles = graph.circles_through(DRIVER_STEPS);
    assert!(circles.is_empty(), "the driver's modules import each other in a circle:\n{circles}");
}

#[test]
fn no_module_is_declared_with_a_path_attribute() {
    let mut offences = String::new();
    for dir in ["lints/src", "src"] {
        for source in crate_sources(dir) {
            let tokens = tokens(&blank_comments_and_literals(&source.text));
            for w in tokens.windows(4) {
                if w[0].text == "#" && w[1].text == "[" && w[2].text == "path" && w[3].text == "=" {
                    let _ = writeln!(offences, "{}:{}: `#[path]` module", source.shown, w[0].line);
                }
            }
        }
    }
    assert!(offences.is_empty(), "modules are found by the file layout here:\n{offences}");
}

/// The scanner reads what is there: known dependencies of today's tree are found, so the
/// rules above are not kept by a scanner that sees nothing.
#[test]
fn the_scanner_finds_real_dependencies() {
    let lints = crate_sources("lints/src");
    let names = |from: &str, to: &str| {
        !offences(&lints, |f, t| {
            f.first().map(String::as_str) == Some(from) && t.first().map(String::as_str) == Some(to)
        })
        .is_empty()
    };
    assert!(names("rules", "facts"));
    assert!(names("prefilter", "registry"));
    let driver = ModuleGraph::of(&crate_sources("src"));
    assert!(driver.edges.contains_key(&("run".to_string(), "adopt".to_string())));
    assert!(driver.edges.contains_key(&("run".to_string(), "output".to_string())));
}

#[test]
fn comments_and_strings_are_not_code() {
    let text = "// use crate::rules;\nlet s = \"crate::rules::x\"; /* crate::rules */ let r = r#\"crate::rules\"#;\nlet c = '\"'; fn f<'a>() {}\n";
    let blanked = blank_comments_and_literals(text);
    assert!(!blanked.contains("rules"), "{blanked}");
    assert!(blanked.contains("fn f<'a>"), "{blanked}");
    assert_eq!(blanked.lines().count(), text.lines().count());
}

#[test]
fn paths_resolve_from_the_module_they_are_in() {
    let module = vec!["facts".to_string(), "walk".to_string()];
    let text = "use super::super::rules::x;\nuse crate::{a::b, c as d, e::{f, g}};\nmod tests {\n    use super::helper;\n    fn t() { crate::prefilter::run(); }\n}\n";
    let found: Vec<(usize, String)> =
        references(text, &module).into_iter().map(|r| (r.line, r.target.join("::"))).collect();
    let expected = [
        (1, "rules::x"),
        (2, "a::b"),
        (2, "c"),
        (2, "e::f"),
        (2, "e::g"),
        (4, "facts::walk::helper"),
        (5, "prefilter::run"),
    ];
    assert_eq!(found, expected.map(|(l, p)| (l, p.to_string())));
}

#[test]
fn a_circle_through_a_driver_step_is_found() {
    let source = |module: &str, text: &str| Source {
        shown: format!("src/{module}.rs"),
        module: vec![module.to_string()],
        text: text.to_string(),
    };
    let tree = [
        source("run", "use crate::output;\n"),
        source("output", "use crate::emit::Report;\n"),
        source("emit", "fn f() { crate::run::x(); }\n"),
        source("cli", "use crate::run;\n"),
    ];
    let circles = ModuleGraph::of(&tree).circles_through(DRIVER_STEPS);
    assert!(circles.contains("src/emit.rs:1: emit -> run"), "{circles}");
    assert!(circles.contains("src/run.rs:1: run -> output"), "{circles}");
    assert!(!circles.contains("cli"), "{circles}");
}

/// One source file of a crate and the module it is.
struct Source {
    /// The path from the workspace root, for messages.
    shown: String,
    /// The module path within its crate (`["facts", "walk"]`; the crate root is empty).
    module: Vec<String>,
    text: String,
}

/// Every `.rs` file under `dir` (relative to the workspace root) but the binary's `main.rs`,
/// which is a crate of its own.
fn crate_sources(dir: &str) -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = root.join(dir);
    let mut files = Vec::new();
    collect_rs(&base, &mut files);
    files.sort();
    let sources: Vec<Source> = files
        .into_iter()
        .filter(|path| path.strip_prefix(&base).is_ok_and(|p| p != Path::new("main.rs")))
        .map(|path| {
            let relative = path.strip_prefix(&base).unwrap();
            Source {
                shown: path.strip_prefix(root).unwrap().display().to_string().replace('\\', "/"),
                module: module_of(relative),
                text: std::fs::read_to_string(&path).unwrap(),
            }
        })
        .collect();
    assert!(sources.len() > 5, "no sources under {}", base.display());
    sources
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `facts/walk.rs` is `facts::walk`, `adopt/mod.rs` is `adopt`, `lib.rs` the crate root.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if !(stem == "mod" || (parts.is_empty() && stem == "lib")) {
        parts.push(stem.to_string());
    }
    parts
}

/// Every reference of a module `from` to a module `to` that `forbidden(from, to)` refuses, one
/// line each: `path:line: from -> to`.
fn offences(sources: &[Source], forbidden: impl Fn(&[String], &[String]) -> bool) -> String {
    let mut out = String::new();
    for source in sources {
        for reference in references(&source.text, &source.module) {
            if forbidden(&source.module, &reference.target) {
                let _ = writeln!(
                    out,
                    "{}:{}: {} -> {}",
                    source.shown,
                    reference.line,
                    source.module.join("::"),
                    reference.target.join("::")
                );
            }
        }
    }
    out
}

/// The driver's top-level modules and which imports which, with the first place each import
/// is made.
struct ModuleGraph {
    edges: BTreeMap<(String, String), String>,
}

impl ModuleGraph {
    fn of(sources: &[Source]) -> ModuleGraph {
        let modules: BTreeSet<&str> = sources.iter().filter_map(|s| s.module.first()).map(String::as_str).collect();
        let mut edges = BTreeMap::new();
        for source in sources {
            let Some(from) = source.module.first() else { continue };
            for reference in references(&source.text, &source.module) {
                let Some(to) = reference.target.first() else { continue };
                if to != from && modules.contains(to.as_str()) {
                    edges
                        .entry((from.clone(), to.clone()))
                        .or_insert_with(|| format!("{}:{}: {from} -> {to}", source.shown, reference.line));
                }
            }
        }
        ModuleGraph { edges }
    }

    /// The modules `from` reaches by imports, itself included.
    fn reach(&self, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::from([from.to_string()]);
        let mut todo = vec![from.to_string()];
        while let Some(at) = todo.pop() {
            for (a, b) in self.edges.keys() {
                if *a == at && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    }

    /// For each strongly connected component of more than one module that holds one of
    /// `watched`: its modules and the imports inside it, each with where it is made.
    fn circles_through(&self, watched: &[&str]) -> String {
        let mut out = String::new();
        let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        for module in watched {
            let component: BTreeSet<String> =
                self.reach(module).into_iter().filter(|other| self.reach(other).contains(*module)).collect();
            if component.len() < 2 || !reported.insert(component.clone()) {
                continue;
            }
            let names: Vec<&str> = component.iter().map(String::as_str).collect();
            let _ = writeln!(out, "circle of {}:", names.join(", "));
            for ((a, b), place) in &self.edges {
                if component.contains(a) && component.contains(b) {
                    let _ = writeln!(out, "  {place}");
                }
            }
        }
        out
    }
}

/// A path in code or a `use` item that starts at `crate`, `super` or `self`.
#[derive(Debug)]
struct Reference {
    line: usize,
    /// The path from the crate root (`["rules", "double_lock"]`).
    target: Vec<String>,
}

#[derive(Clone, Debug)]
struct Token {
    text: String,
    line: usize,
}

/// The references of a file that is module `module`, in order. Inline modules (`mod tests {`)
/// are followed, so that `super` inside one is the file's own module.
fn references(text: &str, module: &[String]) -> Vec<Reference> {
    let tokens = tokens(&blank_comments_and_literals(text));
    let mut out = Vec::new();
    // The inline modules open at this point, with the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let current: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(name, _)| name.clone())).collect();
        let t = &tokens[i];
        match t.text.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| depth < *d) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|b| b.text == "{") => {
                inline.push((tokens[i + 1].text.clone(), depth + 1));
                depth += 1;
                i += 3;
                continue;
            }
            "use" => {
                let mut paths = Vec::new();
                i = use_tree(&tokens, i + 1, Vec::new(), &mut paths);
                for path in paths {
                    if let Some(target) = resolve(&path, &current) {
                        out.push(Reference { line: t.line, target });
                    }
                }
                continue;
            }
            "crate" | "super" | "self"
                if tokens.get(i + 1).is_some_and(|c| c.text == "::") && !(i > 0 && tokens[i - 1].text == "::") =>
            {
                let mut path = vec![t.text.clone()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|c| c.text == "::") && tokens.get(j + 1).is_some_and(is_ident) {
                    path.push(tokens[j + 1].text.clone());
                    j += 2;
                }
                if let Some(target) = resolve(&path, &current) {
                    out.push(Reference { line: t.line, target });
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads a use tree from `tokens[i]`, adding each full path under `prefix` to `out`; returns
/// where the tree ends (after its `;`, or at the `,`/`}` that ends a nested one).
fn use_tree(tokens: &[Token], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    if tokens.get(i).is_some_and(|t| t.text == "::") {
        i += 1;
    }
    loop {
        let Some(t) = tokens.get(i) else { return i };
        match t.text.as_str() {
            "{" => {
                i += 1;
                loop {
                    i = use_tree(tokens, i, prefix.clone(), out);
                    match tokens.get(i).map(|t| t.text.as_str()) {
                        Some(",") => i += 1,
                        Some("}") => {
                            i += 1;
                            break;
                        }
                        _ => return i,
                    }
                }
                if tokens.get(i).is_some_and(|t| t.text == ";") {
                    i += 1;
                }
                return i;
            }
            "*" => {
                out.push(prefix);
                return end_of_tree(tokens, i + 1);
            }
            "::" => i += 1,
            _ if is_ident(t) && t.text != "as" => {
                prefix.push(t.text.clone());
                i += 1;
                if tokens.get(i).is_none_or(|t| t.text != "::") {
                    out.push(prefix);
                    return end_of_tree(tokens, i);
                }
            }
            _ => return end_of_tree(tokens, i),
        }
    }
}

/// Past an `as name` and a final `;`, stopping at a `,` or `}` of an enclosing group.
fn end_of_tree(tokens: &[Token], mut i: usize) -> usize {
    while let Some(t) = tokens.get(i) {
        match t.text.as_str() {
            "," | "}" => return i,
            ";" => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// A path from the crate root, or `None` for one that does not start in this crate.
fn resolve(path: &[String], current: &[String]) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => current.to_vec(),
        "super" => current[..current.len().saturating_sub(1)].to_vec(),
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while rest.next_if(|s| *s == "super").is_some() {
        base.pop();
    }
    base.extend(rest.cloned());
    Some(base)
}

fn is_ident(t: &Token) -> bool {
    t.text.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation characters, with their line numbers.
fn tokens(code: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut line = 1;
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token { text: chars[start..i].iter().collect(), line });
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token { text: "::".to_string(), line });
            i += 2;
        } else {
            out.push(Token { text: c.to_string(), line });
            i += 1;
        }
    }
    out
}

/// The text with comments and the contents of string and character literals replaced by
/// spaces, newlines kept, so that line numbers stay right and no word in them looks like code.
fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut nesting = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    nesting += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    nesting -= 1;
                    out.push_str("  ");
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // `r"…"`, `r#"…"#`, `br#"…"#`: no escapes, ends at `"` and as many `#`.
            let open = chars[i..].iter().position(|&c| c == '"').unwrap() + 1;
            out.extend(std::iter::repeat_n(' ', open));
            i += open;
            while i < chars.len() {
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes {
                    out.extend(std::iter::repeat_n(' ', hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    out.push(blank(c));
                }
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal (`'x'`, `'\n'`, `'\u{1F600}'`); `'a` alone is a lifetime.
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// At a raw string literal (`r"`, `r#"`, `br"`…) not inside a longer word: its number of `#`.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some(hashes)
}
