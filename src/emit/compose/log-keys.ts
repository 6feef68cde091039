/** The compose key table's rows for the stdout and stderr log keys (logging.ts maps them). */
import { mapLogging } from './logging.ts';
import { none } from './rule.ts';
import type { ProgramKey } from './keys.ts';
import type { Rule } from './rule.ts';

export const LOG_RULES = {
  stdout_logfile: {
    target: 'logging (driver none for NONE//dev/null on both streams)',
    best: 'EXACT',
    apply(c) {
      const m = mapLogging(c.p);
      c.svc.logging = m.logging;
      return m.outcomes.stdout_logfile;
    },
  },
  stdout_logfile_maxbytes: {
    target: 'logging.options.max-size',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stdout_logfile_maxbytes,
  },
  stdout_logfile_backups: {
    target: 'logging.options.max-file = backups+1',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stdout_logfile_backups,
  },
  stdout_capture_maxbytes: {
    target: 'NONE (no capture mode)',
    best: 'NONE',
    apply: () =>
      none('stdout_capture_maxbytes: capture mode and its events do not exist in Docker'),
  },
  stdout_events_enabled: {
    target: 'NONE (no event listeners)',
    best: 'NONE',
    apply: () => none('stdout_events_enabled: there are no supervisor events in Docker'),
  },
  stdout_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stdout_syslog
        ? none('stdout_syslog=true: not translated (set logging.driver: syslog by hand)')
        : undefined,
  },
  stderr_logfile: {
    target: 'logging (one log for both streams)',
    best: 'EXACT',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile,
  },
  stderr_logfile_maxbytes: {
    target: 'logging.options.max-size (shared)',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile_maxbytes,
  },
  stderr_logfile_backups: {
    target: 'logging.options.max-file (shared)',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile_backups,
  },
  stderr_capture_maxbytes: {
    target: 'NONE (no capture mode)',
    best: 'NONE',
    apply: () =>
      none('stderr_capture_maxbytes: capture mode and its events do not exist in Docker'),
  },
  stderr_events_enabled: {
    target: 'NONE (no event listeners)',
    best: 'NONE',
    apply: () => none('stderr_events_enabled: there are no supervisor events in Docker'),
  },
  stderr_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stderr_syslog
        ? none('stderr_syslog=true: not translated (set logging.driver: syslog by hand)')
        : undefined,
  },
} satisfies Partial<Record<ProgramKey, Rule>>;
