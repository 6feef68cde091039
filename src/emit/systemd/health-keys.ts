/**
 * The systemd key table's rows for supctl's health_* keys. systemd runs no
 * probes: its watchdog needs the program itself to call sd_notify, and an
 * ExecStartPost= wait would fail (and stop) a unit whose check fails, which
 * supervisord never does. So nothing is written; the check runs in
 * `supctl serve -c FILE` (/readyz, /healthz, /metrics) and `supctl status
 * -c FILE`, and each written key says so.
 */
import type { HealthCheck, HealthKey } from '../../model/health.ts';
import type { ServiceContext } from './context.ts';
import { none } from './findings.ts';
import type { Row } from './keys.ts';

const WHERE =
  'supctl serve -c FILE runs it (/readyz, /healthz, /metrics) and supctl status -c FILE probes it';

const checkRow = (type: HealthCheck['type']): Row<ServiceContext> => ({
  target: '(none: supctl serve / status run the check)',
  best: 'NONE',
  apply: (c) =>
    c.p.health?.type !== type
      ? undefined
      : none(
          `systemd has no health probe (WatchdogSec= needs sd_notify from the program; an ExecStartPost= wait would stop the unit when the check fails): ${WHERE}`,
        ),
});

/** Reported only where written: a default timing of an untranslated check says nothing new. */
const timingRow = (key: HealthKey): Row<ServiceContext> => ({
  target: '(none)',
  best: 'NONE',
  apply: (c) =>
    c.p.health === undefined || !c.written(key)
      ? undefined
      : none(`no probe in systemd to time: ${WHERE}`),
});

export const HEALTH_ROWS = {
  health_tcp: checkRow('tcp'),
  health_http: checkRow('http'),
  health_interval: timingRow('health_interval'),
  health_timeout: timingRow('health_timeout'),
  health_retries: timingRow('health_retries'),
  health_start_period: timingRow('health_start_period'),
} satisfies Record<HealthKey, Row<ServiceContext>>;
