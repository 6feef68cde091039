import type { Origin } from './origin.ts';

/**
 * A per-program health check, declared with supctl's own `health_*` keys
 * (supervisord 4.2.5 ignores keys it does not know). Times are seconds.
 */
export interface HealthCheck {
  /** tcp: a connect to host:port succeeds; http: a GET answers 2xx or 3xx. */
  type: 'tcp' | 'http';
  host: string;
  port: number;
  /** http only: the URL as written, its scheme and its path (with the query). */
  url?: string;
  scheme?: 'http' | 'https';
  path?: string;
  interval: number;
  timeout: number;
  /** Consecutive failures (after the start period) before the process is unhealthy. */
  retries: number;
  /** Seconds after the process started during which failures do not count. */
  start_period: number;
  /** Where each health_* key was written (the check's own key: health_tcp or health_http). */
  origins: Partial<Record<HealthKey, Origin>>;
}

export const HEALTH_KEYS = [
  'health_tcp',
  'health_http',
  'health_interval',
  'health_timeout',
  'health_retries',
  'health_start_period',
] as const;
export type HealthKey = (typeof HEALTH_KEYS)[number];

/** `host:port` as written in a URL or health_tcp (IPv6 in brackets). */
export function healthAddress(h: HealthCheck): string {
  return `${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
}
