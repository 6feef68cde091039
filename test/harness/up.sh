#!/usr/bin/env bash
# Starts the real runtimes the integration tests talk to, and writes
# .tmp/harness/env (KEY=VALUE, meant for `set -a; source .tmp/harness/env`).
#
#   1. a private systemd user manager (its own mount namespace, its own cgroup,
#      its own runtime dir) with its session bus from dbus-user-session;
#   2. a private dockerd (own socket, exec-root, data-root, vfs storage, no
#      networking setup) and the local test image supctl-test/busybox:latest.
#
# supervisord is not started here: tests start their own through
# test/integration/harness.ts.
#
# Idempotent: a service that is already up and healthy is reused; one that is
# recorded but dead or unhealthy is cleaned up (as down.sh would) and started
# again. Every pid started is recorded in .tmp/harness/pids/.
#
#   up.sh                         registers the user "manual" (stays up until
#                                 a plain down.sh)
#   up.sh --user NAME --pid PID   registers NAME, tied to process PID;
#                                 `down.sh --user NAME` stops the harness only
#                                 when no other live user is left
#                                 (scripts/test.sh does this)
set -euo pipefail
# shellcheck source=test/harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=test/harness/swarm.sh
source "$(dirname "${BASH_SOURCE[0]}")/swarm.sh"

user=manual
user_pid=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --user)
      [ "$#" -ge 2 ] || die "--user needs a name"
      user="$2"
      shift 2
      ;;
    --pid)
      [ "$#" -ge 2 ] || die "--pid needs a pid"
      user_pid="$2"
      shift 2
      ;;
    *) die "usage: $0 [--user NAME [--pid PID]]" ;;
  esac
done
case "$user" in */* | .* | "") die "bad user name '$user'" ;; esac

[ "$(id -u)" = 0 ] || die "must run as root (needs mount namespaces, cgroups and dockerd)"
case "$HARNESS_REPO" in *[[:space:]]*) die "the checkout path '$HARNESS_REPO' contains whitespace; .tmp/harness/env is sourced by the shell" ;; esac
for cmd in unshare setsid flock sha256sum /usr/lib/systemd/systemd systemctl busctl dbus-daemon dockerd "$DOCKER_CLI" /bin/busybox; do
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' not found; run test/harness/install.sh first"
done

mkdir -p "$HARNESS_DIR" "$HARNESS_PIDS" "$HARNESS_LOGS" "$HARNESS_RUN"
chmod 755 "$HARNESS_RUN"
exec 9>>"$HARNESS_DIR/lock"
flock -w 180 9 || die "another up.sh/down.sh holds $HARNESS_DIR/lock for more than 180s"

trap 'rm -rf "$HARNESS_DIR"/rootfs.* "$HARNESS_DIR/env.new"' EXIT

SYSTEMD_TIMEOUT_S="${SUPCTL_HARNESS_SYSTEMD_TIMEOUT:-30}"
DOCKERD_TIMEOUT_S="${SUPCTL_HARNESS_DOCKERD_TIMEOUT:-60}"

# A service that fails to start is stopped again (with whatever it spawned)
# before up.sh exits, so a failed up.sh leaves nothing running.
fail_start() {
  local svc="$1"
  shift
  tail -n 20 "$HARNESS_LOGS/$svc.log" >&2 2>/dev/null || true
  log "ERROR: $*"
  "stop_$svc"
  die "$* (log: $HARNESS_LOGS/$svc.log)"
}

# ---------------------------------------------------------------- systemd --
# sandbox/sandbox.sh (see sandbox_sh in lib.sh): reused when healthy, else
# cleaned up and started in the harness's own cgroup and mount namespace.
SUPCTL_SANDBOX_TIMEOUT="$SYSTEMD_TIMEOUT_S"
export SUPCTL_SANDBOX_TIMEOUT

# ----------------------------------------------------------------- dockerd --

docker_ok() { DOCKER_TIMEOUT_S=10 docker_cli version --format '{{.Server.Version}}' >/dev/null 2>&1; }
dockerd_healthy() { [ -n "$(recorded_pid dockerd)" ] && docker_ok; }

# launch_dockerd NAME CGROUP_NAME CGROUPS_FILE SOCK EXEC_ROOT DATA_ROOT
# CONTAINERS_CGROUP: a
# private dockerd in the background, in cgroups of its own (containerd and
# the shims stay in them, so down.sh finds them there, not by their command
# line), with our own empty daemon.json (a host /etc/docker/daemon.json that
# repeats a flag below would make dockerd refuse to start). Its pid file is
# $HARNESS_RUN/NAME.pid, its log $HARNESS_LOGS/NAME.log; sets LAUNCHED_PID to
# the background process.
launch_dockerd() {
  local name="$1" cg_name="$2" cg_file="$3" sock="$4" exec_root="$5" data_root="$6" parent="$7"
  mkdir -p "$exec_root" "$data_root" "$HARNESS_DIR/docker-cli"
  chmod 711 "$data_root"
  printf '{}\n' >"$HARNESS_DIR/$name-daemon.json"
  rm -f "$HARNESS_RUN/$name.pid" "$sock"
  make_cgroups "$cg_name" "$cg_file" || fail_start "$name" "no cgroup for $name"
  # shellcheck disable=SC2016 # the inner script expands its own variables
  setsid env -i PATH="$CLEAN_PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
    H_CGROUPS="$(tr '\n' ' ' <"$cg_file")" \
    sh -c 'for d in $H_CGROUPS; do echo $$ >"$d/cgroup.procs"; done; unset H_CGROUPS; exec "$@"' sh \
    dockerd \
    --config-file="$HARNESS_DIR/$name-daemon.json" \
    --host="unix://$sock" \
    --exec-root="$exec_root" \
    --data-root="$data_root" \
    --pidfile="$HARNESS_RUN/$name.pid" \
    --storage-driver=vfs \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    --exec-opt native.cgroupdriver=cgroupfs \
    --cgroup-parent="/$parent" \
    --shutdown-timeout=10 \
    </dev/null >>"$HARNESS_LOGS/$name.log" 2>&1 9>&- &
  LAUNCHED_PID=$!
}

start_dockerd() {
  local t0 pid bgpid i
  t0="$(now_ms)"
  launch_dockerd dockerd "$DOCKERD_CGROUP_NAME" "$DOCKERD_CGROUPS" "$DOCKER_SOCK" \
    "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT" "$HARNESS_CGROUP_NAME-docker"
  bgpid=$LAUNCHED_PID
  for ((i = 0; i < 100; i++)); do
    [ -s "$HARNESS_RUN/dockerd.pid" ] && break
    [ -n "$(pid_starttime "$bgpid")" ] || break
    sleep 0.1
  done
  pid="$(cat "$HARNESS_RUN/dockerd.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || fail_start dockerd "dockerd did not start"
  record_pid dockerd "$pid"
  for ((i = 0; i < DOCKERD_TIMEOUT_S * 10; i++)); do
    docker_ok && break
    [ -n "$(recorded_pid dockerd)" ] || fail_start dockerd "dockerd (pid $pid) exited during startup"
    sleep 0.1
  done
  docker_ok || fail_start dockerd "dockerd (pid $pid) does not answer on $DOCKER_SOCK after ${DOCKERD_TIMEOUT_S}s"
  log "dockerd ready (pid $pid, $(docker_cli version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}')) in $(($(now_ms) - t0)) ms"
}

# A local image, no registry: busybox-static's binary plus one symlink per
# applet (sh, sleep, cat, echo, env, printf, kill, ps, trap is a sh builtin).
build_test_image() {
  local t0 rev root p
  rev="$(docker_cli image inspect --format '{{index .Config.Labels "org.supctl.harness.image-rev"}}' "$TEST_IMAGE" 2>/dev/null || true)"
  if [ "$rev" = "$TEST_IMAGE_REV" ]; then
    log "test image $TEST_IMAGE present"
    return 0
  fi
  t0="$(now_ms)"
  if ldd /bin/busybox >/dev/null 2>&1; then
    die "/bin/busybox is dynamically linked; install busybox-static (test/harness/install.sh)"
  fi
  root="$(mktemp -d "$HARNESS_DIR/rootfs.XXXXXX")"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,root,run,var/tmp,tmp}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for p in $(/bin/busybox --list-full); do
    [ "$p" = bin/busybox ] || ln -sf /bin/busybox "$root/$p"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
    docker_cli import \
      --change 'CMD ["/bin/sh"]' \
      --change "LABEL org.supctl.harness.image-rev=$TEST_IMAGE_REV" \
      --message "supctl test image: busybox-static $(/bin/busybox | head -n 1 | cut -d' ' -f2)" \
      - "$TEST_IMAGE" >/dev/null
  rm -rf "$root"
  docker_cli run --rm --network none "$TEST_IMAGE" sh -c 'echo ok' | grep -qx ok ||
    die "the test image $TEST_IMAGE was built but cannot run 'sh -c \"echo ok\"'"
  log "test image $TEST_IMAGE built in $(($(now_ms) - t0)) ms"
}

# -------------------------------------------------------------------- main --

t0="$(now_ms)"
sandbox_sh up || die "the systemd user manager did not start (log: $HARNESS_LOGS/systemd.log)"
log "systemd user manager (pid $(recorded_pid systemd)) ready in $(($(now_ms) - t0)) ms"

if dockerd_healthy; then
  log "reusing dockerd (pid $(recorded_pid dockerd))"
else
  if [ -f "$HARNESS_PIDS/dockerd" ] || [ -n "$(harness_cgroup_dirs | grep -- '-docker\(d\)\?$' || true)" ]; then
    log "the recorded dockerd is gone or unhealthy: cleaning up"
    stop_dockerd
  fi
  start_dockerd
fi
build_test_image

if swarmd_healthy; then
  log "reusing the swarm dockerd (pid $(recorded_pid swarmd))"
else
  if [ -f "$HARNESS_PIDS/swarmd" ]; then
    log "the recorded swarm dockerd is gone or unhealthy: cleaning up"
    stop_swarmd
  fi
  start_swarmd
fi
load_swarm_image

cat >"$HARNESS_DIR/env.new" <<EOF
# Written by test/harness/up.sh; remove with test/harness/down.sh.
SUPCTL_HARNESS=1
SUPCTL_HARNESS_DIR=$HARNESS_DIR
# systemd: a private user manager (systemd $(systemctl --version | awk 'NR==1{print $2}')). Unit files go to
# SUPCTL_SYSTEMD_UNIT_DIR, which is that manager's \$XDG_CONFIG_HOME/systemd/user
# (not root's ~/.config); it is emptied by down.sh. The session bus is the
# manager's own dbus.socket (dbus-user-session).
XDG_RUNTIME_DIR=$SD_RUNTIME_DIR
DBUS_SESSION_BUS_ADDRESS=$SD_BUS_ADDRESS
SUPCTL_SYSTEMD_UNIT_DIR=$SD_UNIT_DIR
SUPCTL_SYSTEMD_MANAGER_PID=$(recorded_pid systemd)
# docker: a private dockerd; the test image is built locally (busybox-static).
DOCKER_HOST=unix://$DOCKER_SOCK
SUPCTL_TEST_IMAGE=$TEST_IMAGE
# swarm: a second private dockerd, a single-node swarm (its manager), with the test image.
SUPCTL_TEST_SWARM_HOST=unix://$SWARM_SOCK
# supervisord: not running; tests start their own (test/integration/harness.ts).
SUPCTL_SUPERVISORD=/usr/bin/supervisord
SUPCTL_PYTHON=/usr/bin/python3
EOF
mv "$HARNESS_DIR/env.new" "$HARNESS_DIR/env"
add_user "$user" "$user_pid"
log "users: $(live_users | tr '\n' ' ')"
cat "$HARNESS_DIR/env"
