/** Facts about a health check every target needs. */
import type { HealthCheck } from '../model/health.ts';
import type { Origin } from '../model/origin.ts';
import type { Process } from '../model/process.ts';

/** Where a key of this process was written: its field's origin, or a health_* key's. */
export function keyOrigin(p: Process, key: string): Origin | undefined {
  return (
    (p.origins as Partial<Record<string, Origin>>)[key] ??
    (p.health?.origins as Partial<Record<string, Origin>> | undefined)?.[key]
  );
}

/**
 * True when the check probes the process's own machine. In a container
 * (compose) or a pod (Kubernetes) that is the program's own: a probe there
 * reaches it; any other host is another service by then.
 */
export function probesItself(h: HealthCheck): boolean {
  return ['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(h.host.toLowerCase());
}

/** Whether every process of a service/workload has the same check as the first (replicas share one). */
export function sameCheck(ps: readonly { health?: HealthCheck | undefined }[]): boolean {
  const first = JSON.stringify(ps[0]?.health ?? null);
  return ps.every((p) => JSON.stringify(p.health ?? null) === first);
}
