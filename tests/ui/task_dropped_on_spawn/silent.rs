//@ deps: smol, tokio
use smol::Task;

async fn flush() {}

// MUST NOT fire: detached, awaited, kept in a binding, returned.
pub async fn kept() -> Task<()> {
    smol::spawn(flush()).detach();
    smol::spawn(flush()).await;
    let task = smol::spawn(flush());
    task.await;
    let _guard = smol::spawn(flush());
    flush().await;
    smol::spawn(flush())
}

// MUST NOT fire: an explicit `drop` says that cancelling is meant.
pub fn explicit_drop() {
    drop(smol::spawn(flush()));
}

// MUST NOT fire: collected tasks are kept alive by the collection.
pub async fn collected() {
    let tasks: Vec<Task<()>> = (0..4).map(|_| smol::spawn(flush())).collect();
    for t in tasks {
        t.await;
    }
}

// MUST NOT fire: a dropped tokio `JoinHandle` detaches its task instead of cancelling it.
pub fn tokio_detaches() {
    tokio::spawn(flush());
}

// MUST NOT fire: a local function named `spawn`, and an executor of unknown type.
fn spawn<F>(_f: F) {}
pub fn local_spawn(other: &Other) {
    spawn(flush());
    other.spawn(flush());
}

pub struct Other;
impl Other {
    pub fn spawn<F>(&self, _f: F) {}
}
