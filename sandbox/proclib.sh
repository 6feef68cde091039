# shellcheck shell=bash
# Process and cgroup helpers shared by sandbox/sandbox.sh and the test
# harness (test/harness/lib.sh). The caller defines log() and
# on_kill_failure(). Sourced, never run.

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

# recorded_pid_in DIR NAME: prints the pid recorded in DIR/NAME if it is still
# the process we started (same pid and starttime, not a zombie).
recorded_pid_in() {
  local f="$1/$2" pid st
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

# cgroup_dirs_named NAME...: every cgroup directory with one of these names,
# at any depth of any mounted hierarchy (a session's own cgroup, where
# they are made, can be deep: ssh puts it under user.slice/.../session-N.scope).
cgroup_dirs_named() {
  local mp fstype n
  local -a names=()
  for n in "$@"; do names+=(-o -name "$n"); done
  [ "${#names[@]}" -gt 0 ] || return 0
  while read -r _ mp fstype _; do
    case "$fstype" in cgroup | cgroup2) ;; *) continue ;; esac
    find "$mp" -type d \( "${names[@]:1}" \) -prune -print 2>/dev/null
  done </proc/mounts | sort -u
}

# make_cgroups NAME FILE: creates cgroup NAME under each manager_cgroup_bases
# and records the directories in FILE (read back by recorded_cgroups). Fails
# (with a message) when one is left from an earlier run with processes in it.
make_cgroups() {
  local name="$1" file="$2" base d
  : >"$file"
  for base in $(manager_cgroup_bases); do
    d="$base/$name"
    if [ -d "$d" ] && [ -n "$(cgroup_tree_pids "$d")" ]; then
      log "cgroup $d still holds processes from an earlier run"
      return 1
    fi
    if [ -d "$d" ] && ! remove_cgroup_tree "$d"; then
      log "cannot remove the stale cgroup $d"
      return 1
    fi
    if ! mkdir "$d" 2>/dev/null; then
      log "cannot create cgroup $d (read-only cgroupfs?)"
      return 1
    fi
    printf '%s\n' "$d" >>"$file"
  done
  [ -s "$file" ] || {
    log "no cgroup2 or name=systemd cgroup hierarchy is mounted"
    return 1
  }
}

# recorded_cgroups FILE: the directories make_cgroups recorded that still exist.
recorded_cgroups() {
  local d
  [ -f "$1" ] || return 0
  while read -r d; do [ -d "$d" ] && printf '%s\n' "$d"; done <"$1"
  return 0
}

# Pids inside a cgroup subtree.
cgroup_tree_pids() { find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un; }

# Removes a cgroup subtree, deepest first; only empty cgroups can be removed.
remove_cgroup_tree() {
  find "$1" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ ! -d "$1" ]
}

# kill_set LABEL PID...: SIGTERM the given pids, wait up to 5s, SIGKILL the
# rest; calls on_kill_failure if any survives.
kill_set() {
  local label="$1" p i alive sig
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
  on_kill_failure
}
