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
die() {
  printf 'harness: ERROR: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }

# starttime of a pid, empty if it is gone or a zombie.
pid_starttime() {
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  rest="${stat##*) }" # fields from 3 on; comm may contain spaces
  # shellcheck disable=SC2086
  set -- $rest
  [ "$1" = Z ] && return 0
  printf '%s' "${20}"
}

# record_pid NAME PID
record_pid() {
  local st
  st="$(pid_starttime "$2")"
  [ -n "$st" ] || die "process $2 ($1) exited right after it was started; see $HARNESS_LOGS/$1.log"
  mkdir -p "$HARNESS_PIDS"
  printf '%s %s\n' "$2" "$st" >"$HARNESS_PIDS/$1"
}

# recorded_pid NAME: prints the pid if the recorded process is still the one
# we started (same pid and starttime, not a zombie); else prints nothing.
recorded_pid() {
  local f="$HARNESS_PIDS/$1" pid st
  [ -f "$f" ] || return 0
  read -r pid st <"$f" || return 0
  [ -n "$pid" ] && [ -n "$st" ] || return 0
  [ "$(pid_starttime "$pid")" = "$st" ] && printf '%s' "$pid"
  return 0
}

# stop_pid NAME PID STARTTIME TIMEOUT_S: SIGTERM, wait, SIGKILL, wait.
stop_pid() {
  local name="$1" pid="$2" st="$3" timeout="$4" i
  [ "$(pid_starttime "$pid")" = "$st" ] || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    [ "$(pid_starttime "$pid")" = "$st" ] || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not exit within ${timeout}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    [ "$(pid_starttime "$pid")" = "$st" ] || return 0
    sleep 0.1
  done
  log "WARNING: $name (pid $pid) survived SIGKILL"
  return 1
}

# Cgroup hierarchies the systemd user manager uses: the cgroup2 mount (pure v2
# or the hybrid "unified" one) and the v1 name=systemd hierarchy. Prints
# "<mountpoint><our current path>" for each, one a line.
manager_cgroup_bases() {
  local mp fstype opts cur
  while read -r _ mp fstype opts _; do
    case "$fstype" in
      cgroup2) cur="$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)" ;;
      cgroup)
        case ",$opts," in *,name=systemd,*) ;; *) continue ;; esac
        cur="$(awk -F: '$2 == "name=systemd" { print $3 }' /proc/self/cgroup)"
        ;;
      *) continue ;;
    esac
    printf '%s%s\n' "$mp" "${cur%/}"
  done </proc/mounts
}

# Every cgroup directory named after this harness (any hierarchy).
harness_cgroup_dirs() {
  local mp fstype
  while read -r _ mp fstype _; do
    case "$fstype" in cgroup | cgroup2) ;; *) continue ;; esac
    find "$mp" -maxdepth 3 -type d \( -name "$HARNESS_CGROUP_NAME" -o -name "$HARNESS_CGROUP_NAME-docker" \) 2>/dev/null
  done </proc/mounts | sort -u
}

# Pids inside a cgroup subtree.
cgroup_tree_pids() {
  find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un
}

# Removes a cgroup subtree, deepest first; only empty cgroups can be removed.
remove_cgroup_tree() {
  find "$1" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ ! -d "$1" ]
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
#   - a process left in this harness's own cgroups (supctl-h-<id>, created by
#     up.sh for the user manager, and supctl-h-<id>-docker, dockerd's
#     --cgroup-parent): units and containers of those managers;
#   - a process whose command line names this harness's docker exec-root
#     (containerd and containerd-shims spawned by our dockerd).
# SIGTERM first, SIGKILL after a bounded wait. Failures set HARNESS_RC=1.

HARNESS_RC=0

# kill_set LABEL PID...: SIGTERM the given pids, wait up to 5s, SIGKILL the rest.
kill_set() {
  local label="$1" p i alive
  shift
  [ "$#" -gt 0 ] || return 0
  declare -A st=()
  for p in "$@"; do
    [ "$p" = "$$" ] && continue
    st[$p]="$(pid_starttime "$p")"
    [ -n "${st[$p]}" ] || unset "st[$p]"
  done
  [ "${#st[@]}" -gt 0 ] || return 0
  log "stopping leftover $label processes: ${!st[*]}"
  for p in "${!st[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for sig in KILL none; do
    for ((i = 0; i < 50; i++)); do
      alive=0
      for p in "${!st[@]}"; do [ "$(pid_starttime "$p")" = "${st[$p]}" ] && alive=1; done
      [ "$alive" = 0 ] && return 0
      sleep 0.1
    done
    [ "$sig" = none ] && break
    for p in "${!st[@]}"; do
      if [ "$(pid_starttime "$p")" = "${st[$p]}" ]; then kill -KILL "$p" 2>/dev/null || true; fi
    done
  done
  log "WARNING: some $label processes survived SIGKILL"
  HARNESS_RC=1
}

pids_with_cmdline_containing() {
  local f p cmd
  for f in /proc/[0-9]*/cmdline; do
    p="${f#/proc/}"
    p="${p%/cmdline}"
    [ "$p" = "$$" ] && continue
    cmd="$(tr '\0' ' ' 2>/dev/null <"$f")" || continue
    case "$cmd" in *"$1"*) printf '%s\n' "$p" ;; esac
  done
}

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
  # shellcheck disable=SC2046
  kill_set "dockerd/containerd/shim (ours)" $(pids_with_cmdline_containing "$HARNESS_RUN/docker")
  for d in $(harness_cgroup_dirs | grep -- '-docker$' || true); do
    # shellcheck disable=SC2046
    kill_set "container" $(cgroup_tree_pids "$d")
    remove_cgroup_tree "$d" || {
      log "WARNING: cannot remove cgroup $d"
      HARNESS_RC=1
    }
  done
  unmount_under "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT"
  rm -f "$DOCKER_SOCK" "$HARNESS_RUN/dockerd.pid"
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

