//! `--statistics`: how many findings each lint and each rule has, so that a team can follow the
//! counts from one release to the next.

use super::is_tool_diagnostic;
use std::collections::BTreeMap;
use taskcheck_lints::{Diagnostic, Rule};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// Lint name → (its rule, findings), by name.
    pub lints: BTreeMap<&'static str, (Option<Rule>, usize)>,
    /// Rule → findings, in rule order; lints of no rule are left out.
    pub rules: BTreeMap<Rule, usize>,
    /// Findings reported (the tool's own diagnostics left out).
    pub total: usize,
    pub suppressed: usize,
}

impl Statistics {
    pub fn of(diagnostics: &[Diagnostic], suppressed: usize) -> Statistics {
        let mut s = Statistics { suppressed, ..Statistics::default() };
        for d in diagnostics.iter().filter(|d| !is_tool_diagnostic(d)) {
            s.total += 1;
            s.lints.entry(d.lint.name).or_insert((d.lint.rule, 0)).1 += 1;
            if let Some(rule) = d.lint.rule {
                *s.rules.entry(rule).or_insert(0) += 1;
            }
        }
        s
    }

    /// Two tables, for the human format.
    pub fn table(&self) -> String {
        let mut out = String::from("statistics:\n");
        if self.total == 0 {
            out.push_str("  no findings\n");
        } else {
            let width = self.lints.keys().map(|l| l.len()).max().unwrap_or(4).max(4);
            out.push_str(&format!("  {:>5}  {:width$}  rule\n", "count", "lint"));
            let mut by_count: Vec<_> = self.lints.iter().collect();
            by_count.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
            for (lint, (rule, count)) in by_count {
                let rule = rule.map(|r| r.number()).unwrap_or_else(|| "-".to_string());
                out.push_str(&format!("  {count:>5}  {lint:width$}  {rule}\n"));
            }
            out.push_str(&format!("  {:>5}  rule\n", "count"));
            for (rule, count) in &self.rules {
                out.push_str(&format!("  {count:>5}  {} ({})\n", rule.number(), rule.title()));
            }
        }
        out.push_str(&format!("  {:>5}  total ({} suppressed)\n", self.total, self.suppressed));
        out
    }

    /// One JSON object, for the machine formats.
    pub fn json(&self) -> serde_json::Value {
        let lints: serde_json::Map<String, serde_json::Value> =
            self.lints.iter().map(|(l, (_, n))| (l.to_string(), (*n).into())).collect();
        let rules: serde_json::Map<String, serde_json::Value> =
            self.rules.iter().map(|(r, n)| (r.key(), (*n).into())).collect();
        serde_json::json!({
            "statistics": {
                "lints": lints,
                "rules": rules,
                "total": self.total,
                "suppressed": self.suppressed,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taskcheck_lints::{find_lint, FileId, Span};

    #[test]
    fn counts_per_lint_and_rule() {
        let d = |name| Diagnostic::new(find_lint(name).expect("lint"), Span::new(FileId(0), 0, 0), "m");
        let s = Statistics::of(&[d("detached_spawn"), d("detached_spawn"), d("sleep_in_test"), d("parse_error")], 4);
        assert_eq!(s.total, 3);
        assert_eq!(s.lints["detached_spawn"].1, 2);
        assert_eq!(s.rules[&Rule::ClearExit], 2);
        assert_eq!(s.json()["statistics"]["rules"]["rule-8"], 1);
        let table = s.table();
        assert!(table.contains("      2  detached_spawn  1\n"), "{table}");
        assert!(table.contains("      2  1 (clear exit)\n"), "{table}");
        assert!(table.ends_with("      3  total (4 suppressed)\n"), "{table}");
    }
}
