/**
 * The HTTP side of `supctl serve`: Basic auth on every path when
 * configured, /RPC2, /logtail, health, /metrics and the dashboard at `/`. Reads
 * answer from the backend given, which for systemd and Docker is the
 * in-memory state store (src/serve/state/). Never prints: one line per
 * request goes to `log`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Backend, ProcessStatus } from '../control/types.ts';
import type { Deployment } from '../model/deployment.ts';
import { authorized, REALM, type Credentials } from './auth.ts';
import {
  readinessChecks,
  renderHealth,
  selectChecks,
  type Check,
  type HealthLookup,
} from './health.ts';
import {
  checkDetails,
  HEALTH_FORMATS,
  renderHealthConsole,
  renderHealthJson,
  type HealthFormat,
} from './health-formats.ts';
import { renderHealthMetrics } from './health-metrics.ts';
import { renderMetrics } from './metrics.ts';
import { handleRpc } from './rpc.ts';
import { createDashboard } from './dashboard/routes.ts';
import { StackBackend } from '../control/stack/index.ts';

/** Bodies beyond this are refused with 413. */
export const MAX_BODY = 1024 * 1024;

interface ServeOptions {
  backend: Backend;
  credentials: Credentials | null;
  reload?: (() => Deployment) | undefined;
  /** Why the backend cannot be reached now (null: it can); from the state store. */
  unreachable?: (() => string | null) | undefined;
  /** One line per request. */
  log: (line: string) => void;
  /** Bytes of the log a /logtail starts with. */
  logtailBytes?: number;
  /** ANSI colours in /healthz?format=console; default: unless NO_COLOR is set (no-color.org). */
  color?: boolean;
  /** The declared health checks' states (src/health/runner.ts), for /readyz, /healthz and /metrics. */
  health?: HealthLookup | undefined;
  /** The dashboard's BACKEND column when the backend is not a stack (which knows per process). */
  backendName?: string;
  /** How often the dashboard samples while a page watches. */
  dashboardIntervalMs?: number;
}

/** The one rejection readBody gives for a body over MAX_BODY. */
const TOO_LARGE = new Error('request body too large');

function readBody(req: IncomingMessage, max = MAX_BODY): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(TOO_LARGE);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const ERROR_PAGE = (code: number, message: string): string =>
  `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${code}.\r\n<p>Message: ${message}.\r\n</body>\r\n`;

const MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
};

function sendError(res: ServerResponse, code: number, headers: Record<string, string> = {}): void {
  const body = ERROR_PAGE(code, MESSAGES[code] ?? 'Error');
  res.writeHead(code, {
    'Content-Type': 'text/html',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function send(res: ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function createServeServer(o: ServeOptions): Server {
  const rpc = { backend: o.backend, reload: o.reload, pid: process.pid };
  const color = o.color ?? (process.env['NO_COLOR'] ?? '') === '';
  const b = o.backend;
  const dashboard = createDashboard(b, {
    rpc,
    readBody,
    intervalMs: o.dashboardIntervalMs,
    backendOf: (p) =>
      (b instanceof StackBackend ? b.memberOf(p)?.name : undefined) ?? o.backendName ?? '',
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const path = url.pathname;
    if (path.startsWith('/RPC2')) {
      if (req.method !== 'POST') {
        sendError(res, 405);
        return '-';
      }
      let body: string;
      try {
        body = await readBody(req);
      } catch (err) {
        sendError(res, err === TOO_LARGE ? 413 : 400, { Connection: 'close' });
        return '-';
      }
      const r = await handleRpc(rpc, body);
      if (r.status === 400) sendError(res, 400);
      else send(res, 200, 'text/xml', r.xml);
      return r.method;
    }
    if (path.startsWith('/logtail/')) {
      await logtail(req, res, path.slice('/logtail/'.length));
      return '-';
    }
    const health = /^\/(livez|readyz|healthz)(?:\/(.+))?$/.exec(path);
    if (health !== null) {
      await healthz(res, url, health[1]!, health[2]);
      return '-';
    }
    if (path === '/metrics') {
      const ps = await o.backend.list({ detail: true });
      const health = o.health === undefined ? '' : renderHealthMetrics(ps, o.health);
      send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderMetrics(ps) + health);
      return '-';
    }
    const dash = await dashboard.route(req, res, url);
    if (dash !== null) return dash;
    if (path === '/ok.html') {
      send(res, 200, 'text/html', 'OK');
      return '-';
    }
    sendError(res, 404);
    return '-';
  }

  async function logtail(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    let spec: string;
    let channel: 'stdout' | 'stderr' = 'stdout';
    try {
      const parts = rest.split('/').map(decodeURIComponent);
      spec = parts[0]!;
      if (parts[1] === 'stderr') channel = 'stderr';
      else if (parts[1] !== undefined && parts[1] !== 'stdout' && parts[1] !== '')
        throw new Error('channel');
      if (parts.length > 2) throw new Error('path');
    } catch {
      sendError(res, 404);
      return;
    }
    const target = (await o.backend.list()).find(
      (p) => p.namespec === spec || `${p.group}:${p.name}` === spec,
    );
    if (target === undefined) {
      sendError(res, 404);
      return;
    }
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    res.writeHead(200, {
      'Content-Type': 'text/plain;charset=utf-8',
      'X-Accel-Buffering': 'no',
      'Cache-Control': 'no-cache',
    });
    req.resume();
    try {
      await o.backend.logs(
        target,
        { channel, follow: true, bytes: o.logtailBytes ?? 1024, signal: ac.signal },
        (c) => {
          res.write(c);
        },
      );
    } finally {
      res.end();
    }
  }

  async function healthz(
    res: ServerResponse,
    url: URL,
    kind: string,
    name: string | undefined,
  ): Promise<void> {
    const verbose = url.searchParams.has('verbose');
    const exclude = url.searchParams.getAll('exclude');
    const format = (url.searchParams.get('format') ?? 'k8s') as HealthFormat;
    if (!HEALTH_FORMATS.includes(format)) {
      send(res, 400, 'text/plain; charset=utf-8', `format: one of ${HEALTH_FORMATS.join(', ')}\n`);
      return;
    }
    const answer = (checks: Check[], ps: ProcessStatus[]): void => {
      if (format === 'k8s') {
        const r = renderHealth(checks, verbose, exclude);
        send(res, r.status, 'text/plain; charset=utf-8', r.body);
        return;
      }
      const ds = checkDetails(checks, ps, exclude);
      if (format === 'json') {
        const r = renderHealthJson(ds);
        send(res, r.status, 'application/json', r.body);
      } else {
        const r = renderHealthConsole(ds, color);
        send(res, r.status, 'text/plain; charset=utf-8', r.body);
      }
    };
    if (kind === 'livez') {
      // alive = this server answers and its backend answers
      let ok = (o.unreachable?.() ?? null) === null;
      try {
        await o.backend.list();
      } catch {
        ok = false;
      }
      answer([{ name: 'backend', ok }], []);
      return;
    }
    const [ps, avail] = await Promise.all([o.backend.list(), o.backend.avail()]);
    const autostart = new Set(avail.filter((a) => a.autostart).map((a) => a.namespec));
    let checks = readinessChecks(ps, autostart, o.health);
    if (name !== undefined) {
      const sel = selectChecks(checks, ps, decodeURIComponent(name));
      if (sel === null) {
        send(res, 404, 'text/plain; charset=utf-8', `no process or group ${name}\n`);
        return;
      }
      checks = sel;
    }
    answer(checks, ps);
  }

  return createServer((req, res) => {
    const started = Date.now();
    let what = '-';
    const done = (): void => {
      o.log(
        `${req.socket.remoteAddress ?? 'unix'} ${req.method ?? '-'} ${req.url ?? '-'} ${what} ${res.statusCode} ${Date.now() - started}ms`,
      );
    };
    res.on('close', done);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400);
      return;
    }
    if (o.credentials !== null && !authorized(req.headers.authorization, o.credentials)) {
      req.resume();
      sendError(res, 401, { 'WWW-Authenticate': `Basic realm="${REALM}"`, Connection: 'close' });
      return;
    }
    route(req, res, url).then(
      (m) => {
        what = m;
      },
      (err: unknown) => {
        what = err instanceof Error ? err.message.split('\n')[0]! : 'error';
        if (!res.headersSent) sendError(res, 500);
        else res.end();
      },
    );
  });
}
