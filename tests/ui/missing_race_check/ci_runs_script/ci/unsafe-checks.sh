#!/bin/sh
# Runs the unsafe code's tests under ThreadSanitizer.
set -eu
export RUSTFLAGS="-Zsanitizer=thread"
cargo +nightly test -Zbuild-std --target x86_64-unknown-linux-gnu
