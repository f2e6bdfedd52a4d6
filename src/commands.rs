//! The subcommands that do not check code: `explain <lint>` and `list`.

use crate::cli::Command;
use crate::docs;
use crate::error::Error;
use crate::outcome::Outcome;
use crate::suggest;
use std::io::Write;
use taskcheck_lints::{self as lints, registry::tool, Category, Lint};

pub fn run(command: &Command) -> Result<Outcome, Error> {
    let text = match command {
        Command::Explain { lint } => explain(lint)?,
        Command::List => list(),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write to the standard output: {e}")))
        }
        _ => Ok(Outcome::Clean),
    }
}

/// The lint's documentation page, as `docs/lints/<lint>.md` has it, with its links absolute.
pub fn explain(name: &str) -> Result<String, Error> {
    match lints::find_lint(name) {
        Some(lint) => Ok(docs::with_absolute_links(&docs::lint_page(lint))),
        None => {
            let known = lints::all_lints().chain(tool::ALL.iter().copied()).map(|l| l.name);
            let error = Error::new(format!("unknown lint `{name}`"));
            Err(match suggest::closest(name, known) {
                Some(close) => error.with_help(format!("did you mean `{close}`?")),
                None => error.with_help("`cargo taskcheck list` prints every lint"),
            })
        }
    }
}

/// Every lint with its rule, category, default level and summary, in columns; then the
/// categories and the tool's own diagnostics, which cannot be given a level.
pub fn list() -> String {
    let rows: Vec<[String; 5]> = lints::all_lints().map(row).collect();
    let header = ["lint", "rule", "category", "default", "summary"].map(String::from);
    let widths: Vec<usize> =
        (0..4).map(|c| rows.iter().chain([&header]).map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in r.iter().zip(&widths) {
            line.push_str(&format!("{cell:width$}  "));
        }
        line.push_str(&r[4]);
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nCategories (each a group for -W/-A/-D and [lints], like the rule groups):\n");
    for category in Category::ALL {
        let count = lints::all_lints().filter(|l| l.category == Some(category)).count();
        out.push_str(&format!(
            "  {:13}  {:5}  {} ({count} lint{})\n",
            category.name(),
            category.default_level().name(),
            category.description(),
            if count == 1 { "" } else { "s" }
        ));
    }
    out.push_str("\nAlways errors, cannot be given a level: ");
    out.push_str(&tool::ALL.iter().map(|l| l.name).collect::<Vec<_>>().join(", "));
    out.push_str(".\n`cargo taskcheck explain <lint>` prints a lint's documentation.\n");
    out
}

fn row(lint: &Lint) -> [String; 5] {
    let rule = match lint.rule {
        Some(rule) => rule.heading(),
        None => "-".to_string(),
    };
    let category = lint.category.map_or("-", Category::name);
    [lint.name.to_string(), rule, category.to_string(), lint.default_level.name().to_string(), lint.summary.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_has_every_lint_once() {
        let text = list();
        for lint in lints::all_lints() {
            assert_eq!(text.lines().filter(|l| l.starts_with(&format!("{} ", lint.name))).count(), 1, "{}", lint.name);
        }
        assert!(
            text.contains("detached_spawn") && text.contains("1 clear exit") && text.contains("unused_suppression")
        );
        let double = text.lines().find(|l| l.starts_with("double_lock ")).expect("a row");
        assert!(double.contains(" correctness ") && double.contains(" deny "), "{double}");
        let channel = text.lines().find(|l| l.starts_with("unbounded_channel ")).expect("a row");
        assert!(channel.contains(" pedantic ") && channel.contains(" allow "), "{channel}");
        assert!(text.contains("  pedantic       allow  "), "{text}");
    }

    #[test]
    fn explain_prints_the_page_or_suggests() {
        let page = explain("detached_spawn").unwrap();
        assert!(page.starts_with("# `detached_spawn`"));
        assert!(page.contains("category: `suspicious` · default level: `warn`"), "{page}");
        assert!(page.contains("precision: "), "{page}");
        assert!(explain("parse_error").unwrap().contains("cannot be allowed or suppressed"));
        let err = explain("detached_spwn").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `detached_spawn`?"));
    }
}
