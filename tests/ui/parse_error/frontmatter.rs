#!/usr/bin/env -S cargo +nightly -Zscript
---cargo
[dependencies]
serde = "1"
---

// A cargo script: its frontmatter is not Rust, and is blanked out before parsing.
fn main() { std::thread::spawn(|| loop {}); } //~ detached_spawn
