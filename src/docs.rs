//! Documentation pages generated from the lints' doc comments: `docs/lints/<lint>.md` and the
//! index `docs/lints/README.md`. A test keeps the checked-in pages in step with the code.

use crate::precision;
use taskcheck_lints::{all_lints, Category, Lint};

/// Where a lint's page is published: the repository's `docs/lints/<lint>.md`.
pub fn lint_url(lint: &Lint) -> String {
    format!("{}/blob/main/docs/lints/{}.md", env!("CARGO_PKG_REPOSITORY"), lint.name)
}

/// The page of one lint.
pub fn lint_page(lint: &Lint) -> String {
    let mut out = format!("# `{}`\n\n", lint.name);
    let rule = match lint.rule {
        Some(r) if r.key() == "labels" => "Thread labels".to_string(),
        Some(r) => format!("Rule {} ({})", r.number(), r.title()),
        None if taskcheck_lints::suppress::LINTS.contains(&lint) => "Suppression comments".to_string(),
        None => "Tool diagnostic".to_string(),
    };
    let category = match lint.category {
        Some(c) => format!("category: `{}` · ", c.name()),
        None => String::new(),
    };
    let precision = match lint.category {
        Some(_) => format!("precision: [{}](../precision.md) · ", precision::describe(lint)),
        None => String::new(),
    };
    out.push_str(&format!(
        "{rule} · {category}default level: `{}` · {precision}[all lints](README.md)\n\n{}.\n\n",
        lint.default_level.name(),
        capitalize(lint.summary)
    ));
    for line in lint.docs_markdown().lines() {
        // rustdoc's `rust,ignore` fences are plain `rust` for Markdown renderers.
        out.push_str(if line.trim_start().starts_with("```rust") { "```rust" } else { line });
        out.push('\n');
    }
    if taskcheck_lints::registry::tool::ALL.contains(&lint) {
        out.push_str(
            "\nIt reports a file taskcheck could not analyse: it is always an error, and cannot be allowed or \
                      suppressed.\n",
        );
        return out;
    }
    out.push_str(&format!(
        "\n## Configuring it\n\n`cargo taskcheck -A {name}` turns it off, `-W {name}` makes it a warning and \
         `-D {name}` an error. In `taskcheck.toml` (or `[workspace.metadata.taskcheck]` / \
         `[package.metadata.taskcheck]` in `Cargo.toml`):\n\n```toml\n[lints]\n{name} = \"{level}\"\n```\n",
        name = lint.name,
        level = if lint.default_level == taskcheck_lints::Level::Deny { "warn" } else { "deny" },
    ));
    if let Some(category) = lint.category {
        out.push_str(&format!(
            "\nIts category, `{c}` ({what}; `{level}` by default), is a group too: `-W {c}` sets every lint \
             of it.\n",
            c = category.name(),
            what = category.description(),
            level = category.default_level().name(),
        ));
    }
    if let Some(cost) = lint.cost {
        out.push_str(&format!(
            "\nWhat a true finding costs: {}. The terminal output and the GitHub annotations list findings by \
             level, then by this cost (hangs and aborts, leaks and races, documentation, advice), then by file.\n",
            cost.description()
        ));
    }
    if !taskcheck_lints::suppress::LINTS.contains(&lint) {
        out.push_str(&format!(
            "\n## Silencing it\n\nWhen a finding is deliberate, say why in a comment on its line or the line \
             above:\n\n```rust\n// taskcheck: allow({name}) -- <reason>\n```\n\nDirectly above an item (`fn`, \
             `impl`, `mod`, `struct`, …; attributes and doc comments may come between) the comment covers the \
             whole item, and `//! taskcheck: allow({name})` at the top of a file covers the file. One comment \
             may name several lints: `allow({name}, other_lint)`. A comment that suppresses nothing is reported \
             as [`unused_suppression`](unused_suppression.md).\n",
            name = lint.name
        ));
    }
    out
}

/// The index of every lint, by rule.
pub fn index_page() -> String {
    let mut out = String::from(
        "# taskcheck lints\n\nEvery lint, by the Go rule it carries over. Generated from the lints' doc comments: \
         edit those, then run `TASKCHECK_BLESS=1 cargo test --test docs`.\n\n",
    );
    out.push_str(&category_list());
    out.push_str(&lint_table(""));
    out
}

/// The table of every lint; `link_prefix` leads from the page holding the table to `docs/lints/`.
pub fn lint_table(link_prefix: &str) -> String {
    let mut out =
        String::from("| lint | rule | category | default | precision | what it finds |\n|---|---|---|---|---|---|\n");
    for lint in all_lints() {
        let rule = match lint.rule {
            Some(r) => r.heading(),
            None => "suppression comments".to_string(),
        };
        out.push_str(&format!(
            "| [`{name}`]({link_prefix}{name}.md) | {rule} | {} | `{}` | {} | {} |\n",
            lint.category.map_or("-", Category::name),
            lint.default_level.name(),
            precision::short(lint),
            lint.summary.replace('|', "\\|"),
            name = lint.name
        ));
    }
    out
}

/// The categories with their default levels, and where precision comes from.
pub fn category_list() -> String {
    let mut out =
        String::from("A lint's category says how far its findings can be trusted and sets its default level:\n\n");
    for c in Category::ALL {
        out.push_str(&format!("- `{}` (`{}`): {}\n", c.name(), c.default_level().name(), c.description()));
    }
    out.push_str(
        "\nThe precision column is the share of a blind-reviewed sample of the lint's findings on real crates \
         judged true ([how it is measured](../precision.md)).\n\n",
    );
    out
}

/// `readme` with the text between its lint-table markers replaced by the current table.
pub fn readme_with_table(readme: &str) -> Option<String> {
    let start = readme.find("<!-- lints:start")?;
    let start_end = start + readme[start..].find("-->")? + 3;
    let end = readme.find("<!-- lints:end -->")?;
    if end < start_end {
        return None;
    }
    Some(format!("{}\n{}{}", &readme[..start_end], lint_table("docs/lints/"), &readme[end..]))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A lint page with its links made absolute, for a terminal (`explain`), where a link relative
/// to `docs/lints/` leads nowhere: `](../precision.md)` points at the repository's page.
pub fn with_absolute_links(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = &rest[..end];
        if target.contains("://") || target.starts_with('#') || target.is_empty() {
            out.push_str(target);
        } else {
            let mut folders = vec!["docs", "lints"];
            let mut path = target;
            while let Some(up) = path.strip_prefix("../") {
                folders.pop();
                path = up;
            }
            let base = folders.iter().map(|f| format!("{f}/")).collect::<String>();
            out.push_str(&format!("{}/blob/main/{base}{path}", env!("CARGO_PKG_REPOSITORY")));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
