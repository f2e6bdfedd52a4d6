//@ warn: send_sync_impl_unbounded
//! The manifest makes `src/mylib.rs` the crate root: its `mod slot;` is `src/slot.rs`, which
//! `src/lib.rs` (not compiled here) does not declare. Roots the manifest moves are not
//! followed, so every file counts as compiled.

mod slot;
pub use slot::Slot;
