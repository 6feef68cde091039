/**
 * The Kubernetes key table's rows for supctl's health_* keys: the kubelet
 * probes the pod itself (no tool in the image needed). readinessProbe is
 * what /readyz means; livenessProbe restarts the container after `retries`
 * failures, which supervisord never does (a finding says so); a start
 * period becomes a startupProbe that holds both off for that long.
 */
import type { HealthCheck } from '../../model/health.ts';
import type { ProgramKey } from '../compose/keys.ts';
import { probesItself, sameCheck } from '../health-probe.ts';
import { approx, exact, type Rule } from './rule.ts';
import type { KeyContext, ProbeDraft } from './types.ts';

function handler(
  h: HealthCheck,
): Omit<ProbeDraft, 'periodSeconds' | 'timeoutSeconds' | 'failureThreshold'> {
  // the kubelet's default host is the pod's IP, which is what loopback means in a pod
  const host = probesItself(h) ? {} : { host: h.host };
  if (h.type === 'tcp') return { tcpSocket: { ...host, port: h.port } };
  return {
    httpGet: {
      ...host,
      path: h.path ?? '/',
      port: h.port,
      scheme: h.scheme === 'https' ? 'HTTPS' : 'HTTP',
    },
  };
}

function checkRow(type: HealthCheck['type']): Rule {
  const what = type === 'tcp' ? 'tcpSocket' : 'httpGet';
  return {
    target: `readinessProbe + livenessProbe ${what} (+ startupProbe with health_start_period)`,
    best: 'APPROX',
    apply(c: KeyContext) {
      const h = c.p.health;
      if (h === undefined || h.type !== type) return undefined;
      // a fresh object per probe: a shared one would be written as a YAML anchor and alias
      const probe = (failureThreshold: number) => ({
        ...handler(h),
        periodSeconds: h.interval,
        timeoutSeconds: h.timeout,
        failureThreshold,
      });
      c.draft.container.readinessProbe = probe(h.retries);
      c.draft.container.livenessProbe = probe(h.retries);
      if (h.start_period > 0) {
        // failures inside the start period do not count, then `retries` more do (Docker's rule)
        c.draft.container.startupProbe = probe(Math.ceil(h.start_period / h.interval) + h.retries);
      }
      const notes = [
        'livenessProbe restarts the container after health_retries failures; supervisord and Docker only report them',
      ];
      if (probesItself(h)) {
        notes.push(
          `probed at the pod's IP, not ${h.host}: a program that listens on loopback only fails it`,
        );
      } else {
        notes.push(
          `${h.host} is probed from the node: another program is another workload now (use its Service)`,
        );
      }
      if (!sameCheck(c.w.processes)) notes.push("the replicas share the first process's check");
      return approx(
        `${type === 'tcp' ? 'health_tcp' : 'health_http'} → ${what} probes; ${notes.join('; ')}`,
      );
    },
  };
}

const timing = (key: string, target: string, value: (h: HealthCheck) => string): Rule => ({
  target,
  best: 'EXACT',
  apply: (c) => (c.p.health === undefined ? undefined : exact(`${key} → ${value(c.p.health)}`)),
});

export const HEALTH_KEYS = {
  health_tcp: checkRow('tcp'),
  health_http: checkRow('http'),
  health_interval: timing(
    'health_interval',
    'periodSeconds',
    (h) => `periodSeconds: ${h.interval}`,
  ),
  health_timeout: timing('health_timeout', 'timeoutSeconds', (h) => `timeoutSeconds: ${h.timeout}`),
  health_retries: timing(
    'health_retries',
    'failureThreshold',
    (h) => `failureThreshold: ${h.retries}`,
  ),
  health_start_period: {
    target: 'startupProbe (failureThreshold = ceil(start_period / interval) + retries)',
    best: 'APPROX',
    apply: (c) => {
      const h = c.p.health;
      if (h === undefined) return undefined;
      if (h.start_period === 0) return exact('health_start_period=0 → no startupProbe');
      const n = Math.ceil(h.start_period / h.interval);
      return approx(
        `health_start_period=${h.start_period} → startupProbe every ${h.interval}s, failureThreshold ${n + h.retries}: the container is restarted if it never passes within that`,
      );
    },
  },
} satisfies Partial<Record<ProgramKey, Rule>>;
