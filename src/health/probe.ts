/**
 * One probe of a health check: a TCP connect, or an HTTP GET that must
 * answer 2xx or 3xx (Docker's and Kubernetes' rule), bounded by the
 * check's timeout. Never throws: a failure is a result with its reason.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheck } from '../model/health.ts';

export interface ProbeResult {
  ok: boolean;
  /** `connected`, `HTTP 200`, `connection refused`, `HTTP 503`, `no answer within 3s`, ... */
  message: string;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

function reason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code in REASONS) return REASONS[code]!;
  return err instanceof Error ? err.message : String(err);
}

export function probe(h: HealthCheck): Promise<ProbeResult> {
  return h.type === 'tcp' ? probeTcp(h) : probeHttp(h);
}

function probeTcp(h: HealthCheck): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ host: h.host, port: h.port });
    const done = (r: ProbeResult): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, message: `no answer within ${h.timeout}s` }),
      h.timeout * 1000,
    );
    sock.once('connect', () => done({ ok: true, message: 'connected' }));
    sock.once('error', (err) => done({ ok: false, message: reason(err) }));
  });
}

function probeHttp(h: HealthCheck): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const request = h.scheme === 'https' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = request(
      {
        host: h.host,
        port: h.port,
        path: h.path ?? '/',
        method: 'GET',
        headers: { 'User-Agent': 'supctl-health', Connection: 'close' },
        // as Kubernetes' httpGet: a probe checks that it answers, not who it is
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        done({ ok: code >= 200 && code < 400, message: `HTTP ${code}` });
      },
    );
    const timer = setTimeout(
      () => done({ ok: false, message: `no answer within ${h.timeout}s` }),
      h.timeout * 1000,
    );
    req.once('error', (err) => done({ ok: false, message: reason(err) }));
    req.end();
  });
}
