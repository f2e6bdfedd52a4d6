// Not the crate root: the manifest's `[lib] path` is `src/mylib.rs`.
mod other;
