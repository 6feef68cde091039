/**
 * `supctl status` without serve: one probe per declared check of a RUNNING
 * process, all at once, each bounded by its check's timeout. One probe is
 * all status has, so a failure is reported as unhealthy at once.
 */
import type { ProcessStatus } from '../control/types.ts';
import type { Watched } from './checks.ts';
import { probe } from './probe.ts';
import type { HealthState } from './state.ts';

export async function probeRunning(
  rows: readonly ProcessStatus[],
  checks: readonly Watched[],
): Promise<Map<string, HealthState>> {
  const byName = new Map(checks.map((w) => [w.namespec, w.check]));
  const running = rows.filter((p) => p.state === 'RUNNING' && byName.has(p.namespec));
  const results = await Promise.all(running.map((p) => probe(byName.get(p.namespec)!)));
  const out = new Map<string, HealthState>();
  running.forEach((p, i) => {
    const r = results[i]!;
    out.set(p.namespec, {
      status: r.ok ? 'healthy' : 'unhealthy',
      message: r.message,
      failures: r.ok ? 0 : 1,
    });
  });
  return out;
}
