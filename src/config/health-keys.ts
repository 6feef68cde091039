/**
 * supctl's own health_* keys in a program section (supervisord 4.2.5
 * ignores them: see test/config/health-keys.test.ts's oracle check).
 * Read with the per-process expansions, so a numprocs program can probe
 * `800%(process_num)d`. Every bad value is one ConfigError naming its key.
 */
import { HEALTH_KEYS, type HealthCheck, type HealthKey } from '../model/health.ts';
import type { Origin } from '../model/origin.ts';
import { valueError, type SectionReader } from './config-source.ts';
import type { Layers } from './expansions.ts';

/** Docker's and Consul's usual numbers; the seed's check runs every 10 s. */
const DEFAULTS = { interval: 10, timeout: 3, retries: 3, start_period: 0 };

const SECONDS = /^[0-9]+$/;

export function readHealth(r: SectionReader, layers: Layers): HealthCheck | undefined {
  const get = (k: HealthKey): string | undefined => r.getWith(k, layers)?.trim();
  const tcp = get('health_tcp');
  const http = get('health_http');
  const origins: Partial<Record<HealthKey, Origin>> = {};
  for (const k of HEALTH_KEYS) {
    if (r.has(k)) origins[k] = r.origin(k);
  }
  if (tcp === undefined && http === undefined) {
    const stray = Object.keys(origins)[0] as HealthKey | undefined;
    if (stray === undefined) return undefined;
    throw valueError('needs health_tcp or health_http: there is no check to time', origins[stray]!);
  }
  if (tcp !== undefined && http !== undefined) {
    throw valueError(
      'a program has one check: health_tcp or health_http, not both',
      origins.health_http!,
    );
  }
  const num = (k: HealthKey, dflt: number, min: number): number => {
    const v = get(k);
    if (v === undefined) return dflt;
    const n = SECONDS.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= 86400)) {
      throw valueError(`${JSON.stringify(v)}: a whole number from ${min} to 86400`, origins[k]!);
    }
    return n;
  };
  const times = {
    interval: num('health_interval', DEFAULTS.interval, 1),
    timeout: num('health_timeout', DEFAULTS.timeout, 1),
    retries: num('health_retries', DEFAULTS.retries, 1),
    start_period: num('health_start_period', DEFAULTS.start_period, 0),
  };
  if (tcp !== undefined) {
    const { host, port } = hostPort(tcp, origins.health_tcp!);
    return { type: 'tcp', host, port, ...times, origins };
  }
  return { type: 'http', ...httpTarget(http!, origins.health_http!), ...times, origins };
}

function portOf(s: string, whole: string, where: Origin): number {
  const n = /^[0-9]{1,5}$/.test(s) ? Number(s) : 0;
  if (n < 1 || n > 65535) {
    throw valueError(`${JSON.stringify(whole)}: the port must be 1 to 65535`, where);
  }
  return n;
}

/** `host:port` or `[v6]:port`; the host may not be empty (say 127.0.0.1). */
function hostPort(s: string, where: Origin): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/]+)):([^:]*)$/.exec(s);
  if (m === null) {
    throw valueError(`${JSON.stringify(s)}: expected HOST:PORT, e.g. 127.0.0.1:8000`, where);
  }
  return { host: (m[1] ?? m[2])!, port: portOf(m[3]!, s, where) };
}

function httpTarget(
  s: string,
  where: Origin,
): { host: string; port: number; url: string; scheme: 'http' | 'https'; path: string } {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw valueError(`${JSON.stringify(s)}: expected an http:// or https:// URL`, where);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw valueError(`${JSON.stringify(s)}: expected an http:// or https:// URL`, where);
  }
  if (u.username !== '' || u.password !== '' || u.hash !== '') {
    throw valueError(`${JSON.stringify(s)}: no user, password or #fragment in a health URL`, where);
  }
  if (/[\s"'`$\\]/.test(s)) {
    // the URL goes into compose's probe command and systemd's ExecStartPost=: refuse what would need quoting there
    throw valueError(`${JSON.stringify(s)}: no spaces, quotes, $ or \\ in a health URL`, where);
  }
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port === '' ? (scheme === 'https' ? 443 : 80) : Number(u.port);
  return { host, port, url: s, scheme, path: `${u.pathname}${u.search}` };
}
