//! Paths as the user sees them: relative to the current directory where possible.

use std::path::{Component, Path, PathBuf};

/// `path` relative to `cwd` (`src/lib.rs`, `../svc/src/main.rs`), without `.` components. Stays
/// absolute when no relative form exists (another drive on Windows). Purely lexical: `cwd` is
/// what the OS reports (symlinks resolved) and the paths come from it or from the user.
pub fn shown_path(path: &Path, cwd: &Path) -> PathBuf {
    let path = without_cur_dir(path);
    if !path.is_absolute() {
        return path;
    }
    if let Ok(rest) = path.strip_prefix(cwd) {
        return if rest.as_os_str().is_empty() { PathBuf::from(".") } else { rest.to_path_buf() };
    }
    relative_with_parents(&path, cwd).unwrap_or(path)
}

fn without_cur_dir(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path.components().filter(|c| *c != Component::CurDir).collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// `../../x` from `base` to `path`, both absolute; `None` when they share no root.
fn relative_with_parents(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let shares_root = path.first().is_some_and(|c| matches!(c, Component::RootDir)) && common > 0;
    let shares_prefix = matches!(path.first(), Some(Component::Prefix(_))) && common > 1;
    if !(shares_root || shares_prefix) {
        return None;
    }
    if base[common..].iter().any(|c| matches!(c, Component::ParentDir)) {
        return None; // `..` in the base cannot be undone lexically.
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    out.extend(&path[common..]);
    Some(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn shown(path: &str, cwd: &str) -> String {
        shown_path(Path::new(path), Path::new(cwd)).to_string_lossy().into_owned()
    }

    #[test]
    fn relative_to_the_current_directory() {
        assert_eq!(shown("/w/app/src/lib.rs", "/w/app"), "src/lib.rs");
        assert_eq!(shown("/w/svc/src/lib.rs", "/w/app"), "../svc/src/lib.rs");
        assert_eq!(shown("/w/app", "/w/app"), ".");
        assert_eq!(shown("./src/./lib.rs", "/w/app"), "src/lib.rs");
        assert_eq!(shown("../x.rs", "/w/app"), "../x.rs");
        assert_eq!(shown("/elsewhere/x.rs", "/w/app"), "../../elsewhere/x.rs");
    }
}
