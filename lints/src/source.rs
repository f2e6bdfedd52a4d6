//! Source files and the position arithmetic every emitter needs.
//!
//! Spans are byte ranges into a [`SourceFile`]; lines and columns are derived on demand so that
//! each output can use its own unit (characters for rustc and the terminal, UTF-16 code units for
//! SARIF) without the analyses caring.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in the run's [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end.max(start) as u32 }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A position as people and tools count it: 1-based line, 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    /// 1-based column counted in Unicode scalar values.
    pub col: usize,
    /// 1-based column counted in UTF-16 code units (SARIF's `utf16CodeUnits`).
    pub col_utf16: usize,
}

/// One file's text plus a line index.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the working directory where possible).
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        // A byte-order mark is no column of the first line, for rustc nor for an editor.
        let mut line_starts = vec![if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 }];
        line_starts.extend(memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile { path: path.into(), text, line_starts }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// Text of a 0-based line, without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// Clamps an offset into the text and onto a character boundary.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let prefix = &self.text[self.line_starts[line].min(offset)..offset];
        LineCol { line: line + 1, col: prefix.chars().count() + 1, col_utf16: prefix.encode_utf16().count() + 1 }
    }

    pub fn snippet(&self, span: Span) -> &str {
        &self.text[self.clamp(span.start as usize)..self.clamp(span.end as usize)]
    }
}

fn memchr_iter(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(needle, haystack)
}

/// Every file a run knows about, Rust sources and manifests alike.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Arc::new(file));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Arc<SourceFile>)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Gives a file its text (one added with an empty text, to be read only if needed).
    pub fn set_text(&mut self, id: FileId, text: impl Into<Arc<str>>) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            *file = Arc::new(SourceFile::new(file.path.clone(), text));
        }
    }

    /// Forgets a file's text (and line index), keeping its path: for files no output will
    /// show, so that a large run does not hold every file in memory.
    pub fn release_text(&mut self, id: FileId) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            if !file.text.is_empty() {
                *file = Arc::new(SourceFile::new(file.path.clone(), ""));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_utf16_units() {
        let f = SourceFile::new("a.rs", "let s = \"é😀\"; x\r\nsecond");
        let x = f.text.find(" x").unwrap() + 1;
        let lc = f.line_col(x);
        assert_eq!(lc.line, 1);
        // `let s = "é😀"; ` is 14 scalar values; the emoji is two UTF-16 units.
        assert_eq!(lc.col, 15);
        assert_eq!(lc.col_utf16, 16);
        assert_eq!(f.line_text(0), "let s = \"é😀\"; x");
        let s = f.text.find("second").unwrap();
        assert_eq!(f.line_col(s), LineCol { line: 2, col: 1, col_utf16: 1 });
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let f = SourceFile::new("a.rs", "\u{feff}fn f() {}\nfn g() {}");
        let at = f.text.find("f()").unwrap();
        assert_eq!(f.line_col(at), LineCol { line: 1, col: 4, col_utf16: 4 });
        assert_eq!(f.line_text(0), "fn f() {}");
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1, col_utf16: 1 });
        assert_eq!(f.line_index(0), 0);
        assert_eq!(SourceFile::new("a.rs", "\u{feff}").line_text(0), "");
    }

    #[test]
    fn clamp_never_splits_a_character() {
        let f = SourceFile::new("a.rs", "é");
        assert_eq!(f.clamp(1), 0);
        assert_eq!(f.clamp(99), 2);
    }
}
