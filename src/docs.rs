//! Documentation pages generated from the lints' doc comments: `docs/lints/<lint>.md` and the
//! index `docs/lints/README.md`. A test keeps the checked-in pages in step with the code.

use taskcheck_lints::{all_lints, Lint};

/// The page of one lint.
pub fn lint_page(lint: &Lint) -> String {
    let mut out = format!("# `{}`\n\n", lint.name);
    let rule = match lint.rule {
        Some(r) if r.key() == "labels" => "Thread labels".to_string(),
        Some(r) => format!("Rule {} ({})", r.number(), r.title()),
        None => "Tool diagnostic".to_string(),
    };
    out.push_str(&format!(
        "{rule} · default level: `{}` · [all lints](README.md)\n\n{}.\n\n",
        lint.default_level.name(),
        capitalize(lint.summary)
    ));
    for line in lint.docs_markdown().lines() {
        // rustdoc's `rust,ignore` fences are plain `rust` for Markdown renderers.
        out.push_str(if line.trim_start().starts_with("```rust") { "```rust" } else { line });
        out.push('\n');
    }
    out.push_str(&format!(
        "\n## Configuring it\n\n`cargo taskcheck -A {name}` turns it off, `-W {name}` makes it a warning and \
         `-D {name}` an error.\n",
        name = lint.name
    ));
    out
}

/// The index of every lint, by rule.
pub fn index_page() -> String {
    let mut out = String::from(
        "# taskcheck lints\n\nEvery lint, by the Go rule it carries over. Generated from the lints' doc comments: \
         edit those, then run `TASKCHECK_BLESS=1 cargo test --test docs`.\n\n\
         | lint | rule | default | what it finds |\n|---|---|---|---|\n",
    );
    for lint in all_lints() {
        let rule = lint.rule.map(|r| r.number()).unwrap_or_default();
        out.push_str(&format!(
            "| [`{name}`]({name}.md) | {rule} | `{}` | {} |\n",
            lint.default_level.name(),
            lint.summary.replace('|', "\\|"),
            name = lint.name
        ));
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
