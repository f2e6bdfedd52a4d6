//! "Did you mean" suggestions for mistyped lint and package names. The lints crate owns the
//! edit distance, since suppression comments are checked there too.

pub use taskcheck_lints::suggest::closest;
