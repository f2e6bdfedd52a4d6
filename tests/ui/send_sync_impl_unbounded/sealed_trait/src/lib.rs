//@ warn: send_sync_impl_unbounded
//! A parameter bounded by a trait no code outside the crate can name: only the crate's own
//! types implement it, and the crate chose each of them.

pub mod api;
mod r#async;
mod table;
pub use r#async::Runner;
pub use table::Table;
