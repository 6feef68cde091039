#!/usr/bin/env bash
# Stops what test/harness/up.sh started, and nothing else (see the "stop"
# section of lib.sh for how a process is proven to be ours).
#
#   down.sh                  stops everything now, whoever still uses it
#   down.sh --user NAME      drops user NAME (see up.sh --user); stops
#                            everything only if no other live user is left
#   down.sh systemd|dockerd|swarmd  stops one service (keeps the others and users)
#
# The user manager's /run/systemd tmpfs lives only in its private mount
# namespace and vanishes with it; leftover docker mounts are unmounted.
set -euo pipefail
# shellcheck source=test/harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=test/harness/swarm.sh
source "$(dirname "${BASH_SOURCE[0]}")/swarm.sh"

[ "$(id -u)" = 0 ] || die "must run as root"
user=""
services=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --user)
      [ "$#" -ge 2 ] || die "--user needs a name"
      user="$2"
      shift 2
      ;;
    systemd | dockerd | swarmd)
      services+=("$1")
      shift
      ;;
    *) die "usage: $0 [--user NAME] [systemd|dockerd|swarmd]..." ;;
  esac
done
partial=1
if [ "${#services[@]}" -eq 0 ]; then
  services=(swarmd dockerd systemd)
  partial=0
fi

[ -d "$HARNESS_DIR" ] || {
  log "nothing to stop (no $HARNESS_DIR)"
  exit 0
}
exec 9>>"$HARNESS_DIR/lock"
flock -w 180 9 || die "another up.sh/down.sh holds $HARNESS_DIR/lock for more than 180s"

if [ -n "$user" ]; then
  rm -f "$HARNESS_USERS/$user"
  others="$(live_users | tr '\n' ' ')"
  if [ -n "$others" ]; then
    log "leaving the harness up: still used by $others"
    exit 0
  fi
fi

for s in "${services[@]}"; do "stop_$s"; done
if [ "$partial" = 0 ]; then
  rm -rf "$HARNESS_USERS"
  rmdir "$HARNESS_RUN" 2>/dev/null || true
fi
rm -f "$HARNESS_DIR/env"
if [ "$HARNESS_RC" = 0 ]; then log "stopped: ${services[*]}"; else log "stopped with warnings: ${services[*]}"; fi
exit "$HARNESS_RC"
