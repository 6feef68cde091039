/**
 * The one program every scenario runs: busybox sh (the same binary on the
 * host and in the test image), given its results dir, its name and a mode.
 * It appends what it observes to DIR/NAME.ev, one event per line:
 * `EVENT t=UPTIME k=v ...` (t from /proc/uptime: one clock for the host and
 * every container, which share the kernel).
 *
 * Modes: run (stays up), exit:N and kill:SIG (after 0.5 s: an exit before
 * systemd has seen the exec fails the start job, see systemd-behaviour.test.ts),
 * fail (exit 1 at once, every run: a later exit can be seen after startsecs by a
 * supervisord slowed down by a loaded machine), crash1 (the first run exits 1 after
 * 1.5 s, later runs stay up), trap (records the signal it gets, then exits),
 * ignore (records and ignores every catchable signal), child (trap, plus a
 * forked child that records the signal it gets and beats DIR/NAME.hb,
 * replaced by rename so that a reader never sees it empty),
 * stubborn (ignore, plus that child),
 * print (two lines to stdout, one to stderr).
 */
const SIGS = 'HUP INT QUIT USR1 USR2 TERM';

// No single quote anywhere: the command line wraps the script in them.
const PRELUDE = [
  'R=$1; N=$2; M=$3; mkdir -p $R; E=$R/$N.ev',
  't() { read u x < /proc/uptime; echo $u; }',
  'ev() { echo "$* t=$(t)" >> $E; }',
  'on() { ev sig sig=$1; exit 0; }',
  'note() { ev sig sig=$1; }',
  'kon() { ev childsig sig=$1; exit 0; }',
  `kid() { for s in ${SIGS}; do trap "kon $s" $s; done; while :; do t > $R/$N.hb.new; mv $R/$N.hb.new $R/$N.hb; sleep 0.2; done; }`,
  'ev start pid=$$ cwd=$(pwd) umask=$(umask) var=${FID_VAR:-unset}',
  'n=$(grep -c ^start $E)',
];
const MODES = [
  'exit:*) sleep 0.5; ev exit code=${M#exit:}; exit ${M#exit:};;',
  'kill:*) sleep 0.5; ev exit sig=${M#kill:}; kill -${M#kill:} $$;;',
  'fail) ev exit code=1; exit 1;;',
  'crash1) if [ $n = 1 ]; then sleep 1.5; ev exit code=1; exit 1; fi;;',
  `trap) for s in ${SIGS}; do trap "on $s" $s; done;;`,
  `ignore) for s in ${SIGS}; do trap "note $s" $s; done;;`,
  `child) for s in ${SIGS}; do trap "on $s" $s; done; kid & ev child pid=$!;;`,
  `stubborn) for s in ${SIGS}; do trap "note $s" $s; done; kid & ev child pid=$!;;`,
  'print) echo to-stdout; echo to-stderr >&2; echo again-stdout;;',
];
const SCRIPT = `${PRELUDE.join('; ')}; case $M in ${MODES.join(' ')} esac; while :; do sleep 0.1; done`;

/** The supervisor `command=` that runs mode `mode` as `name`, writing to `dir`. */
export function command(dir: string, name: string, mode: string): string {
  return `/bin/busybox sh -c '${SCRIPT}' fid ${dir} ${name} ${mode}`;
}
