#!/usr/bin/env bash
# Runs every benchmark (make bench). Needs `make build` and Debian's supervisor.
set -euo pipefail
cd "$(dirname "$0")/.."
node --import tsx bench/parse.bench.ts "${RUNS:-7}"
