fn main() -> std::process::ExitCode {
    cargo_taskcheck::main_with_args(std::env::args_os())
}
