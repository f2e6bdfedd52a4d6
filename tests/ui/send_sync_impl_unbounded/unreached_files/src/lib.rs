//@ warn: send_sync_impl_unbounded
//! Only the files a `mod` declaration reaches from the crate root are compiled: `stale/`
//! and `dead.rs` are left over, and nothing in them can cross threads.

mod live;
pub use live::Live;

macro_rules! declare {
    ($name:ident) => {
        mod $name;
    };
}
// A macro may declare a module: the file it names is taken to be compiled.
declare!(by_macro);

// The included file declares its modules here, as if written in this file.
include!("decls.rs");
