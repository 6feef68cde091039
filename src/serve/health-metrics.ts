/** /metrics' health gauge: one per process that declares a check. */
import type { ProcessStatus } from '../control/types.ts';
import type { HealthLookup } from './health.ts';
import { label } from './metrics.ts';

/** 1 when the last probes say healthy; 0 when unhealthy, not yet known, or not running. */
export function renderHealthMetrics(ps: readonly ProcessStatus[], health: HealthLookup): string {
  const lines: string[] = [];
  for (const p of ps) {
    const h = health(p.namespec);
    if (h === undefined) continue;
    const v = h.status === 'healthy' ? 1 : 0;
    lines.push(
      `supctl_process_healthy{group="${label(p.group)}",name="${label(p.name)}",status="${h.status}"} ${v}`,
    );
  }
  if (lines.length === 0) return '';
  return [
    '# HELP supctl_process_healthy Whether the process passes its declared health check',
    '# TYPE supctl_process_healthy gauge',
    ...lines,
    '',
  ].join('\n');
}
