// MUST NOT fire: a package as crates.io ships it (`.cargo_vcs_info.json`, no `.git`, no CI
// files): its repository's CI, which may well run Miri, is out of sight.
pub struct Raw(*mut u8);
// SAFETY: the buffer is owned uniquely by `Raw`.
unsafe impl Send for Raw {}
