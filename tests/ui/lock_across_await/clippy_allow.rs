//@ deps: tokio
use std::sync::Mutex;

static ENV_LOCK: Mutex<()> = Mutex::new(());

async fn run() {}

// MUST NOT fire: the maintainer allowed Clippy's `await_holding_lock` here on purpose.
#[allow(clippy::await_holding_lock)]
pub async fn with_env_serialised() {
    let _guard = ENV_LOCK.lock().unwrap();
    run().await;
}

// MUST NOT fire: `expect` among other lints, on the impl.
pub struct Fixture;
#[expect(clippy::await_holding_lock, clippy::needless_return)]
impl Fixture {
    pub async fn serialised(&self) {
        let _guard = ENV_LOCK.lock().unwrap();
        run().await;
    }
}

// MUST fire: another Clippy lint allowed does not cover this one.
#[allow(clippy::await_holding_refcell_ref)]
pub async fn unguarded() {
    let _guard = ENV_LOCK.lock().unwrap(); //~ lock_across_await
    run().await;
}
