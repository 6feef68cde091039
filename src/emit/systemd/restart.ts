/**
 * autorestart / exitcodes → Restart=, SuccessExitStatus=,
 * RestartForceExitStatus=.
 *
 * supervisor (process.py:665-674): after an exit from RUNNING, restart if
 * autorestart=true, or if autorestart=unexpected and the exit status is not
 * in exitcodes; a death by signal is never "expected" (es=-1).
 * systemd (service_shall_restart): manual stop > RestartPreventExitStatus >
 * RestartForceExitStatus > Restart=. Restart=on-failure treats exit 0,
 * SuccessExitStatus= and SIGHUP/SIGINT/SIGTERM/SIGPIPE as clean, so those four
 * signals, and 0 when it is not in exitcodes, are forced.
 */
import type { Process } from '../../model/process.ts';
import type { Directive } from './findings.ts';

const CLEAN_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGPIPE'];

/** Restart= and, for autorestart=unexpected, RestartForceExitStatus=. */
export function restartDirectives(p: Process): Directive[] {
  if (p.autorestart === 'true') return [{ key: 'Restart', value: 'always' }];
  if (p.autorestart === 'false') return [{ key: 'Restart', value: 'no' }];
  const force = [...(p.exitcodes.includes(0) ? [] : ['0']), ...CLEAN_SIGNALS];
  return [
    { key: 'Restart', value: 'on-failure' },
    { key: 'RestartForceExitStatus', value: force.join(' ') },
  ];
}

/** The exit statuses systemd must count as success besides 0 (SuccessExitStatus=). */
export function successStatuses(p: Process): string[] {
  return [...new Set(p.exitcodes.filter((c) => c !== 0))].map(String);
}
