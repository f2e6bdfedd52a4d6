//! Output formats. Each one reads the same [`Diagnostic`]s and [`SourceMap`]; none re-reads a
//! file or an AST.

pub mod human;

use taskcheck_lints::{Diagnostic, Level, SourceMap};

/// What a run produced, as the emitters see it.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    /// Sorted by file, position, lint.
    pub diagnostics: &'a [Diagnostic],
    /// Rust files analysed (including those that failed to parse).
    pub files_checked: usize,
}

impl Report<'_> {
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }
}
