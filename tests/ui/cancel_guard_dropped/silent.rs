//@ deps: tokio, tokio-util
use tokio_util::sync::{CancellationToken, DropGuard};

async fn run(_token: CancellationToken) {}

// MUST NOT fire: the guard is bound to a name and lives to the end of the scope.
pub async fn serve(token: CancellationToken) {
    let _guard = token.clone().drop_guard();
    run(token).await;
}

// MUST NOT fire: the guard is kept, disarmed, returned or stored.
pub struct Service {
    _guard: DropGuard,
}

pub fn kept(token: CancellationToken) -> (DropGuard, Service) {
    let guard = token.clone().drop_guard();
    let _token = guard.disarm();
    let service = Service { _guard: token.clone().drop_guard() };
    (token.drop_guard(), service)
}
