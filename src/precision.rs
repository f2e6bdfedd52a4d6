//! Each lint's measured precision: the share of a blind-reviewed, fixed-seed sample of its
//! findings on real crates that the reviewer judged true (`docs/precision.md`). The data lives
//! in `lints/precision.toml`, compiled in, and is shown by `explain`, on the lint pages and in
//! the README's lint table; a lint without data is "not measured".

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use taskcheck_lints::{registry, Lint};

/// One review of one lint's sample.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Measurement {
    /// Findings judged true.
    pub true_positives: u32,
    /// Findings judged, true and false.
    pub judged: u32,
    /// The corpus sampled: `A`, `C` or `A+C`.
    pub corpus: String,
    /// The day of the review, `YYYY-MM-DD`.
    pub date: String,
}

impl Measurement {
    /// Whole percent, rounded down, so that 94.9 % never shows as meeting a 95 % bar.
    pub fn percent(&self) -> u32 {
        (u64::from(self.true_positives) * 100 / u64::from(self.judged.max(1))) as u32
    }

    /// `93 % (14 of 15 findings true, corpus C, 2025-01-31)`.
    pub fn describe(&self) -> String {
        format!(
            "{} % ({} of {} findings true, corpus {}, {})",
            self.percent(),
            self.true_positives,
            self.judged,
            self.corpus,
            self.date
        )
    }

    fn problem(&self) -> Option<String> {
        let date_ok = self.date.len() == 10
            && self.date.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
        if self.judged == 0 {
            Some("`judged` is 0".to_string())
        } else if self.true_positives > self.judged {
            Some("more true positives than findings judged".to_string())
        } else if !date_ok {
            Some(format!("date `{}` is not YYYY-MM-DD", self.date))
        } else if self.corpus.trim().is_empty() {
            Some("no corpus".to_string())
        } else {
            None
        }
    }
}

/// Reads the data; every mistake is reported (a test keeps the compiled-in file free of them).
pub fn parse(text: &str) -> Result<BTreeMap<String, Measurement>, String> {
    let table: BTreeMap<String, Measurement> = toml::from_str(text).map_err(|e| e.to_string())?;
    for (name, m) in &table {
        match taskcheck_lints::find_lint(name) {
            Some(lint) if lint.category.is_some() => {}
            _ => return Err(format!("`{name}` is not a lint")),
        }
        if let Some(problem) = m.problem() {
            return Err(format!("`{name}`: {problem}"));
        }
    }
    Ok(table)
}

fn data() -> &'static BTreeMap<String, Measurement> {
    static DATA: OnceLock<BTreeMap<String, Measurement>> = OnceLock::new();
    DATA.get_or_init(|| parse(registry::PRECISION_TOML).unwrap_or_default())
}

/// The lint's latest measurement, if it was measured.
pub fn of(lint: &Lint) -> Option<&'static Measurement> {
    data().get(lint.name)
}

/// The measurement in words, or `not measured`.
pub fn describe(lint: &Lint) -> String {
    of(lint).map_or_else(|| "not measured".to_string(), Measurement::describe)
}

/// Short form for tables: `93 % (14/15, C)`, or `not measured`.
pub fn short(lint: &Lint) -> String {
    match of(lint) {
        Some(m) => format!("{} % ({}/{}, {})", m.percent(), m.true_positives, m.judged, m.corpus),
        None => "not measured".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_data_is_valid() {
        parse(registry::PRECISION_TOML).unwrap_or_else(|e| panic!("lints/precision.toml: {e}"));
    }

    #[test]
    fn mistakes_are_rejected() {
        let ok = "[detached_spawn]\ntrue-positives = 14\njudged = 15\ncorpus = \"C\"\ndate = \"2025-01-31\"\n";
        let table = parse(ok).unwrap();
        let m = &table["detached_spawn"];
        assert_eq!(m.percent(), 93);
        assert_eq!(m.describe(), "93 % (14 of 15 findings true, corpus C, 2025-01-31)");
        assert!(parse(&ok.replace("detached_spawn", "detached_spwn")).unwrap_err().contains("not a lint"));
        assert!(parse(&ok.replace("detached_spawn", "parse_error")).unwrap_err().contains("not a lint"));
        assert!(parse(&ok.replace("= 14", "= 16")).unwrap_err().contains("more true positives"));
        assert!(parse(&ok.replace("2025-01-31", "31.1.2025")).unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse(&ok.replace("judged = 15", "judged = 0")).is_err());
        assert!(parse(&ok.replace("corpus", "korpus")).is_err(), "unknown keys are mistakes");
    }

    #[test]
    fn percent_rounds_down() {
        let m = Measurement { true_positives: 189, judged: 199, corpus: "C".into(), date: "2025-01-31".into() };
        assert_eq!(m.percent(), 94, "94.97 % must not show as 95 %");
    }
}
