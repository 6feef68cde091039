/**
 * Kubernetes-style health answers (/livez, /readyz, /healthz): `ok` with
 * 200; `?verbose` lists `[+]name ok`; a failure answers 500 with every
 * check listed, `[-]name failed: reason withheld`, then `healthz check failed`.
 */
import type { ProcessStatus } from '../control/types.ts';
import type { HealthState } from '../health/state.ts';

export interface Check {
  name: string;
  ok: boolean;
  /** The process's declared health check, as serve's runner last saw it. */
  health?: HealthState;
}

/** A declared check's state by namespec (undefined: the process declares none). */
export type HealthLookup = (namespec: string) => HealthState | undefined;

interface HealthAnswer {
  status: 200 | 404 | 500;
  body: string;
}

export function renderHealth(
  checks: Check[],
  verbose: boolean,
  exclude: readonly string[] = [],
): HealthAnswer {
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (exclude.includes(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
    } else if (c.ok) {
      lines.push(`[+]${c.name} ok`);
    } else {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (failed) return { status: 500, body: `${lines.join('\n')}\nhealthz check failed\n` };
  if (!verbose) return { status: 200, body: 'ok' };
  return { status: 200, body: `${lines.join('\n')}\nhealthz check passed\n` };
}

/**
 * Readiness per process: an autostart program must be RUNNING and, when it
 * declares a health check, its check must pass; a manual one is never waited for.
 */
export function readinessChecks(
  ps: ProcessStatus[],
  autostart: ReadonlySet<string>,
  health?: HealthLookup,
): Check[] {
  return ps
    .filter((p) => autostart.has(p.namespec))
    .map((p) => {
      const h = health?.(p.namespec);
      const ok = p.state === 'RUNNING' && (h === undefined || h.status === 'healthy');
      return h === undefined ? { name: p.namespec, ok } : { name: p.namespec, ok, health: h };
    });
}

/** /readyz/NAME: one process (`g:n` or `n`) or a whole group (`g` or `g:*`); null when nothing matches. */
export function selectChecks(checks: Check[], ps: ProcessStatus[], name: string): Check[] | null {
  const group = name.endsWith(':*') ? name.slice(0, -2) : name;
  const names = new Set(
    ps.filter((p) => p.namespec === name || p.group === group).map((p) => p.namespec),
  );
  if (names.size === 0) return null;
  return checks.filter((c) => names.has(c.name));
}
