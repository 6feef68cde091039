/**
 * stdout/stderr logging → StandardOutput=/StandardError=, and an optional
 * logrotate snippet for maxbytes/backups.
 *
 * supervisor's child writes into pipes; supervisord appends what it reads to
 * the log file (opened in append mode). systemd hands the child the file
 * itself, opened O_APPEND: the bytes in the file are the same.
 *
 * `logRoute` is the one place that decides where a stream goes; the unit
 * directives, the findings and the control backend's manifest all read it.
 */
import { isAbsolute, join } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import { logBaseDirectory } from '../../model/effective.ts';
import type { Process } from '../../model/process.ts';
import { escapePathValue, UnitSyntaxError } from './escape.ts';
import type { ServiceContext } from './context.ts';
import type { Outcome } from './findings.ts';
import { approx, exact, none } from './findings.ts';

type Stream = 'stdout' | 'stderr';

/** Where one stream of a process goes. */
type LogRoute =
  /** stdout_logfile=NONE without syslog, or /dev/null. */
  | { kind: 'discard' }
  /** syslog only, or AUTO without a log directory. */
  | { kind: 'journal' }
  /** An absolute file (a relative one resolved against logBaseDirectory). */
  | { kind: 'file'; path: string; relative: boolean }
  /** AUTO with a log directory: `<dir>/<unit>.out` (`.err`). */
  | { kind: 'auto-file'; dir: string }
  /** stderr with redirect_stderr: the same file as stdout. */
  | { kind: 'stdout' };

export interface RotateEntry {
  path: string;
  maxbytes: number;
  backups: number;
}

const ext = (s: Stream) => (s === 'stdout' ? 'out' : 'err');

const logfile = (p: Process, s: Stream) => (s === 'stdout' ? p.stdout_logfile : p.stderr_logfile);
const syslogOf = (p: Process, s: Stream) => (s === 'stdout' ? p.stdout_syslog : p.stderr_syslog);
const maxbytesOf = (p: Process, s: Stream) =>
  s === 'stdout' ? p.stdout_logfile_maxbytes : p.stderr_logfile_maxbytes;
const backupsOf = (p: Process, s: Stream) =>
  s === 'stdout' ? p.stdout_logfile_backups : p.stderr_logfile_backups;

/** `autoLogDir`: where AUTO logs go (see SystemdOptions.autoLogDir); unset: the journal. */
export function logRoute(
  d: Deployment,
  p: Process,
  s: Stream,
  autoLogDir: string | undefined,
): LogRoute {
  if (s === 'stderr' && p.redirect_stderr) return { kind: 'stdout' };
  const file = logfile(p, s);
  if (file === null) return syslogOf(p, s) ? { kind: 'journal' } : { kind: 'discard' };
  if (file === 'AUTO') {
    return autoLogDir !== undefined ? { kind: 'auto-file', dir: autoLogDir } : { kind: 'journal' };
  }
  if (file === '/dev/null') return { kind: 'discard' };
  if (isAbsolute(file)) return { kind: 'file', path: file, relative: false };
  return { kind: 'file', path: join(logBaseDirectory(d, p), file), relative: true };
}

/** The StandardOutput=/StandardError= value of a route (`%n`: the unit's own name). */
function routeDirectiveValue(r: LogRoute, s: Stream): string {
  switch (r.kind) {
    case 'discard':
      return 'null';
    case 'journal':
      return 'journal';
    case 'file':
      return `append:${escapePathValue(r.path)}`;
    case 'auto-file':
      return `append:${escapePathValue(r.dir)}/%n.${ext(s)}`;
    case 'stdout':
      return 'inherit';
  }
}

/** What the control backend tails: an absolute file, `journal`, or null (nothing kept). */
export function routeTarget(r: LogRoute, s: Stream, unit: string): string | null {
  switch (r.kind) {
    case 'file':
      return r.path;
    case 'auto-file':
      return join(r.dir, `${unit}.${ext(s)}`);
    case 'journal':
      return 'journal';
    default:
      return null;
  }
}

/** The log files of one process that supervisor would rotate. */
export function rotateEntries(d: Deployment, p: Process): RotateEntry[] {
  const out: RotateEntry[] = [];
  for (const s of ['stdout', 'stderr'] as const) {
    const r = logRoute(d, p, s, undefined);
    const maxbytes = maxbytesOf(p, s);
    if (r.kind === 'file' && maxbytes > 0) {
      out.push({ path: r.path, maxbytes, backups: backupsOf(p, s) });
    }
  }
  return out;
}

type StreamKey = 'logfile' | 'syslog' | 'logfile_maxbytes' | 'logfile_backups';

/** The findings of one stream's keys, from its route (none for stderr with redirect_stderr). */
function streamOutcomes(
  d: Deployment,
  p: Process,
  s: Stream,
  autoLogDir: string | undefined,
): Partial<Record<StreamKey, Outcome>> {
  const r = logRoute(d, p, s, autoLogDir);
  if (r.kind === 'stdout') return {};
  const out: Partial<Record<StreamKey, Outcome>> = {};
  const syslog = syslogOf(p, s);
  if (r.kind === 'discard') {
    out.logfile = exact(
      logfile(p, s) === null && syslog ? `${s} goes to syslog only` : `${s} is discarded (null)`,
    );
  } else if (r.kind === 'journal' && logfile(p, s) === null) {
    out.logfile = exact(`${s} goes to syslog only`);
  } else if (r.kind === 'journal') {
    out.logfile = approx(
      `AUTO: ${s} goes to the journal (journalctl -u) instead of a file in childlogdir`,
    );
  } else if (r.kind === 'auto-file') {
    out.logfile = approx(
      `AUTO: ${s} appended to ${r.dir}/<unit>.${ext(s)} instead of a file in childlogdir; never rotated`,
    );
  } else if (r.relative) {
    out.logfile = approx(
      `relative log file resolved against ${logBaseDirectory(d, p)}; supervisord opens it in its own working directory`,
    );
  } else {
    out.logfile = exact(`${s} appended to ${r.path}`);
  }
  const toFile = r.kind === 'file';
  if (syslog) {
    out.syslog = approx(
      toFile
        ? `supervisor copies ${s} to syslog as well as the file; systemd writes only the file`
        : `${s} reaches syslog through the journal, without supervisor's "name " prefix`,
    );
  }
  const maxbytes = maxbytesOf(p, s);
  const rotation =
    toFile && maxbytes > 0
      ? none(
          `supervisor rotates at ${maxbytes} bytes keeping ${backupsOf(p, s)} backups; systemd never rotates (use --logrotate for a logrotate snippet)`,
        )
      : exact('no rotation needed');
  out.logfile_maxbytes = rotation;
  out.logfile_backups = rotation;
  return out;
}

/** A logrotate(8) snippet for the log files supervisor would have rotated. */
/**
 * A log file as logrotate reads it: in double quotes (spaces), with glob
 * characters backslash-escaped, so `a*b.log` rotates that file and no other
 * (logrotate expands every name with glob(3); measured with logrotate 3.21).
 * A name logrotate's quoting cannot carry is refused.
 */
function logrotatePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (/["\u0000-\u001f\u007f]/.test(path)) {
    throw new UnitSyntaxError(
      `logrotate cannot name the log file ${JSON.stringify(path)} (a double quote or control character)`,
    );
  }
  return `"${path.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}"`;
}

export function logrotateText(entries: RotateEntry[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const e of entries) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    blocks.push(
      [
        `${logrotatePath(e.path)} {`,
        `    size ${e.maxbytes}`,
        `    rotate ${e.backups}`,
        '    copytruncate',
        '    missingok',
        '    notifempty',
        '}',
      ].join('\n'),
    );
  }
  return blocks.join('\n\n') + '\n';
}

/** The key table's rows for one stream's keys. */
export const streamRows = (s: Stream) => ({
  logfile: (c: ServiceContext): Outcome | undefined => {
    const r = logRoute(c.d, c.p, s, c.autoLogDir);
    if (r.kind === 'stdout') {
      return exact('ignored with redirect_stderr=true, as supervisor does');
    }
    c.service.push({
      key: s === 'stdout' ? 'StandardOutput' : 'StandardError',
      value: routeDirectiveValue(r, s),
    });
    return streamOutcomes(c.d, c.p, s, c.autoLogDir).logfile;
  },
  rotation: (key: 'logfile_maxbytes' | 'logfile_backups') => (c: ServiceContext) =>
    streamOutcomes(c.d, c.p, s, c.autoLogDir)[key],
  syslog: (c: ServiceContext) => streamOutcomes(c.d, c.p, s, c.autoLogDir).syslog,
  capture: (c: ServiceContext): Outcome | undefined => {
    if (s === 'stderr' && c.p.redirect_stderr) return undefined;
    const cap = s === 'stdout' ? c.p.stdout_capture_maxbytes : c.p.stderr_capture_maxbytes;
    return cap > 0
      ? none('capture mode (PROCESS_COMMUNICATION events) has no systemd counterpart')
      : exact('off');
  },
  events: (c: ServiceContext): Outcome | undefined => {
    if (s === 'stderr' && c.p.redirect_stderr) return undefined;
    const ev = s === 'stdout' ? c.p.stdout_events_enabled : c.p.stderr_events_enabled;
    return ev ? none('PROCESS_LOG events have no systemd counterpart') : exact('off');
  },
});
