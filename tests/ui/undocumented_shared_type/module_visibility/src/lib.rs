//@ warn: undocumented_shared_type
use std::sync::Mutex;

pub mod api;
mod internal;
mod reexported;
pub(crate) mod crate_only;

pub use reexported::Exported;

mod imp;
pub use self::imp as platform;

mod facade;
mod hidden_api;

#[doc(hidden)]
pub mod internals;

#[path = "unix_impl.rs"]
pub mod unix_sys;

#[path = "private_impl.rs"]
mod private_sys;

// Declared under another name than its file's, once per platform, and re-exported by that name.
#[cfg(unix)]
#[path = "socket_unix.rs"]
mod socket;
#[cfg(not(unix))]
#[path = "socket_fallback.rs"]
mod socket;
pub use socket::Socket;

cfg_if::cfg_if! {
    if #[cfg(unix)] {
        mod via_macro;
    } else {
        mod via_macro;
    }
}

mod hidden {
    /// A crate-private module: not public API.
    pub struct Hidden {
        pub m: std::sync::Mutex<u8>,
    }
}

pub mod open {
    /// Holds a counter.
    pub struct Open { //~ undocumented_shared_type
        pub n: std::sync::atomic::AtomicUsize,
    }
}

mod globbed {
    /// Re-exported through a glob.
    pub struct Globbed { //~ undocumented_shared_type
        pub m: std::sync::Mutex<u8>,
    }
}
pub use globbed::*;

/// At the crate root.
pub struct Root { //~ undocumented_shared_type
    m: Mutex<u8>,
}

pub fn make() -> u8 {
    // Declared in a function body: it cannot be named from outside.
    pub struct Local {
        m: Mutex<u8>,
    }
    let l = Local { m: Mutex::new(1) };
    *l.m.lock().unwrap()
}

#[doc(hidden)]
pub use hidden_reexport::Unlisted;
mod hidden_reexport {
    /// Re-exported only under `#[doc(hidden)]`: not documented API.
    pub struct Unlisted {
        pub m: std::sync::Mutex<u8>,
    }
}

#[doc(hidden)]
pub mod __private {
    /// In a `#[doc(hidden)]` inline module: not documented API.
    pub struct Internal2 {
        pub m: std::sync::Mutex<u8>,
    }
}
