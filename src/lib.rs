//! The `cargo-taskcheck` driver: command line, discovery, the parallel run, and the outputs.
//! The analyses themselves live in the `taskcheck_lints` crate.

pub mod docs;
pub mod emit;

pub use taskcheck_lints as lints;
