/**
 * The oracle for supctl's supervisorctl verbs: the real supervisorctl 4.2.5
 * (`python3 -m supervisor.supervisorctl -c CONF …`) on a test's supervisord,
 * and the one normalisation its output needs to be compared with supctl's.
 */
import { spawnSync } from 'node:child_process';
import type { Harness } from './harness.ts';

export interface CtlRun {
  code: number | null;
  /** stdout's non-empty lines. */
  lines: string[];
  /** stdout as written. */
  raw: string;
}

/** supervisorctl `args` on the daemon of `conf`; `extra` goes before the verb (-s, -u, -p). */
export function supervisorctl(
  h: Harness,
  conf: string,
  args: string[],
  extra: string[] = [],
): CtlRun {
  const r = spawnSync(
    h.supervisor.python,
    ['-m', 'supervisor.supervisorctl', '-c', conf, ...extra, ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), raw: r.stdout };
}

/** pids and uptimes change between two runs; nothing else may. */
export const norm = (lines: string[]): string[] =>
  lines.map((l) =>
    l.replace(/pid \d+, uptime [\d:]+( days?, [\d:]+)?/, 'pid N, uptime T').replace(/^\d+$/, 'PID'),
  );
