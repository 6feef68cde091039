# shellcheck shell=bash disable=SC2034  # variables are used by up.sh/down.sh
# Shared definitions for test/harness/{up,down}.sh. Source it; do not run it.
#
# Every harness belongs to one checkout. Its id is derived from the
# checkout's real path, so two checkouts on one machine (say /work/main and a
# CI copy) get separate runtime dirs, sockets, cgroups and daemons and never
# touch each other's processes.
#
#   state (pids, env, logs, unit dir, docker data-root): <repo>/.tmp/harness
#   runtime (sockets, short paths, < 108 bytes):         /run/supctl-h-<id>
#
# A recorded pid is "<pid> <starttime>" (field 22 of /proc/<pid>/stat); a pid
# is only ever signalled when both still match, so a recycled pid is never hit.

HARNESS_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
HARNESS_DIR="$HARNESS_REPO/.tmp/harness"
HARNESS_PIDS="$HARNESS_DIR/pids"
HARNESS_LOGS="$HARNESS_DIR/logs"
HARNESS_ID="$(printf '%s' "$HARNESS_REPO" | sha256sum | cut -c1-10)"
HARNESS_RUN="/run/supctl-h-$HARNESS_ID"
HARNESS_CGROUP_NAME="supctl-h-$HARNESS_ID"

# systemd user manager
SD_RUNTIME_DIR="$HARNESS_RUN/user"
SD_BUS_ADDRESS="unix:path=$SD_RUNTIME_DIR/bus"
SD_XDG="$HARNESS_DIR/xdg"
SD_UNIT_DIR="$SD_XDG/config/systemd/user"

# dockerd
DOCKER_SOCK="$HARNESS_RUN/docker.sock"
DOCKER_EXEC_ROOT="$HARNESS_RUN/docker"
DOCKER_DATA_ROOT="$HARNESS_DIR/docker-root"
DOCKER_CLI=/usr/bin/docker # the docker.io package's CLI, matching its daemon
TEST_IMAGE="supctl-test/busybox:latest"
TEST_IMAGE_REV="1" # bump when the image recipe in up.sh changes

CLEAN_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

log() { printf 'harness: %s\n' "$*" >&2; }
on_kill_failure() { HARNESS_RC=1; }
# shellcheck source=sandbox/proclib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../sandbox/proclib.sh"
recorded_pid() { recorded_pid_in "$HARNESS_PIDS" "$1"; }
die() {
  printf 'harness: ERROR: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }


# record_pid NAME PID
record_pid() {
  local st
  st="$(pid_starttime "$2")"
  [ -n "$st" ] || die "process $2 ($1) exited right after it was started; see $HARNESS_LOGS/$1.log"
  mkdir -p "$HARNESS_PIDS"
  printf '%s %s\n' "$2" "$st" >"$HARNESS_PIDS/$1"
}




# dockerd and what it spawns (containerd, its shims) run in a cgroup of their
# own, recorded here; containers go to the -docker cgroup (--cgroup-parent).
DOCKERD_CGROUP_NAME="$HARNESS_CGROUP_NAME-dockerd"
DOCKERD_CGROUPS="$HARNESS_DIR/dockerd-cgroups"

# Every cgroup directory of this harness, at any depth of any hierarchy.
harness_cgroup_dirs() {
  {
    recorded_cgroups "$DOCKERD_CGROUPS"
    cgroup_dirs_named "$HARNESS_CGROUP_NAME" "$HARNESS_CGROUP_NAME-docker" "$DOCKERD_CGROUP_NAME"
  } | sort -u
}



sd_env() {
  env -i PATH="$CLEAN_PATH" XDG_RUNTIME_DIR="$SD_RUNTIME_DIR" DBUS_SESSION_BUS_ADDRESS="$SD_BUS_ADDRESS" "$@"
}

# The docker CLI on our daemon, bounded by DOCKER_TIMEOUT_S (default 120 s).
docker_cli() {
  env -i PATH="$CLEAN_PATH" HOME="$HARNESS_DIR/docker-cli" DOCKER_HOST="unix://$DOCKER_SOCK" \
    timeout "${DOCKER_TIMEOUT_S:-120}" "$DOCKER_CLI" "$@"
}

# ------------------------------------------------------------------ users --
# A harness may serve several runs at once (two `make test` in one checkout,
# or a developer's `make harness-up`). Each registers a user; down.sh --user
# stops the services only when no other user is left. A user file holds
# "<pid> <starttime>" of the process it belongs to (pruned when that process
# is gone), or nothing for a user that lasts until an explicit down.sh.

HARNESS_USERS="$HARNESS_DIR/users"

add_user() {
  local name="$1" pid="${2:-}"
  mkdir -p "$HARNESS_USERS"
  if [ -n "$pid" ]; then
    printf '%s %s\n' "$pid" "$(pid_starttime "$pid")" >"$HARNESS_USERS/$name"
  else
    : >"$HARNESS_USERS/$name"
  fi
}

# Prints the users still alive, pruning the dead ones.
live_users() {
  local f pid st
  [ -d "$HARNESS_USERS" ] || return 0
  for f in "$HARNESS_USERS"/*; do
    [ -f "$f" ] || continue
    pid="" st=""
    read -r pid st <"$f" || true
    if [ -n "$pid" ] && [ "$(pid_starttime "$pid")" != "$st" ]; then
      rm -f "$f"
      continue
    fi
    printf '%s\n' "${f##*/}"
  done
}

# ------------------------------------------------------------------- stop --
# A process is signalled only when it is provably ours:
#   - a recorded pid whose /proc starttime still matches the record;
#   - a process left in this harness's own cgroups: supctl-h-<id> (the user
#     manager's, made by sandbox.sh), supctl-h-<id>-dockerd (dockerd's, with
#     containerd and the shims it spawned) and supctl-h-<id>-docker
#     (dockerd's --cgroup-parent): units and containers of those managers.
# Never a process found by its name or command line. SIGTERM first, SIGKILL
# after a bounded wait. Failures set HARNESS_RC=1.

HARNESS_RC=0


unmount_under() {
  local prefix mp
  for prefix in "$@"; do
    while read -r mp; do
      log "unmounting leftover $mp"
      umount -l "$mp" || HARNESS_RC=1
    done < <(awk -v p="$prefix" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  done
}

stop_recorded() {
  local name="$1" timeout="$2" pid st
  [ -f "$HARNESS_PIDS/$name" ] || return 0
  read -r pid st <"$HARNESS_PIDS/$name" || true
  if [ -n "${pid:-}" ] && [ -n "${st:-}" ]; then
    stop_pid "$name" "$pid" "$st" "$timeout" || HARNESS_RC=1
  fi
  rm -f "$HARNESS_PIDS/$name"
}

stop_dockerd() {
  local d
  # dockerd stops its containers (--shutdown-timeout=10) and its containerd.
  stop_recorded dockerd 40
  for d in $(harness_cgroup_dirs | grep -- '-docker\(d\)\?$' || true); do
    # shellcheck disable=SC2046
    kill_set "dockerd/containerd/shim/container (ours)" $(cgroup_tree_pids "$d")
    remove_cgroup_tree "$d" || {
      log "WARNING: cannot remove cgroup $d"
      HARNESS_RC=1
    }
  done
  unmount_under "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT"
  rm -f "$DOCKER_SOCK" "$HARNESS_RUN/dockerd.pid" "$DOCKERD_CGROUPS"
  if ! grep -qF " $DOCKER_EXEC_ROOT" /proc/self/mountinfo; then rm -rf "$DOCKER_EXEC_ROOT"; fi
}

# The user manager is started and stopped by sandbox/sandbox.sh, the script
# behind `supctl sandbox` (one implementation), with the harness's places.
sandbox_sh() {
  bash "$HARNESS_REPO/sandbox/sandbox.sh" "$1" --id "h-$HARNESS_ID" --dir "$HARNESS_DIR" \
    --run "$HARNESS_RUN" --cgroup "$HARNESS_CGROUP_NAME" --locked
}

stop_systemd() {
  # SIGTERM makes a user manager start exit.target: it stops its units, its
  # dbus-daemon, then exits; leftovers in its cgroup are ended after it.
  sandbox_sh down || HARNESS_RC=1
}

