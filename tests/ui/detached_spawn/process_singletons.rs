//@ deps: tokio
use std::sync::{Once, OnceLock};

async fn tick() {}

pub struct Behaviour;

#[derive(Debug)]
pub struct AlreadyInstalled;

impl Behaviour {
    pub fn try_init_global(&self) -> Result<(), AlreadyInstalled> {
        Ok(())
    }
}

// MUST NOT fire: the global is installed once per process, so a second call returns before the
// spawn; the driver lives as long as the process by design.
pub fn bootstrap(behaviour: Behaviour) -> Result<(), AlreadyInstalled> {
    behaviour.try_init_global()?;
    tokio::spawn(async move {
        loop {
            tick().await;
        }
    });
    Ok(())
}

// MUST NOT fire: spawned inside a once-only initialiser.
pub fn start_reaper() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        std::thread::spawn(|| loop {
            std::thread::park();
        });
    });
}

pub fn runtime_driver() -> &'static () {
    static DRIVER: OnceLock<()> = OnceLock::new();
    DRIVER.get_or_init(|| {
        std::thread::spawn(|| loop {
            std::thread::park();
        });
    })
}

// MUST fire: every call spawns another endless task.
pub fn bootstrap_every_time(_behaviour: Behaviour) {
    tokio::spawn(async move { //~ detached_spawn
        loop {
            tick().await;
        }
    });
}
