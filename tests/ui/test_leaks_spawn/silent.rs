//@ warn: test_leaks_spawn
//@ deps: tokio, tokio-util, smol

fn work() -> u32 {
    1
}

async fn serve() {}

// MUST NOT fire: joined, awaited, aborted, passed on.
#[tokio::test]
async fn handled() {
    let a = std::thread::spawn(work);
    a.join().unwrap();
    let b = tokio::spawn(async { assert!(true) });
    b.await.unwrap();
    let c = tokio::spawn(async { assert!(true) });
    c.abort();
    let d = std::thread::spawn(work);
    keep(d);
}

fn keep(_h: std::thread::JoinHandle<u32>) {}

// MUST NOT fire: a tokio task without assertions dies with the test's runtime.
#[tokio::test]
async fn background_server() {
    tokio::spawn(serve());
    let _server = tokio::spawn(async { serve().await });
}

// MUST NOT fire: `JoinSet` (aborted when dropped), `TaskTracker`, thread scopes, a local
// smol executor.
#[tokio::test]
async fn managed() {
    let mut set = tokio::task::JoinSet::new();
    set.spawn(async { assert!(true) });
    set.join_next().await;
    let tracker = tokio_util::task::TaskTracker::new();
    tracker.spawn(async { assert!(true) });
    std::thread::scope(|s| {
        s.spawn(work);
    });
    let ex = smol::LocalExecutor::new();
    ex.spawn(async { work() }).detach();
}

// MUST NOT fire: work whose last act signals the test, which waits for that signal.
#[test]
fn signals_at_the_end() {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        work();
        let _ = tx.send(());
    });
    let _t = std::thread::spawn(move || {
        work();
        drop(tx2);
    });
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    std::thread::spawn(move || {
        use std::io::Write;
        let (mut sock, _) = server.accept().unwrap();
        sock.write_all(b"HTTP/1.1 200 OK\r\n\r\n").expect("write");
    });
    let (tx3, _rx3) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let _tx = tx3;
    });
    let pair = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
    let pair2 = pair.clone();
    std::thread::spawn(move || {
        *pair2.0.lock().unwrap() = true;
        pair2.1.notify_one();
    });
    rx.recv().unwrap();
}

#[tokio::test]
async fn task_signals_through_an_assertion() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        assert_ok!(tx.send(1));
    });
    assert_eq!(rx.await.unwrap(), 1);
}

// A trailing loop that sends, and a thread whose last act hands a signalling task on.
#[test]
fn signals_from_a_loop_or_a_task(handle: tokio::runtime::Handle) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for i in 0..10 {
            tx.send(i).unwrap();
        }
    });
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        work();
        handle.spawn(async move {
            let _ = done_tx.send(());
        });
    });
    assert_eq!(rx.iter().count(), 10);
    handle.block_on(done_rx).unwrap();
}

// MUST NOT fire: a request handler's spawns are not the test's own.
#[tokio::test]
async fn handler_spawns() {
    serve_with(|req: u32| async move {
        tokio::spawn(async move { assert_eq!(req, 1) });
    })
    .await;
}

async fn serve_with<F, Fut>(_f: F)
where
    F: Fn(u32) -> Fut,
{
}

// MUST NOT fire: a `LocalSet` that the test awaits runs its tasks to completion; one it drops
// cancels them.
#[tokio::test]
async fn awaited_local_set() {
    let local = tokio::task::LocalSet::new();
    local.spawn_local(async move {
        assert!(true);
    });
    local.await;
    let dropped = tokio::task::LocalSet::new();
    dropped.spawn_local(async move {
        unreachable!();
    });
    drop(dropped);
}

// MUST NOT fire: not a test, and spawns inside spawned work belong to that work.
pub fn not_a_test() {
    std::thread::spawn(work);
}

#[test]
fn nested() {
    let outer = std::thread::spawn(|| {
        std::thread::spawn(work);
    });
    outer.join().unwrap();
}

// MUST NOT fire: a dropped smol `Task` is `task_dropped_on_spawn`'s finding.
#[test]
fn other_lints() {
    smol::spawn(async { work() }); //~ task_dropped_on_spawn
}
