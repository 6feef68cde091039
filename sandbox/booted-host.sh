#!/usr/bin/env bash
# supctl sandbox --system: a booted Debian 12 host (systemd as PID 1,
# journald, D-Bus, logind, Debian's supervisor package) in a container, to try
# a system-scope migration without touching this machine's services. The test
# harness's system-scope suite runs in the same host, through this script.
#
#   booted-host.sh build  [--dir DIR]            make the root filesystem (cached)
#   booted-host.sh up     [--dir DIR] [--fresh]  boot it (idempotent); --fresh
#                                                starts again from the cached image
#   booted-host.sh exec   [--dir DIR] -- CMD...  run CMD inside (clean environment)
#   booted-host.sh shell  [--dir DIR]            an interactive shell inside
#   booted-host.sh reboot [--dir DIR]            power off, then boot the same disk
#   booted-host.sh down   [--dir DIR]            power off and remove nothing else
#   booted-host.sh status [--dir DIR]            exit 0 if it is up
#
# DIR (default ~/.local/state/supctl/host) holds base/ (the image, rebuilt
# when PACKAGES or the suite change: base.stamp), rootfs/ (the disk of the
# running host: a copy of base/ that survives reboots) and pids/. The repo is
# bound at /opt/supctl and this machine's node at /usr/local/bin/node, so
# `supctl` inside is the checkout's. The container has its own network
# namespace (loopback only): nothing inside can collide with the host's ports.
# Pids are recorded as "<pid> <starttime>" and only signalled while both match.
set -Eeuo pipefail
# A silent `set -e` exit would leave the caller guessing.
trap 'echo "booted-host: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

SUITE=bookworm
# Debian's supervisor brings python3; busybox gives the test programs a few
# tools minbase lacks. Changing this list rebuilds the image.
PACKAGES=systemd,systemd-sysv,dbus,procps,passwd,supervisor,busybox,logrotate
BOOT_TIMEOUT_S="${SUPCTL_HOST_BOOT_TIMEOUT:-120}"
CLEAN_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

dir=""
fresh=0
action="${1:-}"
[ "$#" -gt 0 ] && shift
while [ "$#" -gt 0 ]; do
  case "$1" in
    --dir)
      dir="${2:?--dir needs a value}"
      shift 2
      ;;
    --fresh)
      fresh=1
      shift
      ;;
    --)
      shift
      break
      ;;
    *)
      echo "usage: $0 build|up|exec|shell|reboot|down|status [--dir DIR] [--fresh] [-- CMD...]" >&2
      exit 2
      ;;
  esac
done
[ -n "$dir" ] || dir="${XDG_STATE_HOME:-${HOME:-/root}/.local/state}/supctl/host"
mkdir -p "$dir/pids"
dir="$(cd "$dir" && pwd)"
PIDS="$dir/pids"
BASE="$dir/base"
ROOTFS="$dir/rootfs"

log() { printf 'booted-host: %s\n' "$*" >&2; }
RC=0
# shellcheck disable=SC2317 # called by proclib.sh
on_kill_failure() { RC=1; }
# shellcheck source=sandbox/proclib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proclib.sh"
die() {
  printf 'booted-host: ERROR: %s\n' "$*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null || die "$1 not found: apt-get install $2"
}

stamp() { printf '%s %s\n' "$SUITE" "$PACKAGES"; }

build() {
  if [ -d "$BASE" ] && [ "$(cat "$BASE.stamp" 2>/dev/null)" = "$(stamp)" ]; then
    return 0
  fi
  need mmdebstrap mmdebstrap
  log "building the $SUITE image in $BASE (packages: $PACKAGES)"
  rm -rf "$BASE.new"
  mmdebstrap --quiet --variant=minbase --include="$PACKAGES" "$SUITE" "$BASE.new" >"$dir/build.log" 2>&1 ||
    die "mmdebstrap failed; see $dir/build.log"
  rm -rf "$BASE" "$BASE.stamp"
  mv "$BASE.new" "$BASE"
  stamp >"$BASE.stamp"
  # A copy of an older image would not match the new stamp.
  rm -rf "$ROOTFS"
}

nspawn_pid() { recorded_pid_in "$PIDS" nspawn; }

# The container's PID 1: the child of nspawn that is pid 1 in its own pid
# namespace (nspawn's first child is a short-lived helper).
init_pid() {
  local np="$1" c
  # shellcheck disable=SC2013 # the file is one line of pids
  for c in $(cat /proc/"$np"/task/*/children 2>/dev/null); do
    if grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$c/status" 2>/dev/null; then
      printf '%s' "$c"
      return 0
    fi
  done
}

inside() {
  local ip
  ip="$(recorded_pid_in "$PIDS" init)"
  [ -n "$ip" ] || die "the booted host is not up (run: $0 up --dir $dir)"
  nsenter -t "$ip" -a -- env -i PATH="$CLEAN_PATH" HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@"
}

boot() {
  need systemd-nspawn systemd-container
  local node np ip i st
  node="$(command -v node)" || die "node not found"
  if [ "$fresh" = 1 ] || [ ! -d "$ROOTFS" ]; then
    rm -rf "$ROOTFS"
    cp -a --reflink=auto "$BASE" "$ROOTFS.new"
    mv "$ROOTFS.new" "$ROOTFS"
  fi
  # `supctl` inside runs this checkout (bound below) with this machine's node.
  mkdir -p "$ROOTFS/usr/local/bin"
  printf '#!/bin/sh\nexec /usr/local/bin/node /opt/supctl/bin/supctl "$@"\n' >"$ROOTFS/usr/local/bin/supctl.new"
  chmod 755 "$ROOTFS/usr/local/bin/supctl.new"
  mv "$ROOTFS/usr/local/bin/supctl.new" "$ROOTFS/usr/local/bin/supctl"
  # --keep-unit/--register=no: this machine has no systemd as PID 1 to ask.
  setsid systemd-nspawn -D "$ROOTFS" --register=no --keep-unit -b --private-network \
    --machine="supctl-host" --console=read-only \
    --bind-ro="$node:/usr/local/bin/node" --bind="$REPO:/opt/supctl" \
    </dev/null >>"$dir/console.log" 2>&1 &
  np=$!
  printf '%s %s\n' "$np" "$(pid_starttime "$np")" >"$PIDS/nspawn"
  for ((i = 0; i < 100; i++)); do
    ip="$(init_pid "$np")"
    [ -n "$ip" ] && break
    [ -n "$(pid_starttime "$np")" ] || die "systemd-nspawn exited; see $dir/console.log"
    sleep 0.1
  done
  [ -n "$ip" ] || die "the container's init did not start; see $dir/console.log"
  printf '%s %s\n' "$ip" "$(pid_starttime "$ip")" >"$PIDS/init"
  # Until systemd has exec'd and opened its socket, systemctl says "offline".
  for ((i = 0; i < BOOT_TIMEOUT_S * 10; i++)); do
    [ -n "$(recorded_pid_in "$PIDS" init)" ] || die "the container's init exited; see $dir/console.log"
    inside test -S /run/systemd/private 2>/dev/null && break
    [ -n "$(pid_starttime "$np")" ] || die "systemd-nspawn exited; see $dir/console.log"
    sleep 0.1
  done
  st="$(inside timeout "$BOOT_TIMEOUT_S" systemctl is-system-running --wait 2>/dev/null || true)"
  case "$st" in
    running | degraded) log "up ($st) in $ROOTFS; init pid $ip" ;;
    *) die "the host did not finish booting within ${BOOT_TIMEOUT_S}s (state: ${st:-none}); see $dir/console.log" ;;
  esac
}

poweroff() {
  local np ip st i
  np="$(nspawn_pid)"
  ip="$(recorded_pid_in "$PIDS" init)"
  if [ -n "$ip" ]; then
    inside systemctl --no-block poweroff >/dev/null 2>&1 || true
  fi
  if [ -n "$np" ]; then
    read -r _ st <"$PIDS/nspawn"
    for ((i = 0; i < 300; i++)); do
      [ "$(pid_starttime "$np")" = "$st" ] || break
      sleep 0.1
    done
    stop_pid systemd-nspawn "$np" "$st" 10 || true
  fi
  # nspawn gone but its container left behind (nspawn was killed): end it.
  if [ -n "$ip" ]; then
    read -r _ st <"$PIDS/init"
    stop_pid "the container's init" "$ip" "$st" 10 || true
  fi
  rm -f "$PIDS/nspawn" "$PIDS/init"
}

case "$action" in
  build) build ;;
  up)
    if [ -n "$(nspawn_pid)" ] && [ "$fresh" = 0 ]; then
      log "already up"
      exit 0
    fi
    [ -z "$(nspawn_pid)" ] || poweroff
    build
    boot
    ;;
  exec)
    [ "$#" -gt 0 ] || die "exec needs a command after --"
    inside "$@"
    ;;
  shell) inside bash -l ;;
  reboot)
    poweroff
    boot
    ;;
  down) poweroff ;;
  status) [ -n "$(nspawn_pid)" ] && [ -n "$(recorded_pid_in "$PIDS" init)" ] ;;
  *)
    echo "usage: $0 build|up|exec|shell|reboot|down|status [--dir DIR] [--fresh] [-- CMD...]" >&2
    exit 2
    ;;
esac
exit "$RC"
