// MUST NOT fire: an example program. Its server task is meant to live as long as `main`, and
// the runtime cancels it when `main` returns.
#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:9000").await.unwrap();
    tokio::spawn(async move {
        loop {
            let _ = listener.accept().await.unwrap();
        }
    });
    tokio::signal::ctrl_c().await.unwrap();
}
