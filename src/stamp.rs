//! What tells a rerun that nothing changed, for the caches a run keeps under the target
//! directory (`cache.rs`'s per-file analyses, `discover/test_modules.rs`'s module
//! declarations): a file's stamp, the running build's identity, and an atomic write.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the file system says of a file, to tell without reading it that it has not changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
            Some(Stamp {
                len: metadata.len(),
                modified: ns(metadata.mtime(), metadata.mtime_nsec()),
                changed: ns(metadata.ctime(), metadata.ctime_nsec()),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as i128;
            Some(Stamp { len: metadata.len(), modified, changed: modified, inode: 0 })
        }
    }

    /// Whether the file last changed long enough before a run that started at `started` (see
    /// [`now_nanos`]) for that run's reading of it to still hold while the stamp is the same:
    /// within the file system's timestamp resolution it may have changed again unseen.
    pub fn settled_before(self, started: i128) -> bool {
        self.modified < started - RACY_NANOS
    }
}

/// How long before a run's start a file must have last changed for its stamp to be trusted.
const RACY_NANOS: i128 = 1_000_000_000;

/// Now, in nanoseconds since the Unix epoch: when a run started.
pub fn now_nanos() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

/// The tool's version and the running binary's size and modification time: a different build
/// may analyse differently, so it starts with empty caches.
pub fn build_identity() -> String {
    let binary = std::env::current_exe().and_then(std::fs::metadata).ok();
    let stamp = binary.map(|m| {
        let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        format!("{}-{}", m.len(), modified.map(|d| d.as_nanos()).unwrap_or(0))
    });
    format!("{} {}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default())
}

/// Writes to a temporary file beside `location` and renames it over, so that a reader (or a
/// concurrent run) sees the old file or the new one, never half of one. Tags the folder as a
/// cache for backup tools and for taskcheck's own walk.
pub fn write_atomically(location: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = location.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by cargo-taskcheck.\n",
        )?;
    }
    let mut temp = tempfile_beside(location)?;
    temp.1.write_all(bytes)?;
    temp.1.sync_all().ok();
    std::fs::rename(&temp.0, location)
}

fn tempfile_beside(location: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = location.parent().unwrap_or(Path::new("."));
    let name = location.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let file = std::fs::File::create(&path)?;
    Ok((path, file))
}
