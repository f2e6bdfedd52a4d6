//@ deps: smol
use smol::{Executor, LocalExecutor};

async fn flush() {}

// MUST fire: the `Task` of `smol::spawn` dropped by an expression statement.
pub fn statement() {
    smol::spawn(flush()); //~ task_dropped_on_spawn
}

// MUST fire: `let _ = …` drops the `Task` at once.
pub fn let_underscore() {
    let _ = smol::spawn(async { flush().await }); //~ task_dropped_on_spawn
}

// `_ = …` is the same drop.
pub fn assign_underscore() {
    _ = smol::spawn(flush()); //~ task_dropped_on_spawn
}

// MUST fire: `Executor::spawn` and `LocalExecutor::spawn` return the same `Task`.
pub fn executor(ex: &Executor<'static>) {
    ex.spawn(flush()); //~ task_dropped_on_spawn
}

pub fn local_executor() {
    let local = LocalExecutor::new();
    let _: smol::Task<()> = local.spawn(flush()); //~ task_dropped_on_spawn
}

// An alias is still `smol::spawn`.
use smol::spawn as go;
pub fn alias() {
    go(flush()); //~ task_dropped_on_spawn
}
