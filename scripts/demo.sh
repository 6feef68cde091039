#!/usr/bin/env bash
# `make demo`, part 2: start the sandbox (a private systemd user manager),
# apply examples/demo/supervisord.conf to it as project "demo", print
# `supctl status`, and leave it running.
set -euo pipefail
cd "$(dirname "$0")/.."
S=./bin/supctl

if [ "$(id -u)" != 0 ]; then
  echo "demo: the sandbox needs root (its own cgroup and mount namespace); run 'make demo' as root" >&2
  exit 1
fi
echo "== supctl sandbox up"
eval "$($S sandbox up)"
echo "== supctl apply examples/demo/supervisord.conf --name demo"
$S apply examples/demo/supervisord.conf --name demo
sleep 2
echo "== supctl status --name demo"
$S status --name demo || true
echo
echo "== curl http://127.0.0.1:18080/ (bklog_web)"
if command -v curl >/dev/null 2>&1; then curl -s --max-time 3 http://127.0.0.1:18080/ | sed -n 3p || true; else
  python3 -c 'import urllib.request;print(urllib.request.urlopen("http://127.0.0.1:18080/",timeout=3).read().decode().splitlines()[2])' || true
fi
cat <<'HINT'

The demo keeps running in the sandbox. From a shell:

  eval "$(./bin/supctl sandbox env)"       # talk to the sandbox's systemd
  ./bin/supctl status --wide                # bklog_beat crashes every 20 s and restarts
  ./bin/supctl tail -f bklog_workers:bklog_celery_0
  ./bin/supctl stop bklog_workers:bklog_export   # traps TERM, drains for 3 s
  ./bin/supctl                              # the interactive shell (supctl> )

Stop it:

  eval "$(./bin/supctl sandbox env)" && ./bin/supctl uninstall --name demo && ./bin/supctl sandbox down
HINT
