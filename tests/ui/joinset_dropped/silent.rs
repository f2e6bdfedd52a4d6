//@ deps: tokio
use tokio::task::JoinSet;

async fn fetch(k: u32) -> u32 {
    k
}

// MUST NOT fire: joined with `join_next` (also in `select!`), `join_all`, `shutdown`,
// `detach_all`, `abort_all`.
pub async fn joined() {
    let mut a = JoinSet::new();
    a.spawn(fetch(1));
    while let Some(res) = a.join_next().await {
        res.unwrap();
    }
    let mut b = JoinSet::new();
    b.spawn(fetch(2));
    let _ = b.join_all().await;
    let mut c = JoinSet::new();
    c.spawn(fetch(3));
    c.shutdown().await;
    let mut d = JoinSet::new();
    d.spawn(fetch(4));
    d.detach_all();
    let mut e = JoinSet::new();
    e.spawn(fetch(5));
    e.abort_all();
    let mut f = JoinSet::new();
    f.spawn(fetch(6));
    loop {
        tokio::select! {
            Some(done) = f.join_next() => { done.unwrap(); }
            else => break,
        }
    }
}

struct Pool {
    set: JoinSet<u32>,
}

async fn drain(set: &mut JoinSet<u32>) {
    while set.join_next().await.is_some() {}
}

// MUST NOT fire: the set is moved: returned, stored, passed by value or by reference, moved
// into another task, dropped on purpose.
pub async fn moved() -> JoinSet<u32> {
    let mut stored = JoinSet::new();
    stored.spawn(fetch(1));
    let _pool = Pool { set: stored };
    let mut borrowed = JoinSet::new();
    borrowed.spawn(fetch(2));
    drain(&mut borrowed).await;
    let mut sent = JoinSet::new();
    sent.spawn(fetch(3));
    tokio::spawn(async move { while sent.join_next().await.is_some() {} });
    let mut dropped = JoinSet::new();
    dropped.spawn(fetch(4));
    drop(dropped);
    let mut returned = JoinSet::new();
    returned.spawn(fetch(5));
    returned
}

// MUST NOT fire: an accept loop that nothing breaks out of never reaches the end of the
// set's scope; a `#[should_panic]` test.
pub async fn serve(listener: tokio::net::TcpListener) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        connections.spawn(async move { drop(stream) }); //~ unbounded_spawn_in_loop
    }
}

#[test]
#[should_panic]
fn spawn_outside_runtime() {
    let mut set = JoinSet::new();
    set.spawn(fetch(1));
}

// MUST NOT fire: a set in a field, a parameter, or one nothing is spawned into.
impl Pool {
    pub fn add(&mut self) {
        self.set.spawn(fetch(1));
    }
}
pub fn param(set: &mut JoinSet<u32>) {
    set.spawn(fetch(1));
}
pub fn empty() {
    let _set: JoinSet<u32> = JoinSet::new();
}
