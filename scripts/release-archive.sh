#!/usr/bin/env bash
# Packs one release binary the way the release workflow (.github/workflows/release.yml)
# publishes it, and the way the GitHub Action (scripts/action-run.sh download) and
# `cargo binstall` (Cargo.toml's [package.metadata.binstall]) expect it:
#
#   release-archive.sh TARGET VERSION BINARY OUT_DIR
#
# makes OUT_DIR/cargo-taskcheck-TARGET-vVERSION.tar.gz (.zip for Windows targets) holding the
# folder cargo-taskcheck-TARGET-vVERSION/ with the binary and README.md, and beside it
# ARCHIVE.sha256, one `<sha256>  <archive name>` line (what `sha256sum --check` reads).
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 TARGET VERSION BINARY OUT_DIR" >&2
  exit 2
fi
target=$1
version=$2
binary=$3
out=$4
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

name=cargo-taskcheck-$target-v$version
case $target in
  *windows*) archive=$name.zip exe=.exe ;;
  *) archive=$name.tar.gz exe= ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir "$staging/$name"
cp "$binary" "$staging/$name/cargo-taskcheck$exe"
chmod 755 "$staging/$name/cargo-taskcheck$exe"
cp "$repo/README.md" "$staging/$name/"

rm -f "$out/$archive"
case $archive in
  *.zip)
    if command -v zip >/dev/null 2>&1; then
      (cd "$staging" && zip -q -r "$out/$archive" "$name")
    elif command -v 7z >/dev/null 2>&1; then
      (cd "$staging" && 7z a -tzip -bd "$out/$archive" "$name" >/dev/null)
    else
      echo "error: no zip tool (zip or 7z) to make $archive" >&2
      exit 1
    fi
    ;;
  *) tar -C "$staging" -czf "$out/$archive" "$name" ;;
esac

if command -v sha256sum >/dev/null 2>&1; then
  hash=$(sha256sum "$out/$archive" | cut -d' ' -f1)
else
  hash=$(shasum -a 256 "$out/$archive" | cut -d' ' -f1)
fi
printf '%s  %s\n' "$hash" "$archive" >"$out/$archive.sha256"
echo "$out/$archive"
