//! Lock types, acquisition modes and what two acquisitions of one lock do to each other.
//!
//! The vocabulary every other part of the lock facts speaks: which library a lock comes from
//! ([`LockFamily`]) and what it is ([`LockKind`]), how it is taken ([`AcqMode`], from the
//! method called: [`lock_method`]), what the resolved path of a type names ([`lock_type_named`])
//! and how a second acquisition on a held lock ends ([`conflict`]). It is separate because it is
//! pure data and tables, with no syntax tree and no per-file state: the walk
//! ([`crate::facts::walk`]) and the lints read it as well as the lock pass.

/// Which library a lock comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LockFamily {
    /// `std::sync` (and `loom::sync`, which mirrors it).
    Std,
    /// `parking_lot` and `lock_api`.
    ParkingLot,
    /// `spin`.
    Spin,
    /// `tokio::sync`.
    Tokio,
    /// `async_lock` (also `smol::lock`).
    AsyncLock,
    /// `futures::lock`.
    Futures,
    /// `async_std::sync`.
    AsyncStd,
    /// A type the file does not show, locked as `x.lock().unwrap()`: a poisoning, synchronous
    /// lock with std's API.
    UnknownSync,
    /// A type the file does not show, locked as `x.lock().await`.
    UnknownAsync,
    /// A type named `Mutex`/`RwLock` that this crate defines or re-exports
    /// (`use crate::loom::sync::Mutex`): sync or async is decided at each acquisition, by
    /// whether it is awaited.
    Local,
}

impl LockFamily {
    /// Its guard blocks a thread: holding it across an `.await` is the bug.
    pub fn is_sync(self) -> bool {
        matches!(self, LockFamily::Std | LockFamily::ParkingLot | LockFamily::Spin | LockFamily::UnknownSync)
    }

    /// Acquired with `.await` (`lock().await`).
    pub fn is_async(self) -> bool {
        matches!(
            self,
            LockFamily::Tokio
                | LockFamily::AsyncLock
                | LockFamily::Futures
                | LockFamily::AsyncStd
                | LockFamily::UnknownAsync
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LockKind {
    Mutex,
    RwLock,
    /// Reentrant (`parking_lot::ReentrantMutex`, `std::sync::ReentrantLock`): the owning thread
    /// may lock it again.
    Reentrant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockType {
    pub family: LockFamily,
    pub kind: LockKind,
    /// The type's path for messages, e.g. `std::sync::Mutex`; empty when unknown.
    pub name: &'static str,
}

/// How a lock is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AcqMode {
    /// `lock()`.
    Exclusive,
    /// `read()`.
    Read,
    /// `write()`.
    Write,
    /// parking_lot's `upgradable_read()`: shares with readers, excludes writers and upgraders.
    Upgradable,
    /// parking_lot's `read_recursive()`: may be taken while this thread holds a read guard.
    ReadRecursive,
}

impl AcqMode {
    /// The mode's method as users write it.
    pub fn method(self) -> &'static str {
        match self {
            AcqMode::Exclusive => "lock",
            AcqMode::Read => "read",
            AcqMode::Write => "write",
            AcqMode::Upgradable => "upgradable_read",
            AcqMode::ReadRecursive => "read_recursive",
        }
    }

    pub fn is_shared(self) -> bool {
        matches!(self, AcqMode::Read | AcqMode::ReadRecursive | AcqMode::Upgradable)
    }

    /// A guard taken in mode `self` by one thread keeps another thread's `wanted` waiting:
    /// readers share, an upgradable read shares with readers but not with another upgradable.
    pub fn excludes(self, wanted: AcqMode) -> bool {
        use AcqMode::*;
        !matches!(
            (self, wanted),
            (Read | ReadRecursive, Read | ReadRecursive | Upgradable) | (Upgradable, Read | ReadRecursive)
        )
    }
}

/// How taking `new` while this thread holds `held` on the same lock ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// The second acquisition waits for the first guard, which waits for it: a deadlock (std's
    /// `Mutex` may also panic).
    Deadlock,
    /// Two read guards: fine alone, but a writer that queues in between blocks the second read
    /// (std on most platforms, parking_lot and tokio are writer-fair), and both wait forever.
    ReadRead,
}

/// The outcome of taking `new` while holding `held` on the same lock of kind `kind`.
pub fn conflict(kind: LockKind, held: AcqMode, new: AcqMode) -> Option<Conflict> {
    use AcqMode::*;
    match kind {
        LockKind::Reentrant => None,
        LockKind::Mutex | LockKind::RwLock => match (held, new) {
            (_, ReadRecursive) if held != Write => None,
            (Read | ReadRecursive, Read) => Some(Conflict::ReadRead),
            (Read | ReadRecursive | Upgradable, Upgradable) if held != Upgradable => None,
            (Upgradable, Read) => None,
            _ => Some(Conflict::Deadlock),
        },
    }
}

/// What taking the lock again as `new` does while it is held as `held` (each: the kind its
/// acquisition saw, and how it is taken): reentrant if either side knows it is, else the kind
/// of the held side when its type is known (`held_type_known`), else the new side's guess.
pub fn relock(held: (LockKind, AcqMode), held_type_known: bool, new: (LockKind, AcqMode)) -> Option<Conflict> {
    let kind = if held.0 == LockKind::Reentrant || new.0 == LockKind::Reentrant {
        LockKind::Reentrant
    } else if held_type_known {
        held.0
    } else {
        new.0
    };
    conflict(kind, held.1, new.1)
}

/// The lock method `name` called with `nargs` arguments: its mode, whether it is a `try_`
/// variant (never blocks), and whether it blocks the thread even on an async lock
/// (`blocking_lock`).
pub fn lock_method(name: &str, nargs: usize) -> Option<(AcqMode, bool)> {
    use AcqMode::*;
    let (mode, is_try, args) = match name {
        "lock" | "lock_arc" | "lock_owned" | "blocking_lock" | "blocking_lock_owned" => (Exclusive, false, 0),
        "try_lock" | "try_lock_arc" | "try_lock_owned" => (Exclusive, true, 0),
        "try_lock_for" | "try_lock_until" => (Exclusive, true, 1),
        "read" | "read_arc" | "read_owned" | "blocking_read" => (Read, false, 0),
        "try_read" | "try_read_arc" | "try_read_owned" => (Read, true, 0),
        "try_read_for" | "try_read_until" => (Read, true, 1),
        "write" | "write_arc" | "write_owned" | "blocking_write" => (Write, false, 0),
        "try_write" | "try_write_arc" | "try_write_owned" => (Write, true, 0),
        "try_write_for" | "try_write_until" => (Write, true, 1),
        "upgradable_read" | "upgradable_read_arc" => (Upgradable, false, 0),
        "try_upgradable_read" | "try_upgradable_read_arc" => (Upgradable, true, 0),
        "read_recursive" => (ReadRecursive, false, 0),
        "try_read_recursive" => (ReadRecursive, true, 0),
        _ => return None,
    };
    (nargs == args).then_some((mode, is_try))
}

/// The lock type named by a resolved path.
pub fn lock_type_named(resolved: &str) -> Option<LockType> {
    use LockFamily::*;
    use LockKind::*;
    let (family, kind, name) = match resolved {
        "std::sync::Mutex" | "loom::sync::Mutex" => (Std, Mutex, "std::sync::Mutex"),
        "std::sync::RwLock" | "loom::sync::RwLock" => (Std, RwLock, "std::sync::RwLock"),
        "std::sync::ReentrantLock" => (Std, Reentrant, "std::sync::ReentrantLock"),
        "parking_lot::Mutex" | "parking_lot::FairMutex" | "lock_api::Mutex" => {
            (ParkingLot, Mutex, "parking_lot::Mutex")
        }
        "parking_lot::RwLock" => (ParkingLot, RwLock, "parking_lot::RwLock"),
        // Generic over its raw lock, whose policy decides whether readers wait for writers.
        "lock_api::RwLock" => (ParkingLot, RwLock, "lock_api::RwLock"),
        "parking_lot::ReentrantMutex" | "lock_api::ReentrantMutex" => {
            (ParkingLot, Reentrant, "parking_lot::ReentrantMutex")
        }
        "spin::Mutex" | "spin::mutex::Mutex" | "spin::mutex::SpinMutex" | "spin::mutex::TicketMutex" => {
            (Spin, Mutex, "spin::Mutex")
        }
        "spin::RwLock" | "spin::rwlock::RwLock" => (Spin, RwLock, "spin::RwLock"),
        "tokio::sync::Mutex" => (Tokio, Mutex, "tokio::sync::Mutex"),
        "tokio::sync::RwLock" => (Tokio, RwLock, "tokio::sync::RwLock"),
        "async_lock::Mutex" | "smol::lock::Mutex" => (AsyncLock, Mutex, "async_lock::Mutex"),
        "async_lock::RwLock" | "smol::lock::RwLock" => (AsyncLock, RwLock, "async_lock::RwLock"),
        "futures::lock::Mutex" => (Futures, Mutex, "futures::lock::Mutex"),
        "async_std::sync::Mutex" => (AsyncStd, Mutex, "async_std::sync::Mutex"),
        "async_std::sync::RwLock" => (AsyncStd, RwLock, "async_std::sync::RwLock"),
        _ => return None,
    };
    Some(LockType { family, kind, name })
}

/// A lock type the resolver cannot place (defined or re-exported by this crate), by its name.
pub(super) fn local_lock_type(name: &str) -> Option<LockType> {
    let kind = match name {
        "Mutex" | "FairMutex" | "SpinMutex" => LockKind::Mutex,
        "RwLock" | "SpinRwLock" => LockKind::RwLock,
        "ReentrantMutex" | "ReentrantLock" => LockKind::Reentrant,
        _ => return None,
    };
    Some(LockType { family: LockFamily::Local, kind, name: "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn conflicts() {
        use AcqMode::*;
        assert_eq!(conflict(LockKind::Mutex, Exclusive, Exclusive), Some(Conflict::Deadlock));
        assert_eq!(conflict(LockKind::RwLock, Read, Write), Some(Conflict::Deadlock));
        assert_eq!(conflict(LockKind::RwLock, Write, Read), Some(Conflict::Deadlock));
        assert_eq!(conflict(LockKind::RwLock, Read, Read), Some(Conflict::ReadRead));
        assert_eq!(conflict(LockKind::RwLock, Read, ReadRecursive), None);
        assert_eq!(conflict(LockKind::RwLock, Write, ReadRecursive), Some(Conflict::Deadlock));
        assert_eq!(conflict(LockKind::RwLock, Upgradable, Read), None);
        assert_eq!(conflict(LockKind::RwLock, Upgradable, Upgradable), Some(Conflict::Deadlock));
        assert_eq!(conflict(LockKind::RwLock, Read, Upgradable), None);
        assert_eq!(conflict(LockKind::Reentrant, Exclusive, Exclusive), None);
    }

    #[test]
    fn modes_between_threads() {
        use AcqMode::*;
        assert!(!Read.excludes(Read));
        assert!(!ReadRecursive.excludes(Upgradable));
        assert!(!Upgradable.excludes(Read));
        assert!(Upgradable.excludes(Upgradable));
        assert!(Read.excludes(Write));
        assert!(Exclusive.excludes(Read));
        assert!(Write.excludes(ReadRecursive));
    }

    #[test]
    fn lock_methods() {
        assert_eq!(lock_method("lock", 0), Some((AcqMode::Exclusive, false)));
        assert_eq!(lock_method("read", 1), None);
        assert_eq!(lock_method("try_lock_for", 1), Some((AcqMode::Exclusive, true)));
        assert_eq!(lock_method("push", 0), None);
    }
}
