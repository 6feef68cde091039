# shellcheck shell=bash disable=SC2034,SC2153  # lib.sh defines and reads these
# The swarm dockerd: a SECOND private dockerd, only for the swarm backend's
# tests, so the docker backend's tests keep a daemon that is not in a swarm.
# Its own data-root, exec-root, pidfile, socket and cgroups; a single-node
# swarm (`docker swarm init --advertise-addr 127.0.0.1`) with the test image
# copied from the first dockerd. Sourced by up.sh and down.sh after lib.sh.

SWARM_SOCK="$HARNESS_RUN/swarm.sock"
SWARM_EXEC_ROOT="$HARNESS_RUN/swarm"
SWARM_DATA_ROOT="$HARNESS_DIR/swarm-root"
SWARMD_CGROUP_NAME="$HARNESS_CGROUP_NAME-swarmd"
SWARMD_CGROUPS="$HARNESS_DIR/swarmd-cgroups"

swarm_cli() {
  env -i PATH="$CLEAN_PATH" HOME="$HARNESS_DIR/docker-cli" DOCKER_HOST="unix://$SWARM_SOCK" \
    timeout "${DOCKER_TIMEOUT_S:-120}" "$DOCKER_CLI" "$@"
}

swarm_active() { [ "$(DOCKER_TIMEOUT_S=10 swarm_cli info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" = active ]; }
swarmd_healthy() { [ -n "$(recorded_pid swarmd)" ] && swarm_active; }

start_swarmd() {
  local t0 pid i
  t0="$(now_ms)"
  mkdir -p "$SWARM_EXEC_ROOT" "$SWARM_DATA_ROOT" "$HARNESS_DIR/docker-cli"
  chmod 711 "$SWARM_DATA_ROOT"
  printf '{}\n' >"$HARNESS_DIR/swarm-daemon.json"
  rm -f "$HARNESS_RUN/swarmd.pid" "$SWARM_SOCK"
  make_cgroups "$SWARMD_CGROUP_NAME" "$SWARMD_CGROUPS" || fail_start swarmd "no cgroup for the swarm dockerd"
  # swarm's own listeners (2377, 7946, 4789) are on 127.0.0.1; a second
  # daemon on this host must not take the first one's bridge or iptables
  # shellcheck disable=SC2016 # the inner script expands its own variables
  setsid env -i PATH="$CLEAN_PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
    H_CGROUPS="$(tr '\n' ' ' <"$SWARMD_CGROUPS")" \
    sh -c 'for d in $H_CGROUPS; do echo $$ >"$d/cgroup.procs"; done; unset H_CGROUPS; exec "$@"' sh \
    dockerd \
    --config-file="$HARNESS_DIR/swarm-daemon.json" \
    --host="unix://$SWARM_SOCK" \
    --exec-root="$SWARM_EXEC_ROOT" \
    --data-root="$SWARM_DATA_ROOT" \
    --pidfile="$HARNESS_RUN/swarmd.pid" \
    --storage-driver=vfs \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    --exec-opt native.cgroupdriver=cgroupfs \
    --cgroup-parent="/$HARNESS_CGROUP_NAME-swarm" \
    --shutdown-timeout=10 \
    </dev/null >>"$HARNESS_LOGS/swarmd.log" 2>&1 9>&- &
  for ((i = 0; i < 100; i++)); do
    [ -s "$HARNESS_RUN/swarmd.pid" ] && break
    sleep 0.1
  done
  pid="$(cat "$HARNESS_RUN/swarmd.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || fail_start swarmd "the swarm dockerd did not start"
  record_pid swarmd "$pid"
  for ((i = 0; i < DOCKERD_TIMEOUT_S * 10; i++)); do
    DOCKER_TIMEOUT_S=10 swarm_cli version >/dev/null 2>&1 && break
    [ -n "$(recorded_pid swarmd)" ] || fail_start swarmd "the swarm dockerd (pid $pid) exited during startup"
    sleep 0.1
  done
  if [ "$(DOCKER_TIMEOUT_S=10 swarm_cli info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != active ]; then
    # SUPCTL_SWARM_PORT: another harness on this machine may hold the default port
    swarm_cli swarm init --advertise-addr 127.0.0.1 --listen-addr "127.0.0.1:${SUPCTL_SWARM_PORT:-2377}" >>"$HARNESS_LOGS/swarmd.log" 2>&1 ||
      fail_start swarmd "docker swarm init failed on $SWARM_SOCK"
  fi
  swarm_active || fail_start swarmd "the swarm on $SWARM_SOCK is not active"
  log "swarm dockerd ready (pid $pid, single-node swarm) in $(($(now_ms) - t0)) ms"
}

# The test image, copied from the first dockerd (there is no registry).
load_swarm_image() {
  local rev
  rev="$(swarm_cli image inspect --format '{{index .Config.Labels "org.supctl.harness.image-rev"}}' "$TEST_IMAGE" 2>/dev/null || true)"
  [ "$rev" = "$TEST_IMAGE_REV" ] && return 0
  docker_cli save "$TEST_IMAGE" | swarm_cli load >/dev/null ||
    die "cannot copy $TEST_IMAGE into the swarm dockerd"
  log "test image $TEST_IMAGE loaded into the swarm dockerd"
}

stop_swarmd() {
  local d
  # leaving the swarm first is not needed: its state goes with the data-root
  stop_recorded swarmd 40
  for d in $({
    recorded_cgroups "$SWARMD_CGROUPS"
    cgroup_dirs_named "$SWARMD_CGROUP_NAME" "$HARNESS_CGROUP_NAME-swarm"
  } | sort -u); do
    # shellcheck disable=SC2046
    kill_set "swarm dockerd/containerd/shim/container (ours)" $(cgroup_tree_pids "$d")
    remove_cgroup_tree "$d" || {
      log "WARNING: cannot remove cgroup $d"
      HARNESS_RC=1
    }
  done
  unmount_under "$SWARM_EXEC_ROOT" "$SWARM_DATA_ROOT"
  rm -f "$SWARM_SOCK" "$HARNESS_RUN/swarmd.pid" "$SWARMD_CGROUPS"
  if ! grep -qF " $SWARM_EXEC_ROOT" /proc/self/mountinfo; then rm -rf "$SWARM_EXEC_ROOT"; fi
  # a fresh swarm next time: the raft state lives in the data-root
  rm -rf "$SWARM_DATA_ROOT/swarm"
}
