/** The key table's log rows: every stream ends in the container log. */
import type { KeyContext } from './types.ts';
import { approx, exact, none, type Outcome, type Rule } from './rule.ts';

const LOGS =
  'the kubelet keeps the container log (kubectl logs) and rotates it by its own containerLogMaxSize/MaxFiles';

function logfile(c: KeyContext, stream: 'stdout' | 'stderr'): Outcome | undefined {
  const file = c.p[`${stream}_logfile`];
  if (stream === 'stderr' && c.p.redirect_stderr) return undefined;
  if (file === null)
    return approx(`${stream}_logfile=NONE: supervisor discards ${stream}; ${LOGS}`);
  return approx(`${stream}_logfile=${file} → ${stream} of the container: ${LOGS}, not ${file}`);
}

export const LOG_KEYS = {
  redirect_stderr: {
    target: 'both streams go to the container log',
    best: 'APPROX',
    apply: (c) =>
      c.p.redirect_stderr
        ? approx('redirect_stderr=true: both streams reach the container log, still tagged apart')
        : exact('redirect_stderr=false: stderr stays a separate stream'),
  },
  stdout_logfile: {
    target: 'container log (stdout)',
    best: 'APPROX',
    always: true,
    apply: (c) => logfile(c, 'stdout'),
  },
  stdout_logfile_maxbytes: {
    target: 'NONE (kubelet containerLogMaxSize)',
    best: 'NONE',
    apply: () => none(`stdout_logfile_maxbytes: ${LOGS}`),
  },
  stdout_logfile_backups: {
    target: 'NONE (kubelet containerLogMaxFiles)',
    best: 'NONE',
    apply: () => none(`stdout_logfile_backups: ${LOGS}`),
  },
  stdout_capture_maxbytes: {
    target: 'NONE',
    best: 'NONE',
    apply: () =>
      none('stdout_capture_maxbytes: capture mode and its events do not exist in Kubernetes'),
  },
  stdout_events_enabled: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('stdout_events_enabled: there are no supervisor events in Kubernetes'),
  },
  stdout_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stdout_syslog
        ? none('stdout_syslog=true: not translated (collect the container log instead)')
        : undefined,
  },
  stderr_logfile: {
    target: 'container log (stderr)',
    best: 'APPROX',
    apply: (c) => logfile(c, 'stderr'),
  },
  stderr_logfile_maxbytes: {
    target: 'NONE (kubelet containerLogMaxSize)',
    best: 'NONE',
    apply: () => none(`stderr_logfile_maxbytes: ${LOGS}`),
  },
  stderr_logfile_backups: {
    target: 'NONE (kubelet containerLogMaxFiles)',
    best: 'NONE',
    apply: () => none(`stderr_logfile_backups: ${LOGS}`),
  },
  stderr_capture_maxbytes: {
    target: 'NONE',
    best: 'NONE',
    apply: () =>
      none('stderr_capture_maxbytes: capture mode and its events do not exist in Kubernetes'),
  },
  stderr_events_enabled: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('stderr_events_enabled: there are no supervisor events in Kubernetes'),
  },
  stderr_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stderr_syslog
        ? none('stderr_syslog=true: not translated (collect the container log instead)')
        : undefined,
  },
} satisfies Record<string, Rule>;
