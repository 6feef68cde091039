#!/usr/bin/env bash
# Installs the Debian 12 packages the real-runtime harness needs, and only
# those that are missing (`make sysdeps`; CI runs it on a fresh machine).
#
# - `apt-get update` runs only when something is missing.
# - No service is started: maintainer scripts (supervisor's, docker.io's,
#   dbus's) would start their daemons through invoke-rc.d, so a policy-rc.d
#   that answers 101 ("action forbidden") is in place during the install and
#   any host policy-rc.d is restored afterwards. A daemon that appears anyway
#   during the install is stopped by pid and reported.
# - needrestart (if present) is told not to restart anything.
#
# SUPCTL_INSTALL_REINSTALL="pkg ..." reinstalls those packages too (to test
# this script's no-daemon guarantee on a machine where they are present).
set -euo pipefail

PACKAGES=(
  supervisor       # supervisord 4.2.5 + its Python package (the oracle)
  docker.io        # dockerd 20.10, containerd, runc, docker-init (tini)
  busybox-static   # static /bin/busybox for the local test image
  docker-compose   # 1.29.2, validates generated compose files
  systemd          # systemd 252 user manager
  dbus             # dbus-daemon
  dbus-user-session # the user manager's dbus.socket at $XDG_RUNTIME_DIR/bus
  python3
  util-linux       # unshare, setsid, flock
  tar
  shellcheck       # lints the shell scripts (make lint)
  logrotate        # reads the --logrotate snippet in a test
  prometheus       # promtool check metrics on supctl serve's /metrics
  chromium         # the dashboard's real-browser test (playwright-core drives /usr/bin/chromium)
  zsh              # `zsh -n` checks the zsh completion script
  mmdebstrap       # builds the booted Debian host (sandbox/booted-host.sh)
  systemd-container # systemd-nspawn boots it
)

log() { printf 'install: %s\n' "$*" >&2; }
die() {
  printf 'install: ERROR: %s\n' "$*" >&2
  exit 1
}

is_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]; }

missing=()
for p in "${PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
read -r -a reinstall <<<"${SUPCTL_INSTALL_REINSTALL:-}"

if [ "${#missing[@]}" -eq 0 ] && [ "${#reinstall[@]}" -eq 0 ]; then
  log "all present: ${PACKAGES[*]}"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: run as root, or install them: apt-get install ${missing[*]}"
command -v apt-get >/dev/null || die "apt-get not found: this script targets Debian 12 (bookworm)"

# Daemons the packages could start: snapshot before, compare after.
daemon_pids() {
  local f p cmd
  for f in /proc/[0-9]*/cmdline; do
    p="${f#/proc/}"
    p="${p%/cmdline}"
    cmd="$(tr '\0' ' ' 2>/dev/null <"$f")" || continue
    case "$cmd" in *supctl*) continue ;; esac # the harness's and the tests' own daemons
    case " $cmd" in
      *" /usr/bin/supervisord"* | *" supervisord"* | *"/dockerd "* | " dockerd "* | *"/containerd "* | " containerd "* | *"dbus-daemon --system"*)
        printf '%s\n' "$p"
        ;;
    esac
  done | sort
}
before="$(daemon_pids)"

policy=/usr/sbin/policy-rc.d
backup=""
restore_policy() {
  if [ -n "$backup" ]; then
    mv -f "$backup" "$policy"
  else
    rm -f "$policy"
  fi
}
if [ -e "$policy" ]; then
  backup="$(mktemp /usr/sbin/.policy-rc.d.supctl.XXXXXX)"
  cp -p "$policy" "$backup"
fi
trap restore_policy EXIT
printf '#!/bin/sh\n# test/harness/install.sh: no service starts during this install\nexit 101\n' >"$policy"
chmod 755 "$policy"

export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 NEEDRESTART_MODE=l
apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
t0="$(date +%s)"
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]}"
  apt-get "${apt_opts[@]}" update -q
  apt-get "${apt_opts[@]}" install -y -q "${missing[@]}" </dev/null
fi
if [ "${#reinstall[@]}" -gt 0 ]; then
  log "reinstalling: ${reinstall[*]}"
  apt-get "${apt_opts[@]}" install -y -q --reinstall "${reinstall[@]}" </dev/null
fi
restore_policy
trap - EXIT

for p in "${missing[@]}"; do is_installed "$p" || die "$p is still not installed"; done

# Anything that started anyway is reported, not stopped: a process found by
# its command line may be someone else's (another checkout's harness, the
# host's own daemon), and the harness only ever signals what it started.
for p in $(comm -13 <(printf '%s\n' "$before") <(daemon_pids)); do
  cmd="$(tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline)" || continue
  log "WARNING: pid $p ($cmd) started during the install (a maintainer script despite policy-rc.d?); not stopped: stop it yourself if it is not wanted"
done
log "done in $(($(date +%s) - t0)) s"
