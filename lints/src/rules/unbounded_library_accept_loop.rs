use super::unbounded_spawn_in_loop::{library_accept_task, report, unbounded_spawns};
use crate::context::FileCx;
use crate::registry::Rule;

crate::declare_lint! {
    /// ### What it does
    /// Finds an accept loop in library code that spawns an async task for every connection
    /// with no bound in sight: what `unbounded_spawn_in_loop` reports in an application, in a
    /// file of a library (under `src/`, other than `src/main.rs` and `src/bin/`). A thread per
    /// connection stays `unbounded_spawn_in_loop`'s everywhere: each costs a stack and an OS
    /// thread, and `thread::spawn` panics when the OS refuses one. The loop,
    /// the bounds that silence it and the exemptions (tests, examples, diagnostics endpoints)
    /// are that lint's.
    ///
    /// It is `pedantic`, off by default: a server library's one task per connection is its
    /// design (hyper's and warp's serve loops), each task holds its socket so the process's
    /// open-file limit caps them, and the right limit depends on the application's machine,
    /// so it is usually set there (a `tower` concurrency-limit layer, a proxy). Reviewers of
    /// real crates split evenly on whether such a loop needs a limit of its own. Enable it
    /// (`-W unbounded_library_accept_loop`) in a library that should offer one.
    ///
    /// ### Why is this bad
    /// Whoever opens connections decides how many tasks the server runs and how much memory
    /// they hold; an application that uses the library without a limit of its own inherits
    /// that. A library that takes a limit in its configuration, or documents that every
    /// connection gets its own task, lets its users decide.
    ///
    /// ### Known problems
    /// A module of a binary-only package (`src/server.rs` declared by `src/main.rs`) is taken
    /// for library code: its accept loops are reported here, not by `unbounded_spawn_in_loop`.
    ///
    /// ### Example
    /// ```rust,ignore
    /// pub async fn serve(listener: TcpListener, app: App) -> io::Result<()> {
    ///     loop {
    ///         let (socket, _) = listener.accept().await?;
    ///         tokio::spawn(app.clone().handle(socket));
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// pub async fn serve(listener: TcpListener, app: App, max_connections: usize) -> io::Result<()> {
    ///     let limit = Arc::new(Semaphore::new(max_connections));
    ///     loop {
    ///         let permit = limit.clone().acquire_owned().await.expect("never closed");
    ///         let (socket, _) = listener.accept().await?;
    ///         let app = app.clone();
    ///         tokio::spawn(async move {
    ///             app.handle(socket).await;
    ///             drop(permit);
    ///         });
    ///     }
    /// }
    /// ```
    pub static UNBOUNDED_LIBRARY_ACCEPT_LOOP = {
        name: "unbounded_library_accept_loop",
        rule: Some(Rule::BoundConcurrency),
        category: Pedantic,
        cost: Leak,
        summary: "a library's accept loop spawns one task per connection without a limit",
        why: "unbounded fan-out lets the input decide how many tasks and threads the process runs",
    };
}

pub fn check(cx: &FileCx<'_>) {
    for (spawn, lp, input) in unbounded_spawns(cx) {
        if library_accept_task(cx, spawn, input) {
            report(cx, &UNBOUNDED_LIBRARY_ACCEPT_LOOP, spawn, lp, input);
        }
    }
}
