#!/usr/bin/env bash
# Runs the test files with node's test runner on an explicit file list.
#   scripts/test.sh unit         unit + differential tests (no runtimes needed)
#   scripts/test.sh integration  starts the harness, runs test/integration, stops it
#   scripts/test.sh all          both
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
mkdir -p .tmp

unit_files() { find test -name '*.test.ts' -not -path 'test/integration/*' | sort; }
integ_files() { find test/integration -name '*.test.ts' | sort; }

files=()
case "$mode" in
  unit) mapfile -t files < <(unit_files) ;;
  integration) mapfile -t files < <(integ_files) ;;
  all) mapfile -t files < <(unit_files; integ_files) ;;
  *) echo "usage: $0 unit|integration|all" >&2; exit 2 ;;
esac
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi

# The harness is shared by every run in this checkout: this run registers as
# a user and the last user out stops it (a `make harness-up` user keeps it up).
started=0
cleanup() { if [ "$started" = 1 ]; then bash test/harness/down.sh --user "test.sh-$$" || true; fi; }
trap cleanup EXIT
if [ "$mode" != unit ]; then
  started=1 # before up.sh: a half-started harness is stopped too
  bash test/harness/up.sh --user "test.sh-$$" --pid $$
  set -a
  # shellcheck disable=SC1091
  source .tmp/harness/env
  set +a
fi

node --import tsx --test --test-concurrency=1 "${files[@]}"
