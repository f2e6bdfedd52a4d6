//! Results of earlier runs, per file, kept under the target directory
//! (`<target>/taskcheck/cache.bin`, [postcard]-encoded), so that a rerun analyses only what changed.
//!
//! Each file's entry holds its prefilter scan and its [`FileAnalysis`] (diagnostics, the facts
//! it exports to the workspace phase, its suppression comments). The workspace phase itself is
//! not cached: it runs every time over the summaries, stored or fresh, which is what keeps the
//! crate-wide lints (`lock_order_inversion`, `missing_race_check`, …) right when only some
//! files changed.
//!
//! An entry is used only when everything that decides it is unchanged:
//! - the file's text (a 128-bit xxh3 hash of its bytes) and where it is shown from. As git
//!   does for its index, a file whose size, modification and change times and inode are those
//!   stored with its hash is taken to have that hash without being read, unless it was
//!   modified less than a second before the run that stored it started (it may have changed
//!   again within the file system's timestamp resolution), so a rerun on an unchanged tree
//!   reads only the files it shows findings in;
//! - for the scan, the prefilter (the enabled lints and the configured extra words);
//! - for the analysis, the levels of its package, the package's edition, dependencies and
//!   configured spawners and test attributes, and whether it is a test file;
//! - the tool: its version and the build of the running binary (a rebuilt binary starts over).
//!
//! The cache is an optimisation only: a cache that cannot be read is ignored, one that cannot
//! be written is a warning, and `--no-cache` turns it off.

use crate::discover::RustFile;
pub use crate::stamp::Stamp;
use crate::stamp::{build_identity, now_nanos, write_atomically};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use taskcheck_lints::prefilter::{Needs, Prefilter};
use taskcheck_lints::{all_lints, FileAnalysis, FileId, Levels, PackageInfo};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// The cache's file under the target directory.
const FILE: &str = "taskcheck/cache.bin";

/// Bumped when the stored layout changes; older stores are then ignored.
const FORMAT: u32 = 4;

/// What the run read from the cache, and what it adds for the next run.
#[derive(Default)]
pub struct Cache {
    /// `None`: the cache is off (no target directory, or `--no-cache`).
    location: Option<PathBuf>,
    build: String,
    /// When this run started, stored with each entry it records.
    started: i128,
    stored: HashMap<String, Entry>,
    /// Entries scanned or analysed anew this run, by file.
    fresh: HashMap<String, Entry>,
}

#[derive(Serialize, Deserialize)]
struct Store {
    format: u32,
    build: String,
    entries: HashMap<String, Entry>,
}

/// One file's cached results.
#[derive(Clone, Serialize, Deserialize)]
pub struct Entry {
    /// xxh3-128 of the file's bytes, as hex.
    content: String,
    /// The file's metadata when it had that content.
    stamp: Option<Stamp>,
    /// When the run that made the entry started, in nanoseconds since the Unix epoch: a stamp
    /// later than this (less a margin) is not trusted. Kept per entry, since a store also
    /// carries entries of earlier runs over.
    started: i128,
    scan_key: String,
    needs: StoredNeeds,
    /// Set when the file was analysed: the key its analysis was made under, the analysis, and
    /// the file id its spans use.
    analysis: Option<StoredAnalysis>,
}

#[derive(Clone, Serialize, Deserialize)]
struct StoredNeeds {
    fires: String,
    supports: String,
}

#[derive(Clone, Serialize, Deserialize)]
struct StoredAnalysis {
    key: String,
    file: FileId,
    /// The [`FileAnalysis`], encoded on its own: decoded only when the run reuses it, and
    /// written back as it is when another file changed (a cached run used to decode every
    /// analysis with the store, then copy each it reused).
    #[serde(with = "serde_bytes")]
    analysis: Vec<u8>,
}

/// Everything about a file the run knows before analysing it, to look its entry up.
pub struct Probe {
    /// The file's path as text; `None` when it is not UTF-8 (such a file is not cached).
    path: Option<String>,
    content: String,
    stamp: Option<Stamp>,
}

impl Cache {
    /// The cache under `target_directory`, or an empty one when there is none yet or it cannot
    /// be read.
    pub fn open(target_directory: Option<&Path>) -> Cache {
        let Some(dir) = target_directory else { return Cache::default() };
        let location = dir.join(FILE);
        let build = build_identity();
        let started = now_nanos();
        let store = std::fs::read(&location)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Store>(&bytes).ok())
            .filter(|s| s.format == FORMAT && s.build == build);
        let stored = store.map(|s| s.entries).unwrap_or_default();
        Cache { location: Some(location), build, started, stored, fresh: HashMap::new() }
    }

    /// A cache that stores nothing and finds nothing (`--no-cache`).
    pub fn off() -> Cache {
        Cache::default()
    }

    pub fn is_on(&self) -> bool {
        self.location.is_some()
    }

    /// The probe of a file read from disk, with the metadata it had before it was read.
    pub fn probe(file: &RustFile, text: &str, stamp: Option<Stamp>) -> Probe {
        Probe { path: key(&file.path), content: format!("{:032x}", xxh3_128(text.as_bytes())), stamp }
    }

    /// The probe of a file that has not changed since it was stored, told from its metadata
    /// alone; `None` when it has to be read.
    pub fn unchanged(&self, file: &RustFile, stamp: Option<Stamp>) -> Option<Probe> {
        let stamp = stamp?;
        let entry = self.stored.get(file.path.to_str()?)?;
        // Only the modification time can be racy: a later write moves it, and setting it back
        // by hand moves the change time, which the stamp compares too.
        let trusted = entry.stamp == Some(stamp) && stamp.settled_before(entry.started);
        trusted.then(|| Probe { path: key(&file.path), content: entry.content.clone(), stamp: Some(stamp) })
    }

    fn stored(&self, probe: &Probe) -> Option<&Entry> {
        self.stored.get(probe.path.as_deref()?).filter(|e| e.content == probe.content)
    }

    /// The stored scan of the file, if its text and the prefilter are unchanged.
    /// Whether two probes saw the same text.
    pub fn same_text(a: &Probe, b: &Probe) -> bool {
        a.content == b.content
    }

    pub fn needs(&self, probe: &Probe, scan_key: &str) -> Option<Needs> {
        let entry = self.stored(probe).filter(|e| e.scan_key == scan_key)?;
        Some(Needs { fires: parse_bits(&entry.needs.fires)?, supports: parse_bits(&entry.needs.supports)? })
    }

    /// The stored analysis of the file, moved to `file`, if its text and its key are unchanged.
    pub fn analysis(&self, probe: &Probe, key: &str, file: FileId) -> Option<FileAnalysis> {
        let stored = self.stored(probe)?.analysis.as_ref().filter(|a| a.key == key)?;
        let mut analysis: FileAnalysis = postcard::from_bytes(&stored.analysis).ok()?;
        analysis.relocate(stored.file, file);
        Some(analysis)
    }

    /// Records a file's scan and analysis when either was not taken from the cache.
    pub fn record(
        &mut self,
        probe: Probe,
        scan_key: &str,
        needs: Needs,
        analysis: Option<(&str, FileId, &FileAnalysis)>,
    ) {
        let Some(path) = probe.path.filter(|_| self.location.is_some()) else { return };
        let analysis = analysis.and_then(|(key, file, analysis)| {
            Some(StoredAnalysis { key: key.to_string(), file, analysis: postcard::to_stdvec(analysis).ok()? })
        });
        let entry = Entry {
            content: probe.content,
            stamp: probe.stamp,
            started: self.started,
            scan_key: scan_key.to_string(),
            needs: StoredNeeds { fires: format!("{:x}", needs.fires), supports: format!("{:x}", needs.supports) },
            analysis,
        };
        self.fresh.insert(path, entry);
    }

    /// Writes the new entries of this run, with the stored ones of files that still exist (a
    /// run over one package keeps the others' entries); writes nothing when every file came
    /// from the cache. Returns why the cache could not be written, if it could not.
    pub fn save(mut self) -> Result<(), String> {
        let Some(location) = self.location.take() else { return Ok(()) };
        if self.fresh.is_empty() {
            return Ok(());
        }
        let mut entries = std::mem::take(&mut self.stored);
        entries.retain(|path, _| !self.fresh.contains_key(path) && Path::new(path).is_file());
        entries.extend(self.fresh);
        let store = Store { format: FORMAT, build: self.build, entries };
        postcard::to_stdvec(&store)
            .map_err(std::io::Error::other)
            .and_then(|bytes| write_atomically(&location, &bytes))
            .map_err(|e| format!("could not write the cache {}: {e}", location.display()))
    }
}

fn key(path: &Path) -> Option<String> {
    path.to_str().map(str::to_string)
}

fn parse_bits(hex: &str) -> Option<u128> {
    u128::from_str_radix(hex, 16).ok()
}

/// The key of a file's prefilter scan.
pub fn scan_key(prefilter_fingerprint: &str, file: &RustFile) -> String {
    format!("{:016x}", xxh3_64(format!("{prefilter_fingerprint}|{}", file.is_test_file).as_bytes()))
}

/// A prefilter's part of [`scan_key`], computed once per run.
pub fn prefilter_fingerprint(prefilter: &Prefilter) -> String {
    format!("{:016x}", xxh3_64(prefilter.fingerprint().as_bytes()))
}

/// The key of a file's analysis: what [`taskcheck_lints::analyze_file`] reads besides the text.
pub fn analysis_key(package_key: &str, file: &RustFile) -> String {
    let text = format!("{package_key}|{}|{}|{}", file.shown.display(), file.is_test_file, file.is_example_file);
    format!("{:016x}", xxh3_64(text.as_bytes()))
}

/// A package's part of [`analysis_key`], computed once per run: its levels, edition,
/// dependencies, configured spawners and test attributes.
pub fn package_key(package: &PackageInfo, levels: &Levels, test_attributes: &[String]) -> String {
    let mut text = String::new();
    for lint in all_lints() {
        text.push_str(levels.get(lint).name());
        text.push(',');
    }
    text.push_str(&format!(
        "|{}|{:?}|{:?}|{:?}|{}",
        package.name,
        package.edition,
        package.dependencies,
        package.extra_spawners,
        test_attributes.join(","),
    ));
    format!("{:016x}", xxh3_64(text.as_bytes()))
}
