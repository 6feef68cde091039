/**
 * What a run of probes says about one process, as Docker counts it:
 * `starting` until the first answer, `healthy` after a success,
 * `unhealthy` after `retries` failures in a row; failures inside the start
 * period do not count. A process that is not RUNNING is `inactive` and
 * its count starts again.
 */
import type { HealthCheck } from '../model/health.ts';
import type { ProbeResult } from './probe.ts';

type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'inactive';

export interface HealthState {
  status: HealthStatus;
  /** The last probe's answer, or why none runs. */
  message: string;
  /** Failures in a row. */
  failures: number;
}

export const INITIAL: HealthState = { status: 'starting', message: 'not probed yet', failures: 0 };

export function afterProbe(
  prev: HealthState,
  r: ProbeResult,
  h: Pick<HealthCheck, 'retries'>,
  inStartPeriod: boolean,
): HealthState {
  if (r.ok) return { status: 'healthy', message: r.message, failures: 0 };
  const kept = prev.status === 'inactive' ? 'starting' : prev.status;
  if (inStartPeriod) return { status: kept, message: r.message, failures: 0 };
  const failures = prev.failures + 1;
  return { status: failures >= h.retries ? 'unhealthy' : kept, message: r.message, failures };
}

/** The words `status` and /healthz add to a process's description. */
export function healthWords(s: HealthState): string {
  switch (s.status) {
    case 'healthy':
      return 'healthy';
    case 'unhealthy':
      return `unhealthy: ${s.message}`;
    case 'starting':
      return `health starting: ${s.message}`;
    case 'inactive':
      return 'health not checked';
  }
}
