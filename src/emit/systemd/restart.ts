/**
 * autorestart / exitcodes / startsecs / startretries → Restart=,
 * SuccessExitStatus=, RestartForceExitStatus=, RestartSec=,
 * StartLimitIntervalSec=.
 *
 * supervisor (process.py:665-674): after an exit from RUNNING, restart if
 * autorestart=true, or if autorestart=unexpected and the exit status is not
 * in exitcodes; a death by signal is never "expected" (es=-1).
 * systemd (service_shall_restart): manual stop > RestartPreventExitStatus >
 * RestartForceExitStatus > Restart=. Restart=on-failure treats exit 0,
 * SuccessExitStatus= and SIGHUP/SIGINT/SIGTERM/SIGPIPE as clean, so those four
 * signals, and 0 when it is not in exitcodes, are forced.
 *
 * RestartSec=1s: supervisord restarts on its next 1 s loop (measured 1.01 s)
 * and its first backoff step is 1 s; StartLimitIntervalSec=0 because
 * supervisord never limits manual starts or restarts after RUNNING.
 */
import type { Process } from '../../model/process.ts';
import type { Directive, ProgramFindings } from './findings.ts';

const CLEAN_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGPIPE'];

export function restartDirectives(p: Process, f: ProgramFindings): Directive[] {
  const out: Directive[] = [];
  const success = p.exitcodes.filter((c) => c !== 0);
  const uniq = [...new Set(success)].map(String);
  if (p.autorestart === 'true') {
    out.push({ key: 'Restart', value: 'always' });
    f.add('autorestart', 'EXACT', 'Restart=always: restarted after every exit');
  } else if (p.autorestart === 'false') {
    out.push({ key: 'Restart', value: 'no' });
    f.add('autorestart', 'EXACT', 'Restart=no: never restarted after an exit');
  } else {
    out.push({ key: 'Restart', value: 'on-failure' });
    const force = [...(p.exitcodes.includes(0) ? [] : ['0']), ...CLEAN_SIGNALS];
    out.push({ key: 'RestartForceExitStatus', value: force.join(' ') });
    f.add(
      'autorestart',
      'EXACT',
      'Restart=on-failure with RestartForceExitStatus=: restarted after any exit status outside exitcodes and after every signal death',
    );
  }
  if (uniq.length > 0) out.push({ key: 'SuccessExitStatus', value: uniq.join(' ') });
  f.add(
    'exitcodes',
    'EXACT',
    `exit statuses ${p.exitcodes.join(',')} count as expected (SuccessExitStatus=${uniq.join(' ') || '0'})`,
  );
  out.push({ key: 'RestartSec', value: '1s' });

  if (p.startsecs === 0) {
    f.add('startsecs', 'EXACT', 'startsecs=0: every exit counts as an exit from RUNNING in both');
    f.add(
      'startretries',
      'APPROX',
      `supervisor retries only spawn failures, ${p.startretries} times, then gives up (FATAL); systemd retries every 1 s without limit when Restart= applies`,
    );
  } else {
    f.add(
      'startsecs',
      'NONE',
      `systemd has no STARTING state: an exit within ${p.startsecs}s is retried by supervisor whatever its exit status, while systemd applies Restart= to it like any other exit`,
    );
    f.add(
      'startretries',
      'NONE',
      `supervisor gives up (FATAL) after ${p.startretries + 1} quick failures with 1..${p.startretries} s waits; systemd restarts every 1 s without limit (StartLimitIntervalSec=0)`,
    );
  }
  return out;
}

/** [Unit] section part: no start limit (see the module comment). */
export function startLimitDirectives(): Directive[] {
  return [{ key: 'StartLimitIntervalSec', value: '0' }];
}
