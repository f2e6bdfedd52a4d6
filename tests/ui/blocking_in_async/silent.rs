//@ warn: blocking_in_async
//@ deps: tokio, async-std, smol
use std::sync::mpsc;
use std::time::Duration;

fn expensive() {}

// MUST NOT fire: closures given to `spawn_blocking`, `block_in_place`, `thread::spawn`, a
// runtime `Handle`'s `spawn_blocking` or async-std's `spawn_blocking` are not async context.
pub async fn offloaded() {
    tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_secs(1))).await.unwrap();
    tokio::task::block_in_place(|| std::fs::read("big.bin").unwrap());
    let handle = tokio::runtime::Handle::current();
    handle.spawn_blocking(|| std::fs::write("out", b"x")).await.unwrap().unwrap();
    async_std::task::spawn_blocking(|| std::thread::sleep(Duration::from_millis(1))).await;
    smol::unblock(|| std::fs::remove_file("x")).await.unwrap();
    let t = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(1)));
    drop(t);
}

// MUST NOT fire: a nested `fn` item inside an `async fn` is not async context.
pub async fn with_helper() {
    fn helper() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = helper;
}

// MUST NOT fire: blocking calls in plain functions.
pub fn sync_code(rx: mpsc::Receiver<u32>) {
    std::thread::sleep(Duration::from_millis(1));
    let _ = std::fs::read("x");
    let _ = rx.recv();
}

// MUST NOT fire: async I/O, async channels, and what only looks blocking.
pub async fn async_io() {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let _ = tokio::fs::read("x").await;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
    drop(tx);
    let _ = rx.recv().await;
    let (_stx, srx) = mpsc::channel::<u32>();
    let _ = srx.try_recv();
}

// MUST NOT fire: binding a numeric address does not wait; a listener in non-blocking mode.
pub async fn sockets() -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let _ = listener.accept();
    let _tokio = tokio::net::TcpListener::from_std(listener)?;
    Ok(())
}

// MUST NOT fire: a closure handed to code the walk cannot see may run on another thread.
pub async fn callbacks(pool: &rayon_like::Pool) {
    pool.execute(move || {
        expensive();
        std::thread::sleep(Duration::from_millis(1));
    });
}

mod rayon_like {
    pub struct Pool;
    impl Pool {
        pub fn execute(&self, f: impl FnOnce() + Send + 'static) {
            f()
        }
    }
}

// MUST NOT fire: test code blocks on purpose (and `sleep_in_test` covers waiting sleeps).
#[tokio::test]
async fn writes_fixture() {
    std::fs::write("fixture.txt", "x").unwrap();
    std::thread::sleep(Duration::from_millis(1));
}
