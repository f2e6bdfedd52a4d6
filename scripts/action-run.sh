#!/usr/bin/env bash
# The logic of the taskcheck GitHub Action (action.yml), kept here so that it can be tested
# outside GitHub (tests/action.rs runs it the way a runner does).
#
#   action-run.sh cache-key   writes `key=…` to $GITHUB_OUTPUT: OS, architecture and a hash of
#                             the action's source, so a new taskcheck version is rebuilt
#   action-run.sh download    installs the release binary of the action's version into
#                             $CARGO_HOME/bin (scripts/release-archive.sh made it), after checking
#                             its SHA-256 checksum; writes `installed=true`, or `installed=false`
#                             when this version has no release for this runner (the action then
#                             builds from source); a checksum mismatch fails the step
#   action-run.sh run         runs taskcheck: SARIF to $INPUT_SARIF_FILE, then annotations and
#                             the job summary; writes `findings` and `sarif-file` to
#                             $GITHUB_OUTPUT; exits with taskcheck's exit status
#
# Inputs come from the environment (INPUT_ARGS, INPUT_MANIFEST_PATH, INPUT_SARIF_FILE,
# INPUT_FAIL_ON, INPUT_ANNOTATIONS, INPUT_DIFF_BASE). They are used as data only: never
# evaluated, and INPUT_ARGS is split on white space without glob expansion.
#
# `download` reads TASKCHECK_ACTION_REF (the ref the workflow pinned the action to: a tag
# `vX.Y.Z` names the release; any other ref means the version in the action's Cargo.toml) and
# TASKCHECK_RELEASE_URL (where releases are, default this repository's GitHub releases; tests
# point it at a file:// folder).
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
output_file=${GITHUB_OUTPUT:-/dev/null}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  else
    shasum -a 256 | cut -d' ' -f1
  fi
}

cache_key() {
  local hash
  hash=$(
    cd "$action_path"
    find Cargo.toml Cargo.lock src lints -type f -not -path '*/target/*' | LC_ALL=C sort | while IFS= read -r f; do
      printf '%s\n' "$f"
      cat "$f"
    done | sha256
  )
  echo "key=cargo-taskcheck-${RUNNER_OS:-local}-${RUNNER_ARCH:-local}-$hash" >>"$output_file"
}

# The release target of this runner; empty when the release workflow builds none for it.
release_target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case $os/$arch in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64) echo x86_64-pc-windows-msvc ;;
  esac
}

# `vX.Y.Z` from a release tag the action is pinned to, else from the action's Cargo.toml.
release_version() {
  local ref=${TASKCHECK_ACTION_REF:-}
  if [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]]; then
    echo "${ref#v}"
  else
    sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1
  fi
}

download() {
  local installed=false
  local target version
  target=$(release_target)
  version=$(release_version)
  if [[ -z $target || -z $version ]]; then
    echo "No release binary for ${RUNNER_OS:-this system}/${RUNNER_ARCH:-}; building from source"
    echo "installed=$installed" >>"$output_file"
    return
  fi
  local archive=cargo-taskcheck-$target-v$version
  local file=$archive.tar.gz exe=
  if [[ $target == *windows* ]]; then
    file=$archive.zip exe=.exe
  fi
  local base=${TASKCHECK_RELEASE_URL:-https://github.com/taskcheck/taskcheck/releases/download}
  local url=$base/v$version/$file
  local work
  work=$(mktemp -d)
  # `--proto =https,file`: the only schemes a release URL may use (file:// for tests).
  if ! curl --fail --silent --show-error --location --proto '=https,file' --retry 3 -o "$work/$file" "$url" ||
    ! curl --fail --silent --show-error --location --proto '=https,file' --retry 3 -o "$work/$file.sha256" "$url.sha256"; then
    echo "No release $file for v$version at $base; building from source"
    rm -rf "$work"
    echo "installed=$installed" >>"$output_file"
    return
  fi
  local expected actual
  expected=$(cut -d' ' -f1 <"$work/$file.sha256")
  actual=$(sha256 <"$work/$file")
  if [[ $actual != "$expected" ]]; then
    echo "::error title=taskcheck::checksum mismatch for $file: expected $expected, downloaded $actual"
    rm -rf "$work"
    exit 1
  fi
  if [[ $file == *.zip ]]; then
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$file" -d "$work"
    else
      7z x -bd -o"$work" "$work/$file" >/dev/null
    fi
  else
    tar -xzf "$work/$file" -C "$work"
  fi
  local bin_dir=${CARGO_HOME:-$HOME/.cargo}/bin
  mkdir -p "$bin_dir"
  cp "$work/$archive/cargo-taskcheck$exe" "$bin_dir/cargo-taskcheck$exe"
  chmod 755 "$bin_dir/cargo-taskcheck$exe"
  rm -rf "$work"
  installed=true
  echo "Installed cargo-taskcheck v$version ($target) from $url, SHA-256 $actual"
  echo "installed=$installed" >>"$output_file"
}

run() {
  local sarif=${INPUT_SARIF_FILE:-taskcheck.sarif}
  if [[ $sarif == *$'\n'* || $sarif == *$'\r'* ]]; then
    echo "::error title=taskcheck::sarif-file must be a single line"
    exit 2
  fi
  local fail_on=${INPUT_FAIL_ON:-warning}
  case $fail_on in
    error | warning | never) ;;
    *)
      echo "::error title=taskcheck::fail-on must be error, warning or never, not '$fail_on'"
      exit 2
      ;;
  esac

  local args=()
  if [[ -n ${INPUT_MANIFEST_PATH:-} ]]; then
    args+=(--manifest-path "$INPUT_MANIFEST_PATH")
  fi
  local extra=()
  set -f # no glob expansion of the words of INPUT_ARGS
  read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true # every line, split on white space
  set +f
  args+=(${extra[@]+"${extra[@]}"})
  if [[ -n ${INPUT_DIFF_BASE:-} ]]; then
    if cargo taskcheck --help 2>/dev/null | grep -q -e '--diff-base'; then
      args+=(--diff-base "$INPUT_DIFF_BASE")
    else
      echo "::warning title=taskcheck::diff-base is not supported by this taskcheck version; every finding is reported"
    fi
  fi

  mkdir -p "$(dirname "$sarif")"
  local status=0
  cargo taskcheck ${args[@]+"${args[@]}"} --format sarif --output "$sarif" --fail-on "$fail_on" || status=$?
  if [[ ! -s $sarif ]]; then
    echo "::error title=taskcheck::taskcheck wrote no SARIF report (exit status $status)"
    exit $((status == 0 ? 2 : status))
  fi
  # Our own pretty-printed output: `"ruleId":` occurs once per result and nowhere else
  # (quotes inside strings are escaped).
  local findings
  findings=$({ grep -o '"ruleId":' "$sarif" || true; } | wc -l | tr -d ' ')

  if [[ ${INPUT_ANNOTATIONS:-true} == true ]]; then
    # Annotations on stdout, the summary appended to $GITHUB_STEP_SUMMARY by taskcheck.
    cargo taskcheck ${args[@]+"${args[@]}"} --format github --fail-on never || true
  fi

  {
    echo "findings=$findings"
    echo "sarif-file=$sarif"
  } >>"$output_file"
  echo "taskcheck: $findings finding(s); SARIF report in $sarif"
  exit "$status"
}

case ${1:-} in
  cache-key) cache_key ;;
  download) download ;;
  run) run ;;
  *)
    echo "usage: $0 cache-key|download|run" >&2
    exit 2
    ;;
esac
