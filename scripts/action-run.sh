#!/usr/bin/env bash
# The logic of the taskcheck GitHub Action (action.yml), kept here so that it can be tested
# outside GitHub (tests/action.rs runs it the way a runner does).
#
#   action-run.sh cache-key   writes `key=…` to $GITHUB_OUTPUT: OS, architecture and a hash of
#                             the action's source, so a new taskcheck version is rebuilt
#   action-run.sh run         runs taskcheck: SARIF to $INPUT_SARIF_FILE, then annotations and
#                             the job summary; writes `findings` and `sarif-file` to
#                             $GITHUB_OUTPUT; exits with taskcheck's exit status
#
# Inputs come from the environment (INPUT_ARGS, INPUT_MANIFEST_PATH, INPUT_SARIF_FILE,
# INPUT_FAIL_ON, INPUT_ANNOTATIONS, INPUT_DIFF_BASE). They are used as data only: never
# evaluated, and INPUT_ARGS is split on white space without glob expansion.
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
  run) run ;;
  *)
    echo "usage: $0 cache-key|run" >&2
    exit 2
    ;;
esac
