/**
 * The compose key table's rows for supctl's health_* keys: a `healthcheck:`
 * run inside the container. Docker runs the probe as a command in the
 * image, so the image needs the tool (nc, wget): each check says which.
 */
import type { HealthCheck } from '../../model/health.ts';
import { probesItself, sameCheck } from '../health-probe.ts';
import type { ProgramKey } from './keys.ts';
import { approx, exact, type Rule } from './rule.ts';
import type { ServiceContext } from './types.ts';

/** The CMD Docker runs: busybox and the usual netcat/wget take these flags. */
function probeCommand(h: HealthCheck): string[] {
  const t = String(h.timeout);
  if (h.type === 'tcp') return ['CMD', 'nc', '-z', '-w', t, h.host, String(h.port)];
  return ['CMD', 'wget', '-q', '-O', '/dev/null', '-T', t, h.url!];
}

function checkRow(type: HealthCheck['type']): Rule {
  const tool = type === 'tcp' ? 'nc' : 'wget';
  return {
    target: `healthcheck.test: [CMD, ${type === 'tcp' ? 'nc -z -w TIMEOUT HOST PORT' : 'wget -q -O /dev/null -T TIMEOUT URL'}]`,
    best: 'APPROX',
    apply(c: ServiceContext) {
      const h = c.p.health;
      if (h === undefined || h.type !== type) return undefined;
      c.svc.healthcheck = {
        test: probeCommand(h),
        interval: `${h.interval}s`,
        timeout: `${h.timeout}s`,
        retries: h.retries,
        ...(h.start_period > 0 ? { start_period: `${h.start_period}s` } : {}),
      };
      const notes = [
        `the image must have \`${tool}\` (busybox has it; debian/ubuntu slim images do not: install ${type === 'tcp' ? 'netcat-openbsd' : 'wget'}) or the check always fails`,
        'Docker marks the container unhealthy but does not restart it (as supervisord)',
      ];
      if (!probesItself(h)) {
        notes.push(
          `${h.host} is probed from inside the container: another program is another service now (use its service name)`,
        );
      }
      if (!sameCheck(c.plan.processes)) {
        notes.push("the replicas share the first process's check");
      }
      return approx(
        `${type === 'tcp' ? 'health_tcp' : 'health_http'} → healthcheck: ${notes.join('; ')}`,
      );
    },
  };
}

const timing = (key: string, target: string, value: (h: HealthCheck) => string): Rule => ({
  target,
  best: 'EXACT',
  apply: (c) => (c.p.health === undefined ? undefined : exact(`${key} → ${value(c.p.health)}`)),
});

export const HEALTH_RULES = {
  health_tcp: checkRow('tcp'),
  health_http: checkRow('http'),
  health_interval: timing(
    'health_interval',
    'healthcheck.interval',
    (h) => `interval: ${h.interval}s`,
  ),
  health_timeout: timing('health_timeout', 'healthcheck.timeout', (h) => `timeout: ${h.timeout}s`),
  health_retries: timing('health_retries', 'healthcheck.retries', (h) => `retries: ${h.retries}`),
  health_start_period: timing(
    'health_start_period',
    'healthcheck.start_period',
    (h) => `start_period: ${h.start_period}s`,
  ),
} satisfies Partial<Record<ProgramKey, Rule>>;
