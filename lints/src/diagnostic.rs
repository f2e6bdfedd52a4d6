//! The one diagnostic model. Lints build [`Diagnostic`]s; every output format reads them.

use crate::registry::Lint;
use crate::source::Span;

/// How seriously a finding is taken. `Allow` findings are never reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    /// The word rustc prints in a diagnostic header.
    pub fn header(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warning",
            Level::Deny => "error",
        }
    }

    /// The word used in configuration and `taskcheck list`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" | "warning" => Some(Level::Warn),
            "deny" | "error" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// rustc's four applicabilities, with the same meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Applicability {
    MachineApplicable,
    MaybeIncorrect,
    HasPlaceholders,
    Unspecified,
}

impl Applicability {
    /// The spelling rustc uses in its JSON output.
    pub fn rustc_name(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
            Applicability::HasPlaceholders => "HasPlaceholders",
            Applicability::Unspecified => "Unspecified",
        }
    }
}

/// A span with an optional message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Replace the text of `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A fix: one or more edits that belong together, with a message and how safe they are.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub message: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// One finding.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    #[serde(with = "crate::registry::by_name")]
    pub lint: &'static Lint,
    pub level: Level,
    pub message: String,
    /// The span the finding is about; its label is optional (may be empty).
    pub primary: Label,
    /// Secondary spans, each with a message.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Vec<String>,
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    /// A finding of `lint` at its default level.
    pub fn new(lint: &'static Lint, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            lint,
            level: lint.default_level,
            message: message.into(),
            primary: Label { span, message: String::new() },
            labels: Vec::new(),
            notes: Vec::new(),
            help: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    pub fn primary_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// A single-edit suggestion.
    pub fn suggest(
        mut self,
        message: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
        applicability: Applicability,
    ) -> Self {
        self.suggestions.push(Suggestion {
            message: message.into(),
            edits: vec![Edit { span, replacement: replacement.into() }],
            applicability,
        });
        self
    }

    /// The note every lint finding ends with: which Go rule it carries over.
    /// Applies `f` to every span: the primary one, the labels' and the suggestions' edits.
    pub fn relocate(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.primary.span);
        for label in &mut self.labels {
            f(&mut label.span);
        }
        for edit in self.suggestions.iter_mut().flat_map(|s| &mut s.edits) {
            f(&mut edit.span);
        }
    }

    pub fn rule_note(&self) -> Option<String> {
        self.lint.rule.map(|rule| format!("rule {} ({}): {}", rule.number(), rule.title(), self.lint.why))
    }

    /// Ordering key: file, position, lint, message; used to make output reproducible.
    pub fn sort_key(&self) -> (u32, u32, u32, &'static str, &str) {
        let s = self.primary.span;
        (s.file.0, s.start, s.end, self.lint.name, &self.message)
    }
}
