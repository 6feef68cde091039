#!/usr/bin/env bash
# supctl sandbox: a private systemd user manager on a private session bus, so
# a migration can be tried without touching the host's systemd.
#
#   sandbox.sh up   [--id ID] [--dir DIR]   start it (idempotent: reused if healthy)
#   sandbox.sh down [--id ID] [--dir DIR]   stop it and everything it runs
#   sandbox.sh env  [--id ID] [--dir DIR]   print `export` lines for eval
#   sandbox.sh status [--id ID] [--dir DIR] exit 0 if it is up and healthy
#
# test/harness runs its user manager through this script too, with its own
# places: --run DIR (runtime dir, default /run/supctl-sb-ID), --cgroup NAME
# (default supctl-sb-ID) and --locked (the caller already holds DIR/lock).
#
# The method is test/harness's (see lib.sh/up.sh there): the manager gets
#   - its own cgroup (supctl-sb-ID under the caller's cgroup). Started in a
#     shared cgroup, a user manager moves EVERY process of that cgroup (on a
#     container host: PID 1 and all its siblings) into its own init.scope;
#     in a cgroup of its own it only ever moves itself;
#   - its own mount namespace, where /run/systemd/system exists on a tmpfs
#     (the manager needs it; the host must not see it);
#   - its own runtime dir /run/supctl-sb-ID/user (the bus socket lives there,
#     a short path: unix sockets are limited to 108 bytes) and its own XDG
#     dirs under DIR, so unit files go to DIR/xdg/config/systemd/user.
# Every pid is recorded as "<pid> <starttime>" and only signalled while both
# still match; `down` also ends whatever is left in the sandbox's cgroup.
set -euo pipefail

id=default
dir=""
run=""
cgroup=""
locked=0
action="${1:-}"
[ "$#" -gt 0 ] && shift
while [ "$#" -gt 0 ]; do
  case "$1" in
    --id)
      id="${2:?--id needs a value}"
      shift 2
      ;;
    --dir)
      dir="${2:?--dir needs a value}"
      shift 2
      ;;
    --run)
      run="${2:?--run needs a value}"
      shift 2
      ;;
    --cgroup)
      cgroup="${2:?--cgroup needs a value}"
      shift 2
      ;;
    --locked)
      locked=1
      shift
      ;;
    *)
      echo "usage: $0 up|down|env|status [--id ID] [--dir DIR] [--run DIR] [--cgroup NAME] [--locked]" >&2
      exit 2
      ;;
  esac
done
case "$action" in up | down | env | status) ;; *)
  echo "usage: $0 up|down|env|status [--id ID] [--dir DIR] [--run DIR] [--cgroup NAME] [--locked]" >&2
  exit 2
  ;;
esac
case "$id" in *[!a-zA-Z0-9_-]* | "") {
  echo "sandbox: bad id '$id' (letters, digits, _ and - only)" >&2
  exit 2
} ;; esac
[ "${#id}" -le 40 ] || {
  echo "sandbox: id '$id' is too long (40 characters at most)" >&2
  exit 2
}
[ -n "$dir" ] || dir="${XDG_STATE_HOME:-${HOME:-/root}/.local/state}/supctl/sandbox-$id"

SB_DIR="$dir"
SB_PIDS="$SB_DIR/pids"
SB_LOGS="$SB_DIR/logs"
SB_RUN="${run:-/run/supctl-sb-$id}"
SB_CGROUP_NAME="${cgroup:-supctl-sb-$id}"
SD_RUNTIME_DIR="$SB_RUN/user"
SD_BUS_ADDRESS="unix:path=$SD_RUNTIME_DIR/bus"
SD_XDG="$SB_DIR/xdg"
SD_UNIT_DIR="$SD_XDG/config/systemd/user"
CLEAN_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
TIMEOUT_S="${SUPCTL_SANDBOX_TIMEOUT:-30}"
RC=0

log() { printf 'sandbox: %s\n' "$*" >&2; }
on_kill_failure() { RC=1; }
# shellcheck source=sandbox/proclib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proclib.sh"
recorded_pid() { recorded_pid_in "$SB_PIDS" "$1"; }
die() {
  printf 'sandbox: ERROR: %s\n' "$*" >&2
  exit 1
}

print_env() {
  cat <<ENV
export XDG_RUNTIME_DIR='$SD_RUNTIME_DIR'
export DBUS_SESSION_BUS_ADDRESS='$SD_BUS_ADDRESS'
export SUPCTL_SYSTEMD_UNIT_DIR='$SD_UNIT_DIR'
export SUPCTL_SCOPE=user
export SUPCTL_BACKEND=systemd
ENV
}

if [ "$action" = env ]; then
  print_env
  exit 0
fi

# ------------------------------------------------------------ pid records --




# ---------------------------------------------------------------- cgroups --


# The sandbox's cgroups: as recorded when they were made, and any other of
# that name at any depth (a record lost with its state directory).
SB_CGROUPS="$SB_DIR/cgroups"
sandbox_cgroup_dirs() {
  {
    recorded_cgroups "$SB_CGROUPS"
    cgroup_dirs_named "$SB_CGROUP_NAME"
  } | sort -u
}




# ---------------------------------------------------------------- systemd --

sd_env() { env -i PATH="$CLEAN_PATH" XDG_RUNTIME_DIR="$SD_RUNTIME_DIR" DBUS_SESSION_BUS_ADDRESS="$SD_BUS_ADDRESS" "$@"; }
systemd_state() { sd_env timeout 5 systemctl --user show -p SystemState --value 2>/dev/null || true; }
systemd_bus_ok() {
  sd_env timeout 5 busctl --user --timeout=3 get-property org.freedesktop.systemd1 \
    /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager Version >/dev/null 2>&1
}
systemd_healthy() {
  [ -n "$(recorded_pid systemd)" ] || return 1
  case "$(systemd_state)" in running | degraded) ;; *) return 1 ;; esac
  systemd_bus_ok
}

stop_systemd() {
  local d pid st
  if [ -f "$SB_PIDS/systemd" ]; then
    read -r pid st <"$SB_PIDS/systemd" || true
    # SIGTERM: the manager starts exit.target, stops its units and its bus, exits
    if [ -n "${pid:-}" ] && [ -n "${st:-}" ]; then stop_pid systemd "$pid" "$st" 30 || RC=1; fi
    rm -f "$SB_PIDS/systemd"
  fi
  for d in $(sandbox_cgroup_dirs); do
    # shellcheck disable=SC2046
    kill_set "sandbox unit" $(cgroup_tree_pids "$d")
    remove_cgroup_tree "$d" || {
      log "WARNING: cannot remove cgroup $d"
      RC=1
    }
  done
  rm -f "$SB_CGROUPS"
  rm -rf "$SD_RUNTIME_DIR"
  rm -f "$SB_RUN/systemd.pid"
  rmdir "$SB_RUN" 2>/dev/null || true
}

fail_start() {
  tail -n 20 "$SB_LOGS/systemd.log" >&2 2>/dev/null || true
  log "ERROR: $*"
  stop_systemd
  die "$* (log: $SB_LOGS/systemd.log)"
}

start_systemd() {
  local pid i state cgroups
  rm -rf "$SD_RUNTIME_DIR"
  mkdir -p "$SD_RUNTIME_DIR" "$SD_UNIT_DIR" "$SD_XDG/data" "$SD_XDG/state" "$SD_XDG/cache"
  chmod 700 "$SD_RUNTIME_DIR"
  # without a cgroup of its own the manager would take over its parent's processes
  make_cgroups "$SB_CGROUP_NAME" "$SB_CGROUPS" ||
    die "the sandbox needs cgroup $SB_CGROUP_NAME (after an earlier run: 'supctl sandbox down --id $id')"
  cgroups="$(tr '\n' ' ' <"$SB_CGROUPS")"
  mkdir -p /run/systemd
  rm -f "$SB_RUN/systemd.pid"
  # shellcheck disable=SC2016 # the inner script expands its own variables
  setsid env -i \
    PATH="$CLEAN_PATH" HOME="${HOME:-/root}" USER="$(id -un)" LOGNAME="$(id -un)" SHELL=/bin/sh LANG=C.UTF-8 \
    XDG_RUNTIME_DIR="$SD_RUNTIME_DIR" \
    XDG_CONFIG_HOME="$SD_XDG/config" XDG_DATA_HOME="$SD_XDG/data" \
    XDG_STATE_HOME="$SD_XDG/state" XDG_CACHE_HOME="$SD_XDG/cache" \
    SYSTEMD_LOG_TARGET=console \
    H_CGROUPS="$cgroups" H_PIDFILE="$SB_RUN/systemd.pid" \
    unshare --mount --propagation private sh -c '
      set -e
      for d in $H_CGROUPS; do echo $$ >"$d/cgroup.procs"; done
      mount -t tmpfs -o mode=755 tmpfs /run/systemd
      mkdir -p /run/systemd/system
      echo $$ >"$H_PIDFILE"
      unset H_CGROUPS H_PIDFILE
      exec /usr/lib/systemd/systemd --user' \
    </dev/null >>"$SB_LOGS/systemd.log" 2>&1 9>&- &
  for ((i = 0; i < 50; i++)); do
    [ -s "$SB_RUN/systemd.pid" ] && break
    sleep 0.1
  done
  pid="$(cat "$SB_RUN/systemd.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || fail_start "the systemd user manager did not start"
  st="$(pid_starttime "$pid")"
  [ -n "$st" ] || fail_start "the systemd user manager (pid $pid) exited right after it was started"
  printf '%s %s\n' "$pid" "$st" >"$SB_PIDS/systemd"
  state=""
  for ((i = 0; i < TIMEOUT_S * 10; i++)); do
    [ -n "$(recorded_pid systemd)" ] || fail_start "the systemd user manager (pid $pid) exited during startup"
    state="$(systemd_state)"
    case "$state" in running | degraded) break ;; esac
    sleep 0.1
  done
  case "$state" in
    running | degraded) ;;
    *) fail_start "the systemd user manager (pid $pid) did not become ready within ${TIMEOUT_S}s (SystemState='$state')" ;;
  esac
  for ((i = 0; i < 100; i++)); do
    systemd_bus_ok && break
    sleep 0.1
  done
  systemd_bus_ok || fail_start "the session bus at $SD_RUNTIME_DIR/bus does not answer (is dbus-user-session installed?)"
  sd_env timeout 5 systemctl --user show -p UnitPath --value | tr ' ' '\n' | grep -qxF "$SD_UNIT_DIR" ||
    fail_start "the user manager does not search $SD_UNIT_DIR for units"
  log "up: systemd user manager pid $pid (SystemState=$state), bus $SD_BUS_ADDRESS"
}

# ------------------------------------------------------------------- main --

if [ "$action" = status ]; then
  if systemd_healthy; then
    log "up: systemd user manager pid $(recorded_pid systemd), bus $SD_BUS_ADDRESS"
    exit 0
  fi
  log "down (sandbox $id)"
  exit 3
fi

[ "$(id -u)" = 0 ] || die "must run as root (needs its own cgroup and mount namespace)"
if [ "$action" = up ]; then
  for cmd in unshare setsid flock /usr/lib/systemd/systemd systemctl busctl dbus-daemon; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' not found (packages: systemd, dbus-user-session, util-linux)"
  done
fi
if [ "$action" = down ] && [ ! -d "$SB_DIR" ]; then
  log "nothing to stop (no $SB_DIR)"
  exit 0
fi
mkdir -p "$SB_DIR" "$SB_PIDS" "$SB_LOGS" "$SB_RUN"
chmod 755 "$SB_RUN"
if [ "$locked" = 0 ]; then
  exec 9>>"$SB_DIR/lock"
  flock -w 120 9 || die "another 'sandbox up/down' holds $SB_DIR/lock"
fi

if [ "$action" = up ]; then
  if systemd_healthy; then
    log "already up: systemd user manager pid $(recorded_pid systemd), bus $SD_BUS_ADDRESS"
  else
    if [ -f "$SB_PIDS/systemd" ] || [ -n "$(sandbox_cgroup_dirs)" ]; then
      log "the recorded user manager is gone or unhealthy: cleaning up"
      stop_systemd
    fi
    start_systemd
  fi
  print_env >"$SB_DIR/sandbox.env"
  exit 0
fi

# down: the manager, what it ran, and its unit files
stop_systemd
rm -rf "$SD_XDG"
rm -f "$SB_DIR/sandbox.env"
if [ "$RC" = 0 ]; then log "down (sandbox $id)"; else log "down with warnings (sandbox $id)"; fi
exit "$RC"
