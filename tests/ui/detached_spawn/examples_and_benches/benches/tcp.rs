// MUST NOT fire: a benchmark. The sink thread lives for the measurement and ends with the
// benchmark's process.
fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:9002").unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            drop(stream);
        }
    });
    run_benchmark();
}

fn run_benchmark() {}
