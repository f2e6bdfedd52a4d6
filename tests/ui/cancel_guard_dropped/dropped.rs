//@ deps: tokio, tokio-util
use tokio_util::sync::CancellationToken;

async fn run(_token: CancellationToken) {}

// MUST fire: `let _ = token.drop_guard();` drops the guard at once and cancels now.
pub async fn serve(token: CancellationToken) {
    let _ = token.clone().drop_guard(); //~ cancel_guard_dropped
    run(token).await;
}

// MUST fire: the expression statement form.
pub async fn statement(token: CancellationToken) {
    token.clone().drop_guard(); //~ cancel_guard_dropped
    run(token).await;
}

// MUST fire: `_ = …` assigns to nothing, too.
pub async fn assigned(token: CancellationToken) {
    _ = token.clone().drop_guard(); //~ cancel_guard_dropped
    run(token).await;
}

// MUST fire: the borrowed guard (`drop_guard_ref`) as well.
pub async fn by_ref(token: CancellationToken) {
    let _ = token.drop_guard_ref(); //~ cancel_guard_dropped
    run(token).await;
}
