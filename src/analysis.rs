//! The analysis of a run's files: the scan (reading and the prefilter), the parallel
//! analysis of each file (through the cache), the workspace phase, suppressions and the sort.
//! Its result, an [`Analysis`], is what the adoption steps and the report start from.

use crate::cache::{self, Cache, Probe, Stamp};
use crate::config::Settings;
use crate::discover::{Plan, RustFile};
use crate::emit::human::display_path;
use crate::error::Error;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use taskcheck_lints::prefilter::{Needs, Prefilter, RunContext};
use taskcheck_lints::registry::tool;
use taskcheck_lints::suppress::{self, Suppressed};
use taskcheck_lints::{
    analyze_file, check_workspace, Diagnostic, FileAnalysis, FileId, FileInput, Level, Levels, SourceFile, SourceMap,
    Span, WorkspaceInput,
};

/// syn and the lints recurse over the syntax tree, so deeply nested input needs a deep stack
/// (the lints crate refuses what would need more).
const WORKER_STACK_BYTES: usize = taskcheck_lints::STACK_BYTES;

/// What the analysis of a run produced, before suppressions, baselines and fixes.
pub struct Analysis {
    /// Sorted by path, position and lint; suppressed findings already taken out.
    pub diagnostics: Vec<Diagnostic>,
    /// The findings `// taskcheck: allow(…)` comments suppressed, in the same order.
    pub suppressed: Vec<Suppressed>,
    /// How much the cache spared.
    pub cache: CacheUse,
}

/// What the cache did for a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// Files analysed this run (parsed and linted).
    pub analysed: usize,
    /// Files whose analysis came from the cache.
    pub reused: usize,
    /// Files read from disk (to analyse them, to hash them, or to show findings in them).
    pub read: usize,
}

/// How [`analyse_with`] goes about it; the defaults are what a run uses.
#[derive(Clone, Debug)]
pub struct AnalyseOptions {
    /// Skip files no enabled lint can fire in ([`Prefilter`]). Off only to check that the
    /// prefilter changes no finding (`--no-prefilter`).
    pub prefilter: bool,
    /// Reuse the results of earlier runs for unchanged files, and store this run's
    /// ([`Cache`], in the plan's target directory). Off by default: for the library, a
    /// cache is something the caller asks for.
    pub cache: bool,
}

impl Default for AnalyseOptions {
    fn default() -> Self {
        AnalyseOptions { prefilter: true, cache: false }
    }
}

/// Reads and checks every file of the plan, in parallel, then runs the workspace phase and
/// applies each file's suppression comments; adds the files to `sources`. The diagnostics come
/// back sorted by path, position and lint, whatever the threads' timing.
pub fn analyse(plan: &Plan, sources: &mut SourceMap, settings: &Settings) -> Result<Analysis, Error> {
    analyse_with(plan, sources, settings, &AnalyseOptions::default())
}

/// [`analyse`] with options. Only the texts findings (reported or suppressed) or suppression
/// comments point into are kept in `sources`: the emitters and the adoption steps read only
/// those.
pub fn analyse_with(
    plan: &Plan,
    sources: &mut SourceMap,
    settings: &Settings,
    options: &AnalyseOptions,
) -> Result<Analysis, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK_BYTES)
        .thread_name(|i| format!("taskcheck-worker-{i}"))
        .build()
        .map_err(|e| Error::new(format!("cannot start the worker threads: {e}")))?;

    // Each lint that is on for any package runs; its findings get their file's level after.
    let mut union = Levels::default();
    for lint in taskcheck_lints::all_lints() {
        let on = settings.all_levels().any(|l| l.is_enabled(lint));
        union.set(lint, if on { Level::Warn } else { Level::Allow });
    }
    let prefilter = prefilter(plan, sources, settings, &union, options);
    let mut cache = if options.cache { Cache::open(plan.target_directory.as_deref()) } else { Cache::off() };
    let scan = ScanKeys { fingerprint: cache::prefilter_fingerprint(&prefilter), prefilter: &prefilter };
    let (mut readable, mut diagnostics) = load(plan, sources, &scan, &cache, &pool);
    if cache.is_on() {
        let package_keys: Vec<String> = (0..plan.packages.len())
            .map(|i| {
                let attributes = settings.test_attributes.get(i).map(Vec::as_slice).unwrap_or(&[]);
                cache::package_key(&plan.packages[i], settings.levels_of(Some(i)), attributes)
            })
            .collect();
        for r in readable.iter_mut().filter(|r| r.analysed) {
            let key = cache::analysis_key(&package_keys[r.file.package], r.file);
            // Analysed for fewer lints: its analysis is not the one a full analysis would store.
            r.analysis_key = Some(if r.support_only { format!("{key}-support") } else { key });
        }
    }
    let mut usage = CacheUse { read: readable.iter().filter(|r| r.read_for_probe).count(), ..CacheUse::default() };
    let mut owner: HashMap<FileId, usize> = readable.iter().map(|r| (r.id, r.file.package)).collect();
    owner.extend(plan.packages.iter().enumerate().filter_map(|(i, p)| Some((p.manifest?, i))));
    let mut summaries = Vec::with_capacity(readable.len());
    let mut tables = Vec::new();
    let keys = (&cache, scan.prefilter);
    let mut checked = check_files(plan, &readable, sources, settings, keys, &pool, |r| !r.support_only);
    let asked = supported_lints(plan, &readable, &checked, scan.prefilter);
    for r in readable.iter_mut().filter(|r| r.support_only && r.needs.supports & asked[r.file.package] == 0) {
        r.analysed = false;
        r.analysis_key = None;
    }
    let support = check_files(plan, &readable, sources, settings, keys, &pool, |r| r.support_only);
    for (slot, second) in checked.iter_mut().zip(support) {
        if !matches!(second, Checked::Skipped) {
            *slot = second;
        }
    }
    let mut analyses = Vec::with_capacity(checked.len());
    for (r, checked) in readable.iter_mut().zip(checked) {
        let from_cache = matches!(checked, Checked::Skipped | Checked::FromCache(_));
        let analysis = match checked {
            Checked::Skipped => FileAnalysis::default(),
            Checked::FromCache(analysis) => {
                usage.reused += 1;
                analysis
            }
            Checked::Analysed { analysis, text, probe, rescan } => {
                usage.analysed += 1;
                usage.read += 1;
                if let Some(text) = text {
                    sources.set_text(r.id, text);
                    r.text_loaded = true;
                }
                // Recorded from the text that was analysed, which may be newer than the scan's.
                r.probe = probe;
                if let Some(needs) = rescan {
                    r.needs = needs;
                    r.needs_from_cache = false;
                }
                analysis
            }
            Checked::Unreadable(reason) => {
                usage.read += 1;
                r.analysed = false;
                r.probe = None;
                diagnostics.push(io_error(r.id, reason));
                FileAnalysis::default()
            }
        };
        // Everything but a file whose scan and analysis both came from the cache, known
        // unchanged from its metadata, is recorded: the next run then trusts the metadata.
        let reused = from_cache && r.needs_from_cache && !r.read_for_probe;
        if let Some(probe) = r.probe.take().filter(|_| !reused) {
            let stored = r.analysis_key.as_deref().filter(|_| r.analysed).map(|k| (k, r.id, &analysis));
            cache.record(probe, &cache::scan_key(&scan.fingerprint, r.file), r.needs, stored);
        }
        analyses.push(analysis);
    }
    if let Err(e) = cache.save() {
        eprintln!("warning: {e}");
    }
    for analysis in analyses {
        diagnostics.extend(analysis.diagnostics);
        summaries.push(analysis.summary);
        if !analysis.suppressions.is_empty() {
            tables.push(analysis.suppressions);
        }
    }
    // Lints that compare files or read manifests and CI files, once every file is done.
    // Skipped when there is nothing at all to point into.
    if !sources.is_empty() {
        let workspace = WorkspaceInput {
            sources,
            packages: &plan.packages,
            files: &summaries,
            root_manifest: plan.root_manifest,
            ci_files: &plan.ci_files,
        };
        for mut d in check_workspace(&workspace, &union) {
            d.level = settings.levels_of(owner.get(&d.primary.span.file).copied()).get(d.lint);
            if d.level != Level::Allow {
                diagnostics.push(d);
            }
        }
    }
    // The emitters, suppressions and adoption steps read the files findings point into, and
    // those with suppression comments: read the ones the cache spared.
    let mut wanted: HashSet<FileId> = tables.iter().map(|t| t.file).collect();
    for d in &diagnostics {
        wanted.insert(d.primary.span.file);
        wanted.extend(d.labels.iter().map(|l| l.span.file));
        wanted.extend(d.suggestions.iter().flat_map(|s| s.edits.iter().map(|e| e.span.file)));
    }
    let unread: Vec<usize> =
        readable.iter().enumerate().filter(|(_, r)| !r.text_loaded && wanted.contains(&r.id)).map(|(i, _)| i).collect();
    usage.read += unread.len();
    // A file that vanished since it was stamped keeps an empty text: its findings still show.
    for (i, result) in read_texts(&readable, &unread, sources, &pool) {
        readable[i].text_loaded = result.is_ok();
    }
    let mut suppressed = Vec::new();
    if !tables.is_empty() {
        let mut by_file: HashMap<FileId, Vec<Diagnostic>> = HashMap::new();
        let mut rest = Vec::with_capacity(diagnostics.len());
        let files: HashSet<FileId> = tables.iter().map(|t| t.file).collect();
        for d in diagnostics {
            if files.contains(&d.primary.span.file) {
                by_file.entry(d.primary.span.file).or_default().push(d);
            } else {
                rest.push(d);
            }
        }
        for table in &tables {
            let levels = settings.levels_of(owner.get(&table.file).copied());
            let found = by_file.remove(&table.file).unwrap_or_default();
            let applied = suppress::apply(table, sources.get(table.file), found, levels);
            rest.extend(applied.reported);
            suppressed.extend(applied.suppressed);
        }
        diagnostics = rest;
    }
    sort(&mut diagnostics, sources);
    suppressed.sort_by(|a, b| sort_key(&a.diagnostic, sources).cmp(&sort_key(&b.diagnostic, sources)));
    let cited = diagnostics.iter().chain(suppressed.iter().map(|s| &s.diagnostic));
    release_unneeded(&readable, sources, cited);
    Ok(Analysis { diagnostics, suppressed, cache: usage })
}

/// Files that contain nothing any enabled lint needs cannot produce a finding: they are not
/// parsed. Names the configuration gives meaning to (the project's own spawn functions, extra
/// test attributes) let a file through whatever it contains.
fn prefilter(
    plan: &Plan,
    sources: &SourceMap,
    settings: &Settings,
    union: &Levels,
    options: &AnalyseOptions,
) -> Prefilter {
    if !options.prefilter {
        return Prefilter::disabled();
    }
    let run =
        RunContext { sources, packages: &plan.packages, root_manifest: plan.root_manifest, ci_files: &plan.ci_files };
    let mut words: Vec<&str> =
        plan.packages.iter().flat_map(|p| &p.extra_spawners).filter_map(|(path, _)| path.rsplit("::").next()).collect();
    words.extend(settings.test_attributes.iter().flatten().filter_map(|a| a.rsplit("::").next()));
    words.sort_unstable();
    words.dedup();
    Prefilter::for_run(taskcheck_lints::all_lints(), union, &run).with_extra_words(&words)
}

/// One readable Rust file: its id, where it comes from, and whether it is analysed.
struct Readable<'p> {
    id: FileId,
    file: &'p RustFile,
    analysed: bool,
    needs: Needs,
    /// Its cache lookup key, when the cache is on (taken once the entry is recorded).
    probe: Option<Probe>,
    needs_from_cache: bool,
    /// Whether its text is in the source map: the cache spares reading unchanged files.
    text_loaded: bool,
    /// Read (and hashed) to find its cache entry, rather than known unchanged from its stamp.
    read_for_probe: bool,
    stamp: Option<Stamp>,
    /// The key of its analysis in the cache, when the cache is on and it is analysed.
    analysis_key: Option<String>,
    /// No lint can fire in it: it is analysed, after the others, only for the lints it
    /// supports, and only if a file of its package asks for them ([`supported_lints`]).
    support_only: bool,
}

/// What became of one file in [`check_files`].
enum Checked {
    /// Not analysed: the prefilter found nothing any lint needs in it.
    Skipped,
    FromCache(FileAnalysis),
    /// Analysed now; `text` kept when a finding or a suppression comment points into it, and
    /// the probe made from the text that was analysed.
    Analysed {
        analysis: FileAnalysis,
        text: Option<Arc<str>>,
        probe: Option<Probe>,
        /// Set when the text changed since the scan pass: its scan, for the cache.
        rescan: Option<Needs>,
    },
    /// Could not be read for analysis (it vanished since it was scanned).
    Unreadable(String),
}

/// The prefilter, and its part of the cache key of every scan.
struct ScanKeys<'a> {
    prefilter: &'a Prefilter,
    fingerprint: String,
}

/// Reads the files and runs the prefilter on them (in parallel), and adds them to the source
/// map (in order, on this thread, since it hands out the ids); the text of a file that will
/// not be analysed is not kept. A file the cache knows unchanged from its metadata is not
/// read at all. Returns the readable files, and an `io_error` for each file or folder that
/// could not be read.
fn load<'p>(
    plan: &'p Plan,
    sources: &mut SourceMap,
    scan: &ScanKeys<'_>,
    cache: &Cache,
    pool: &rayon::ThreadPool,
) -> (Vec<Readable<'p>>, Vec<Diagnostic>) {
    struct Loaded {
        /// Read from disk to scan or hash it (the text itself is not kept).
        read: bool,
        needs: Needs,
        probe: Option<Probe>,
        needs_from_cache: bool,
        stamp: Option<Stamp>,
    }
    let loaded: Vec<Result<Loaded, String>> = pool.install(|| {
        plan.files
            .par_iter()
            .map(|f| {
                let key = cache.is_on().then(|| cache::scan_key(&scan.fingerprint, f));
                let stamp = key.as_ref().and_then(|_| std::fs::metadata(&f.path).ok()).and_then(|m| Stamp::of(&m));
                if let Some(probe) = cache.unchanged(f, stamp) {
                    if let Some(needs) = key.as_deref().and_then(|k| cache.needs(&probe, k)) {
                        return Ok(Loaded { read: false, needs, probe: Some(probe), needs_from_cache: true, stamp });
                    }
                }
                let text = read_source(&f.path, &display_path(&f.shown))?;
                let probe = cache.is_on().then(|| Cache::probe(f, &text, stamp));
                let stored = probe.as_ref().zip(key.as_deref()).and_then(|(p, k)| cache.needs(p, k));
                let needs = stored.unwrap_or_else(|| scan.prefilter.scan_file(&text, f.is_test_file));
                // The text is not kept: the files to analyse are read again, one per worker at
                // a time, so that memory does not grow with the tree (it grew with all its
                // bytes, then with the analysed files' bytes, while they were kept).
                Ok(Loaded { read: true, needs, probe, needs_from_cache: stored.is_some(), stamp })
            })
            .collect()
    });
    // What may fire in each package: a file that only supports a lint is needed if the lint
    // may fire in another file of the same package.
    let mut fires_in = vec![0u128; plan.packages.len()];
    for (file, loaded) in plan.files.iter().zip(&loaded) {
        if let (Ok(loaded), Some(fires)) = (loaded, fires_in.get_mut(file.package)) {
            *fires |= loaded.needs.fires;
        }
    }
    let mut unreadable = Vec::new();
    let mut readable = Vec::with_capacity(plan.files.len());
    for (file, loaded) in plan.files.iter().zip(loaded) {
        match loaded {
            Ok(loaded) => {
                let analysed = loaded.needs.needed(fires_in.get(file.package).copied().unwrap_or(u128::MAX));
                let id = sources.add(SourceFile::new(file.shown.clone(), ""));
                readable.push(Readable {
                    id,
                    file,
                    analysed,
                    needs: loaded.needs,
                    probe: loaded.probe,
                    needs_from_cache: loaded.needs_from_cache,
                    text_loaded: false,
                    read_for_probe: loaded.read,
                    stamp: loaded.stamp,
                    analysis_key: None,
                    support_only: analysed && loaded.needs.fires == 0,
                });
            }
            Err(reason) => unreadable.push(io_error(sources.add(SourceFile::new(file.shown.clone(), "")), reason)),
        }
    }
    for folder in &plan.unlisted {
        let id = sources.add(SourceFile::new(folder.shown.clone(), ""));
        unreadable.push(io_error(id, format!("could not read {}: {}", display_path(&folder.shown), folder.reason)));
    }
    (readable, unreadable)
}

/// Reads the texts of `readable[i]` for each `i` of `which` (in parallel) into the source map.
fn read_texts(
    readable: &[Readable<'_>],
    which: &[usize],
    sources: &mut SourceMap,
    pool: &rayon::ThreadPool,
) -> Vec<(usize, Result<(), String>)> {
    let texts: Vec<(usize, Result<String, String>)> = pool.install(|| {
        which
            .par_iter()
            .map(|&i| (i, read_source(&readable[i].file.path, &display_path(&readable[i].file.shown))))
            .collect()
    });
    texts
        .into_iter()
        .map(|(i, text)| {
            let done = text.map(|text| sources.set_text(readable[i].id, text));
            (i, done)
        })
        .collect()
}

/// For each package, the lints (as [`Needs`] bits) some analysed file asks the files that
/// only support them for: a pending decision of the workspace phase
/// ([`taskcheck_lints::ExportedFact::asks_support`]). Without one, such files change nothing.
fn supported_lints(plan: &Plan, readable: &[Readable<'_>], checked: &[Checked], prefilter: &Prefilter) -> Vec<u128> {
    let mut asked = vec![0u128; plan.packages.len()];
    for (r, checked) in readable.iter().zip(checked) {
        let (Checked::FromCache(analysis) | Checked::Analysed { analysis, .. }) = checked else { continue };
        let lints = analysis.summary.facts.iter().filter_map(|f| f.asks_support());
        if let Some(bits) = asked.get_mut(r.file.package) {
            *bits |= prefilter.bits_of(lints);
        }
    }
    asked
}

/// The per-file analyses of the analysed files `phase` picks, in parallel (the others are
/// [`Checked::Skipped`]): from the cache when it holds one for the file as it is, else read
/// and analysed (each summary is tagged with its file and package). A file that only supports
/// lints is analysed for those alone: no other lint can report in it.
fn check_files(
    plan: &Plan,
    readable: &[Readable<'_>],
    sources: &SourceMap,
    settings: &Settings,
    (cache, prefilter): (&Cache, &Prefilter),
    pool: &rayon::ThreadPool,
    phase: impl Fn(&Readable<'_>) -> bool + Sync,
) -> Vec<Checked> {
    pool.install(|| {
        readable
            .par_iter()
            .map(|r| {
                if !r.analysed || !phase(r) {
                    return Checked::Skipped;
                }
                let tag = |mut analysis: FileAnalysis| {
                    // The lints crate leaves the file's package to the caller's bookkeeping.
                    analysis.summary.file = r.id;
                    analysis.summary.package = r.file.package;
                    analysis
                };
                if let (Some(probe), Some(key)) = (&r.probe, &r.analysis_key) {
                    if let Some(stored) = cache.analysis(probe, key, r.id) {
                        return Checked::FromCache(tag(stored));
                    }
                }
                let text = match read_source(&r.file.path, &display_path(&r.file.shown)) {
                    Ok(text) => text,
                    Err(reason) => return Checked::Unreadable(reason),
                };
                let probe = cache.is_on().then(|| Cache::probe(r.file, &text, r.stamp));
                // Edited since the scan pass: the cache must not pair the old scan with the new text.
                let changed = matches!((&probe, &r.probe), (Some(new), Some(old)) if !Cache::same_text(new, old));
                let rescan = changed.then(|| prefilter.scan_file(&text, r.file.is_test_file));
                let source = SourceFile::new(sources.get(r.id).path.clone(), text);
                let input = FileInput {
                    id: r.id,
                    source: &source,
                    package: &plan.packages[r.file.package],
                    is_test_file: r.file.is_test_file,
                    is_example_file: r.file.is_example_file,
                    extra_test_attrs: settings.test_attributes.get(r.file.package).map(Vec::as_slice).unwrap_or(&[]),
                };
                // `analyze_file` refuses input nested too deeply for the parser's stack itself.
                let levels = settings.levels_of(Some(r.file.package));
                let analysis = if r.support_only {
                    tag(analyze_file(&input, &only(levels, &prefilter.lints_of(r.needs.supports))))
                } else {
                    tag(analyze_file(&input, levels))
                };
                trim_heap(source.text.len());
                let cited = !analysis.diagnostics.is_empty() || !analysis.suppressions.is_empty();
                Checked::Analysed { analysis, text: cited.then(|| source.text.clone()), probe, rescan }
            })
            .collect()
    })
}

/// `levels` with every lint but `lints` turned off.
fn only(levels: &Levels, lints: &[&str]) -> Levels {
    let mut out = levels.clone();
    for lint in taskcheck_lints::all_lints().filter(|l| !lints.contains(&l.name)) {
        out.set(lint, Level::Allow);
    }
    out
}

/// Drops the texts of the Rust files no diagnostic points into.
fn release_unneeded<'d>(
    readable: &[Readable<'_>],
    sources: &mut SourceMap,
    cited: impl Iterator<Item = &'d Diagnostic>,
) {
    let mut files = HashSet::new();
    for d in cited {
        files.insert(d.primary.span.file);
        files.extend(d.labels.iter().map(|l| l.span.file));
        files.extend(d.suggestions.iter().flat_map(|s| s.edits.iter().map(|e| e.span.file)));
    }
    for r in readable.iter().filter(|r| r.analysed && !files.contains(&r.id)) {
        sources.release_text(r.id);
    }
}

/// The file's text, or why it has none, in the words the `io_error` diagnostic uses.
fn read_source(path: &Path, shown: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("could not read {shown}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // The text before the first bad byte is valid, so its lines and columns are known.
        let before = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{shown} is not valid UTF-8 (byte {at}, line {line}, column {column})")
    })
}

fn io_error(file: FileId, message: String) -> Diagnostic {
    Diagnostic::new(&tool::IO_ERROR, Span::new(file, 0, 0), message)
        .note("the other files were still checked")
        .help("check the file's permissions and encoding, or leave it out of the run")
}

/// By shown path, then position (byte order is line-and-column order), then lint and message.
fn sort(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    diagnostics.sort_by(|a, b| sort_key(a, sources).cmp(&sort_key(b, sources)));
}

pub fn sort_key<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> (&'a Path, u32, u32, &'static str, &'a str) {
    let span = d.primary.span;
    (sources.get(span.file).path(), span.start, span.end, d.lint.name, &d.message)
}

/// Blocks of this size or more get pages of their own, returned to the system when freed.
const MMAP_THRESHOLD_BYTES: i32 = 256 * 1024;

/// Fixes glibc's threshold for giving a block pages of its own at [`MMAP_THRESHOLD_BYTES`],
/// and the free space a heap may keep at its top at twice that. glibc raises the first (up to
/// 32 MiB) each time such a block is freed, and the second with it (to 64 MiB), so after the
/// first large block the text and token buffers of every later file stayed in the heaps,
/// where freeing returns nothing: corpus C's peak with every lint on went from 400–404 MB to
/// 372 MB at the same time. It is set first thing (`main_with_args`): set when the analysis
/// starts, after discovery's allocations, the peak was still 391–402 MB.
pub fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointer; it changes a setting of glibc's allocator under its
    // lock, before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD_BYTES);
    }
}

/// [`trim_heap`] runs after each file at least this large, and each time the files analysed
/// since its last run add up to as much.
const TRIM_EVERY_BYTES: usize = 2 * 1024 * 1024;

/// Bytes of text analysed since [`trim_heap`] last ran.
static SINCE_TRIM: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Hands the memory freed syntax trees leave behind back to the system, after a large file or
/// every [`TRIM_EVERY_BYTES`] of text. glibc keeps one heap per thread and returns little of
/// it by itself, so the run's peak grew with the trees each worker had held (corpus C: 410 MiB
/// with every lint on, against 345 MiB with a single heap); trimming after every file of 16
/// KiB or more took the peak to 375–380 MiB but cost a sixth of the run's time.
fn trim_heap(text_len: usize) {
    use std::sync::atomic::Ordering;
    let since = SINCE_TRIM.fetch_add(text_len, Ordering::Relaxed) + text_len;
    if text_len < TRIM_EVERY_BYTES && since < TRIM_EVERY_BYTES {
        return;
    }
    SINCE_TRIM.store(0, Ordering::Relaxed);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and only releases free memory of glibc's heaps,
    // under their locks; it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
