pub async fn poll_forever(n: u32) {
    loop {
        println!("{n}");
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
