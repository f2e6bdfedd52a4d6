//! What a lint sees: one file with its facts, or one package with every file's summary.

use crate::diagnostic::Diagnostic;
use crate::facts::Facts;
use crate::source::{FileId, SourceFile, Span};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What taskcheck knows of the package a file belongs to, from its `Cargo.toml`.
#[derive(Clone, Debug)]
pub struct PackageInfo {
    pub name: String,
    /// The folder holding `Cargo.toml`.
    pub root: PathBuf,
    /// `2015`, `2018`, `2021`, `2024`.
    pub edition: u16,
    /// Names of the package's dependencies (normal, dev and build), as written in the manifest.
    pub dependencies: BTreeSet<String>,
    /// The manifest, when it is part of the run (findings on `Cargo.toml` point into it).
    pub manifest: Option<FileId>,
}

impl Default for PackageInfo {
    fn default() -> Self {
        PackageInfo {
            name: String::new(),
            root: PathBuf::new(),
            edition: 2021,
            dependencies: BTreeSet::new(),
            manifest: None,
        }
    }
}

impl PackageInfo {
    pub fn depends_on(&self, krate: &str) -> bool {
        self.dependencies.contains(krate) || self.dependencies.contains(&krate.replace('_', "-"))
    }
}

/// The per-file context every file lint receives.
pub struct FileCx<'a> {
    pub file: FileId,
    pub source: &'a SourceFile,
    /// The syntax tree, with macro bodies expanded (see [`crate::facts::macros`]).
    pub ast: &'a syn::File,
    pub facts: &'a Facts<'a>,
    pub package: &'a PackageInfo,
    pub(crate) out: std::cell::RefCell<Vec<Diagnostic>>,
}

impl<'a> FileCx<'a> {
    pub fn span(&self, node: &dyn syn::spanned::Spanned) -> Span {
        crate::facts::walk::span_of(self.file, node)
    }

    pub fn span_of(&self, span: proc_macro2::Span) -> Span {
        crate::facts::walk::span_of_span(self.file, span)
    }

    pub fn snippet(&self, span: Span) -> &str {
        self.source.snippet(span)
    }

    pub fn report(&self, diagnostic: Diagnostic) {
        self.out.borrow_mut().push(diagnostic);
    }
}
