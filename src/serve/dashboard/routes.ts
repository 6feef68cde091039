/**
 * The dashboard's HTTP routes, behind serve's Basic auth like every path:
 * GET `/` (the page), GET `/dashboard/events` (server-sent events: the
 * history once, then one snapshot per sample), POST `/dashboard/action`
 * (start/stop/restart with a CSRF token; 303 back to `/` for a plain form,
 * JSON for the script). Nothing changes state on GET.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend, ProcessStatus } from '../../control/types.ts';
import type { RpcContext } from '../rpc-methods.ts';
import { runAction, VERBS, type ActionOutcome, type DashboardVerb } from './actions.ts';
import { Csrf } from './csrf.ts';
import { Feed } from './feed.ts';
import { renderPage } from './page.ts';

/** Action bodies are a few short fields. */
const MAX_FORM = 16 * 1024;

interface DashboardOptions {
  rpc: RpcContext;
  backendOf: (p: ProcessStatus) => string;
  readBody: (req: IncomingMessage, max: number) => Promise<string>;
  intervalMs?: number | undefined;
}

interface Dashboard {
  /** The request's answer (the label for serve's log line), or null when the path is not the dashboard's. */
  route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string | null>;
}

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function text(res: ServerResponse, code: number, body: string, headers = {}): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function wantsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

function answer(req: IncomingMessage, res: ServerResponse, code: number, o: ActionOutcome): void {
  if (wantsJson(req)) {
    const body = JSON.stringify(o);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  } else if (code === 200) {
    // post/redirect/get: a reload does not repeat the action
    const q = new URLSearchParams({ [o.ok ? 'ok' : 'err']: o.message });
    res.writeHead(303, { Location: `/?${q.toString()}`, 'Content-Length': 0 });
    res.end();
  } else {
    text(res, code, `${o.message}\n`);
  }
}

export function createDashboard(backend: Backend, o: DashboardOptions): Dashboard {
  const csrf = new Csrf();
  const feed = new Feed(backend, { backendOf: o.backendOf, intervalMs: o.intervalMs });

  async function page(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const snap = await feed.current();
    const q = url.searchParams;
    const ok = q.get('ok');
    const err = q.get('err');
    // only the page's own script and style run, should a value ever slip past the escaping
    const nonce = randomBytes(16).toString('base64');
    const body = renderPage({
      nonce,
      rows: snap.rows,
      token: csrf.tokenFor(req.headers.authorization),
      filter: q.get('filter') ?? '',
      notice: err !== null ? { ok: false, text: err } : ok !== null ? { ok: true, text: ok } : null,
      error: snap.error,
    });
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...PAGE_HEADERS,
      'Content-Security-Policy':
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; ` +
        `connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const snap = await feed.current();
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    req.resume();
    const history = Object.fromEntries(
      snap.rows.map((r) => [r.namespec, feed.historyOf(r.namespec)]),
    );
    // the first snapshot's points are already in the history
    res.write(
      `retry: 3000\n\nevent: history\ndata: ${JSON.stringify(history)}\n\n` +
        `event: snapshot\ndata: ${JSON.stringify({ ...snap, points: {} })}\n\n`,
    );
    const stop = feed.subscribe((s) => {
      res.write(`event: snapshot\ndata: ${JSON.stringify(s)}\n\n`);
    });
    res.on('close', stop);
  }

  async function action(req: IncomingMessage, res: ServerResponse): Promise<string> {
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await o.readBody(req, MAX_FORM));
    } catch {
      answer(req, res, 413, { ok: false, message: 'form too large' });
      return '-';
    }
    if (!csrf.valid(req.headers.authorization, form.get('csrf'))) {
      answer(req, res, 403, {
        ok: false,
        message: 'missing or stale CSRF token: reload the page and try again',
      });
      return 'csrf';
    }
    const verb = form.get('action') ?? '';
    const target = form.get('target') ?? '';
    if (!(VERBS as readonly string[]).includes(verb) || target === '') {
      answer(req, res, 400, {
        ok: false,
        message: `action: one of ${VERBS.join(', ')}, with a target (NAME, GROUP:*, all)`,
      });
      return '-';
    }
    const r = await runAction(o.rpc, verb as DashboardVerb, target);
    // the pages watching see the outcome at once, not at the next tick
    void feed.sample().catch(() => undefined);
    answer(req, res, 200, r);
    return `${verb} ${target}`;
  }

  return {
    async route(req, res, url) {
      const path = url.pathname;
      const method = req.method ?? 'GET';
      const get = method === 'GET' || method === 'HEAD';
      if (path === '/' || path === '/index.html' || path === '/dashboard/events') {
        if (!get) {
          req.resume();
          text(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
          return '-';
        }
        if (path === '/dashboard/events') await events(req, res);
        else await page(req, res, url);
        return '-';
      }
      if (path === '/dashboard/action') {
        if (method !== 'POST') {
          req.resume();
          text(res, 405, 'Method Not Allowed: actions are POSTs\n', { Allow: 'POST' });
          return '-';
        }
        return action(req, res);
      }
      return null;
    },
  };
}
