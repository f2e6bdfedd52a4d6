//! Arbitrary source text through `taskcheck_lints::analyze_file` and the workspace phase.
//!
//! A crash is any of: a panic (the lints crate turns one into an `internal_error`, which is
//! reported here as a panic too), a stack overflow, a timeout, or a broken property:
//! - every span of every finding lies inside the file, on character boundaries;
//! - a file the prefilter skips can produce no finding and export no fact (but the module
//!   facts it is kept for when its package needs them), so skipping it changes nothing;
//! - a file the nesting guard lets through at a small limit has a syntax tree of bounded
//!   depth (the guard's estimate must not miss a way to nest).
//!
//! The analysis runs on one long-lived thread with the stack the driver gives its workers.
//! See `docs/performance.md` for how to run it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, OnceLock};
use syn::visit::{self, Visit};
use taskcheck_lints::prefilter::Prefilter;
use taskcheck_lints::registry::tool;
use taskcheck_lints::{
    analyze_file, check_workspace, nesting, ExportedFact, FileId, FileInput, Levels, PackageInfo, SourceFile,
    SourceMap, Span, WorkspaceInput,
};

struct Worker {
    input: Sender<String>,
    done: Receiver<()>,
}

fn worker() -> &'static Mutex<Worker> {
    static WORKER: OnceLock<Mutex<Worker>> = OnceLock::new();
    WORKER.get_or_init(|| {
        let (input, texts) = channel::<String>();
        let (finished, done) = channel();
        std::thread::Builder::new()
            .name("analyze".into())
            .stack_size(taskcheck_lints::STACK_BYTES)
            .spawn(move || {
                for text in texts {
                    check(&text);
                    let _ = finished.send(());
                }
            })
            .expect("start the analysis thread");
        Mutex::new(Worker { input, done })
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let worker = worker().lock().expect("the worker never panics: a panic aborts the process");
    worker.input.send(text).expect("the worker is alive");
    worker.done.recv().expect("the worker answers");
});

/// The small limit the depth property is checked at, and the depth it allows: at most a few
/// syntax tree levels per unit of the estimate (a `{` is a block, a statement and an expression).
const SMALL_LIMIT: usize = 48;
const DEPTH_PER_UNIT: usize = 4;
const DEPTH_SLACK: usize = 16;

fn check(text: &str) {
    let mut package = PackageInfo::default();
    // The runtime decides some advice; vary it with the input so both paths run.
    if text.len() % 2 == 0 {
        package.dependencies = BTreeSet::from(["tokio".to_string(), "futures".to_string()]);
    }
    let levels = Levels::default();
    let mut sources = SourceMap::default();
    let id = sources.add(SourceFile::new("src/lib.rs", text));
    let input = FileInput {
        id,
        source: sources.get(id),
        package: &package,
        is_test_file: text.len() % 3 == 0,
        is_example_file: text.len() % 5 == 0,
        extra_test_attrs: &[],
    };
    let analysis = analyze_file(&input, &levels);
    for d in &analysis.diagnostics {
        assert!(d.lint != &tool::INTERNAL_ERROR, "internal error: {}", d.message);
        let spans = std::iter::once(d.primary.span)
            .chain(d.labels.iter().map(|l| l.span))
            .chain(d.suggestions.iter().flat_map(|s| s.edits.iter().map(|e| e.span)));
        for span in spans {
            check_span(text, id, span, d.lint.name);
        }
    }

    let prefilter = Prefilter::new(taskcheck_lints::all_lints(), &levels);
    let needs = prefilter.scan(text);
    if needs.fires == 0 {
        let findings: Vec<_> =
            analysis.diagnostics.iter().filter(|d| !tool::ALL.contains(&d.lint)).map(|d| d.lint.name).collect();
        assert!(findings.is_empty(), "the prefilter skips a file with findings: {findings:?}");
        // A file that only supports a lint may export the facts it supports with, no other.
        let others = analysis.summary.facts.iter().filter(|f| {
            needs.supports == 0 || !matches!(f, ExportedFact::ModuleDecl { .. } | ExportedFact::PublicUse { .. })
        });
        assert_eq!(others.count(), 0, "the prefilter skips a file that exports facts");
    }

    let mut summary = analysis.summary;
    summary.file = id;
    let packages = [package];
    let workspace = WorkspaceInput {
        sources: &sources,
        packages: &packages,
        files: &[summary],
        root_manifest: None,
        ci_files: &[],
    };
    for d in check_workspace(&workspace, &levels) {
        assert!(d.lint != &tool::INTERNAL_ERROR, "internal error: {}", d.message);
    }

    if nesting::too_deep(text, SMALL_LIMIT).is_none() {
        if let Ok(file) = syn::parse_file(text) {
            let bound = SMALL_LIMIT * DEPTH_PER_UNIT + DEPTH_SLACK;
            let mut depth = Depth { depth: 0, max: 0, cap: bound + 1 };
            depth.visit_file(&file);
            assert!(depth.max <= bound, "the nesting guard let through a tree {} deep", depth.max);
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

fn check_span(text: &str, id: FileId, span: Span, lint: &str) {
    if span.file != id {
        return;
    }
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end && end <= text.len(), "{lint}: span {start}..{end} outside a {}-byte file", text.len());
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{lint}: span {start}..{end} splits a character"
    );
}

/// The deepest nesting of syntax tree nodes that recurse, stopping at `cap`.
struct Depth {
    depth: usize,
    max: usize,
    cap: usize,
}

macro_rules! nest {
    ($self:ident, $walk:expr) => {{
        $self.depth += 1;
        $self.max = $self.max.max($self.depth);
        if $self.depth <= $self.cap {
            $walk;
        }
        $self.depth -= 1;
    }};
}

impl<'a> Visit<'a> for Depth {
    fn visit_expr(&mut self, e: &'a syn::Expr) {
        nest!(self, visit::visit_expr(self, e))
    }
    fn visit_type(&mut self, t: &'a syn::Type) {
        nest!(self, visit::visit_type(self, t))
    }
    fn visit_pat(&mut self, p: &'a syn::Pat) {
        nest!(self, visit::visit_pat(self, p))
    }
    fn visit_item(&mut self, i: &'a syn::Item) {
        nest!(self, visit::visit_item(self, i))
    }
    fn visit_block(&mut self, b: &'a syn::Block) {
        nest!(self, visit::visit_block(self, b))
    }
    fn visit_generic_argument(&mut self, g: &'a syn::GenericArgument) {
        nest!(self, visit::visit_generic_argument(self, g))
    }
    fn visit_type_param_bound(&mut self, b: &'a syn::TypeParamBound) {
        nest!(self, visit::visit_type_param_bound(self, b))
    }
    fn visit_meta(&mut self, m: &'a syn::Meta) {
        nest!(self, visit::visit_meta(self, m))
    }
}
