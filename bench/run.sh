#!/usr/bin/env bash
# Runs every benchmark (make bench). Needs `make build`, Debian's supervisor and
# docker-compose, and the real-runtime harness (started here; up.sh is idempotent).
# Each bench writes bench/results/NAME.md; BENCHMARKS.md is assembled from them.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
{
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
    "$(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr), Node $(node --version)." \
    "Load average at the start of \`make bench\`: $(cut -d' ' -f1-3 /proc/loadavg)." \
    "Started $(date -u '+%Y-%m-%d %H:%M UTC')."
} > bench/results/machine.md
node --import tsx bench/parse.bench.ts "${RUNS:-7}"
bash test/harness/up.sh >&2
set -a
# shellcheck disable=SC1091
source .tmp/harness/env
set +a
node --import tsx bench/help.bench.ts "${RUNS:-11}"
node --import tsx bench/status.bench.ts "${RUNS:-7}"
node --import tsx bench/restart.bench.ts "${RESTART_RUNS:-3}"
node --import tsx bench/docker-status.bench.ts "${RUNS:-7}"
node --import tsx bench/serve-load.ts
node --import tsx bench/boot.bench.ts "${BOOT_RUNS:-3}"
node --import tsx bench/assemble.ts
