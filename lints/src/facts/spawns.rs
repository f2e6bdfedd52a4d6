//! Which calls start a thread or task, and what each runtime does with its handle.

/// The runtime family, for messages that differ by runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Std,
    Tokio,
    AsyncStd,
    Smol,
    Rayon,
    Futures,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spawner {
    /// `std::thread::spawn`.
    StdThread,
    /// `std::thread::Builder::spawn` (returns `io::Result<JoinHandle>`).
    StdBuilder,
    /// `Scope::spawn` in `std::thread::scope` or `crossbeam::scope`: joined by the scope.
    StdScoped,
    /// `tokio::spawn` / `tokio::task::spawn`.
    TokioSpawn,
    /// `tokio::task::spawn_blocking`.
    TokioBlocking,
    /// `tokio::task::spawn_local`, `LocalSet::spawn_local`.
    TokioLocal,
    /// `Handle::spawn`, `Runtime::spawn` (and their `spawn_blocking`).
    TokioHandle,
    /// `JoinSet::spawn*`: aborted when the set drops.
    JoinSet,
    /// `TaskTracker::spawn*`: tracked, waited on with `wait()`.
    TaskTracker,
    /// `async_std::task::spawn*`.
    AsyncStd,
    /// `smol::spawn`, `Executor::spawn`: the `Task` cancels on drop unless `.detach()`ed.
    Smol,
    /// `rayon::spawn`, `ThreadPool::spawn`: fire-and-forget on a pool.
    Rayon,
    /// `rayon::Scope::spawn`: joined by the scope.
    RayonScope,
    /// `futures::executor::ThreadPool::spawn_ok`: fire-and-forget on a pool.
    FuturesPool,
}

impl Spawner {
    pub fn family(self) -> Family {
        match self {
            Spawner::StdThread | Spawner::StdBuilder | Spawner::StdScoped => Family::Std,
            Spawner::TokioSpawn
            | Spawner::TokioBlocking
            | Spawner::TokioLocal
            | Spawner::TokioHandle
            | Spawner::JoinSet
            | Spawner::TaskTracker => Family::Tokio,
            Spawner::AsyncStd => Family::AsyncStd,
            Spawner::Smol => Family::Smol,
            Spawner::Rayon | Spawner::RayonScope => Family::Rayon,
            Spawner::FuturesPool => Family::Futures,
        }
    }

    /// Spawns whose lifetime a structure manages: a scope joins them, a `JoinSet` aborts them,
    /// a `TaskTracker` waits for them. Such a spawn is never detached.
    pub fn is_managed(self) -> bool {
        matches!(self, Spawner::StdScoped | Spawner::RayonScope | Spawner::JoinSet | Spawner::TaskTracker)
    }

    /// Spawns that return no handle at all.
    pub fn is_fire_and_forget(self) -> bool {
        matches!(self, Spawner::Rayon | Spawner::FuturesPool)
    }

    /// Spawns that run on a fixed-size pool, so their concurrency is bounded by the pool.
    pub fn runs_on_bounded_pool(self) -> bool {
        matches!(self, Spawner::Rayon | Spawner::RayonScope | Spawner::FuturesPool | Spawner::TokioBlocking)
    }

    /// Spawns that start an OS thread per call.
    pub fn is_thread(self) -> bool {
        matches!(self, Spawner::StdThread | Spawner::StdBuilder | Spawner::StdScoped)
    }

    /// What the spawn returns, for messages.
    pub fn handle_name(self) -> &'static str {
        match self.family() {
            Family::Std => "JoinHandle",
            Family::Tokio | Family::AsyncStd => "JoinHandle",
            Family::Smol => "Task",
            Family::Rayon | Family::Futures => "handle",
        }
    }
}

/// A spawn called through a path, by its resolved (canonical) path.
pub fn path_spawner(resolved: &str) -> Option<Spawner> {
    Some(match resolved {
        "std::thread::spawn" => Spawner::StdThread,
        "tokio::spawn" => Spawner::TokioSpawn,
        "tokio::task::spawn_blocking" => Spawner::TokioBlocking,
        "tokio::task::spawn_local" => Spawner::TokioLocal,
        "async_std::task::spawn" | "async_std::task::spawn_blocking" | "async_std::task::spawn_local" => {
            Spawner::AsyncStd
        }
        "smol::spawn" | "async_global_executor::spawn" | "async_global_executor::spawn_local" => Spawner::Smol,
        "rayon::spawn" | "rayon::spawn_fifo" | "rayon_core::spawn" | "rayon_core::spawn_fifo" => Spawner::Rayon,
        _ => return None,
    })
}

/// The paths [`path_spawner`] knows, for configuration that names the spawner a project's own
/// spawn function behaves like (`spawn_logged = "tokio::spawn"`).
pub const SPAWNER_PATHS: &[&str] = &[
    "std::thread::spawn",
    "tokio::spawn",
    "tokio::task::spawn_blocking",
    "tokio::task::spawn_local",
    "async_std::task::spawn",
    "async_std::task::spawn_blocking",
    "smol::spawn",
    "rayon::spawn",
];

/// The spawner a configured path names: one of [`SPAWNER_PATHS`] or another spelling of one
/// (`tokio::task::spawn`).
pub fn spawner_named(path: &str) -> Option<Spawner> {
    path_spawner(&super::paths::canonical(path.trim_start_matches("::")))
}

/// The configured spawner (see [`crate::PackageInfo::extra_spawners`]) matching a call whose
/// path, imports followed, is `segments`: the configured path must be a suffix of it.
pub fn extra_spawner(extra: &[(String, Spawner)], segments: &[String]) -> Option<Spawner> {
    extra.iter().find_map(|(path, spawner)| {
        let wanted: Vec<&str> = path.trim_start_matches("::").split("::").collect();
        let tail = segments.len().checked_sub(wanted.len())?;
        segments[tail..].iter().zip(&wanted).all(|(have, want)| have == want).then_some(*spawner)
    })
}

/// Method names that may spawn, depending on the receiver's type.
pub fn is_spawn_method(name: &str) -> bool {
    matches!(
        name,
        "spawn"
            | "spawn_blocking"
            | "spawn_local"
            | "spawn_on"
            | "spawn_local_on"
            | "spawn_blocking_on"
            | "spawn_ok"
            | "spawn_fifo"
            | "spawn_scoped"
            | "spawn_unchecked"
    )
}

/// A spawn called as a method on a receiver of a known type.
pub fn method_spawner(receiver_type: &str, method: &str) -> Option<Spawner> {
    let spawner = match receiver_type {
        "std::thread::Builder" => match method {
            "spawn" | "spawn_unchecked" => Spawner::StdBuilder,
            "spawn_scoped" => Spawner::StdScoped,
            _ => return None,
        },
        "std::thread::Scope" | "crossbeam::thread::Scope" => Spawner::StdScoped,
        "tokio::runtime::Runtime" | "tokio::runtime::Handle" => Spawner::TokioHandle,
        "tokio::task::LocalSet" => Spawner::TokioLocal,
        "tokio::task::JoinSet" => Spawner::JoinSet,
        "tokio_util::task::TaskTracker" => Spawner::TaskTracker,
        "async_executor::Executor" | "async_executor::LocalExecutor" => Spawner::Smol,
        "rayon::ThreadPool" => match method {
            "spawn" | "spawn_fifo" => Spawner::Rayon,
            _ => return None,
        },
        "rayon::Scope" => Spawner::RayonScope,
        "futures::executor::ThreadPool" => match method {
            "spawn_ok" => Spawner::FuturesPool,
            _ => return None,
        },
        _ => return None,
    };
    if method == "spawn_ok" && spawner != Spawner::FuturesPool {
        return None;
    }
    Some(spawner)
}
