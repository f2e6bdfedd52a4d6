//! The benchmark's baseline: read and parse every `.rs` file under the given folders with
//! `syn` (same features, same parallelism as taskcheck), and do nothing else.
//!
//! `cargo run --release --example parse_baseline -- DIR…` prints files, lines and failures.

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let files: Vec<PathBuf> = roots
        .iter()
        .flat_map(|root| walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    let pool = rayon::ThreadPoolBuilder::new().stack_size(256 << 20).build().expect("thread pool");
    let (lines, failures) = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let Ok(text) = std::fs::read_to_string(path) else { return (0, 1) };
                let lines = text.lines().count();
                let ok = syn::parse_file(&text).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                (lines, usize::from(!ok))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("parsed {} files, {lines} lines, {failures} failures", files.len());
}
