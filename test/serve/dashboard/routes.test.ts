/**
 * The dashboard's routes over an in-memory backend: the page, its escaping,
 * POST-only actions with a CSRF token bound to the credential, the plain
 * form's 303, supervisor's fault texts, no state change on GET, and the
 * server-sent events. test/integration/dashboard-browser.test.ts drives a
 * real browser over real backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { ProcessStatus } from '../../../src/control/types.ts';
import { createServeServer } from '../../../src/serve/server.ts';
import { proc, stubBackend } from '../stub-backend.ts';

type Stub = ReturnType<typeof stubBackend>;

async function withServer(
  ps: ProcessStatus[],
  fn: (base: string, b: Stub) => Promise<void>,
  credentials: { username: string; password: string } | null = { username: 'u', password: 'p' },
): Promise<void> {
  const b = stubBackend(ps);
  const server = createServeServer({
    backend: b,
    credentials,
    log: () => undefined,
    backendName: 'systemd',
    dashboardIntervalMs: 50,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`, b);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const basic = (user: string, pass: string): string =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const auth = { Authorization: basic('u', 'p') };

const three = (): ProcessStatus[] => [
  proc('web', 'web', 'RUNNING'),
  proc('workers', 'w0', 'RUNNING'),
  proc('workers', 'w1', 'STOPPED'),
];

async function tokenOf(base: string, headers: Record<string, string> = auth): Promise<string> {
  const html = await (await fetch(`${base}/`, { headers })).text();
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1]!;
}

function post(base: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}/dashboard/action`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

test('/ lists every process once with its columns, grouped, and action buttons', async () => {
  await withServer(three(), async (base) => {
    const r = await fetch(`${base}/`, { headers: auth });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^text\/html/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(r.headers.get('content-security-policy')!)![1]!;
    const html = await r.text();
    assert.ok(html.includes(`<script nonce="${nonce}">`));
    const specs = [...html.matchAll(/<tr data-namespec="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(specs, ['web', 'workers:w0', 'workers:w1']);
    const w0 = /<tr data-namespec="workers:w0"[^]*?<\/tr>/.exec(html)![0];
    assert.match(w0, /data-col="state"[^>]*>RUNNING</);
    assert.match(w0, /data-col="pid"[^>]*>42</);
    assert.match(w0, /data-col="restarts"[^>]*>2</);
    assert.match(w0, /data-col="cpu"[^>]*>0:00:01\.50</);
    assert.match(w0, /data-col="memory"[^>]*>4\.0K</);
    assert.match(w0, /data-col="health"[^>]*>ready</);
    assert.match(w0, /data-col="backend"[^>]*>systemd</);
    for (const a of ['start', 'stop', 'restart'])
      assert.match(w0, new RegExp(`data-action="${a}"`));
    // a header row with group actions for the real group, none for the lone process
    assert.match(html, /<tr class="grouprow"><th[^>]*>workers <form[^]*?value="workers:\*"/);
    assert.doesNotMatch(html, /value="web:\*"/);
    assert.match(html, /name="target" value="all"/);
  });
});

test('names are HTML-escaped everywhere they appear', async () => {
  const evil = proc('g<x>', `"a'&<script>`, 'RUNNING');
  await withServer([evil], async (base) => {
    const html = await (await fetch(`${base}/`, { headers: auth })).text();
    assert.ok(!html.includes('<script>alert'), 'no raw script');
    assert.ok(!html.includes(`"a'&<script>`));
    assert.ok(!html.includes('g<x>'));
    assert.match(html, /data-namespec="g&lt;x&gt;:&quot;a&#39;&amp;&lt;script&gt;"/);
    // the page's only <script> is its own, and the policy runs only that one
    assert.equal(html.split('<script').length, 2);
  });
});

test('?filter= shows only matching rows (the page without JavaScript)', async () => {
  await withServer(three(), async (base) => {
    const html = await (await fetch(`${base}/?filter=W1`, { headers: auth })).text();
    const specs = [...html.matchAll(/<tr data-namespec="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(specs, ['workers:w1']);
  });
});

test('GET never changes state: actions refuse every method but POST', async () => {
  await withServer(three(), async (base, b) => {
    const token = await tokenOf(base);
    const q = new URLSearchParams({ csrf: token, action: 'stop', target: 'web' });
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const r = await fetch(`${base}/dashboard/action?${q.toString()}`, { method, headers: auth });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'POST');
    }
    const page = await fetch(`${base}/?action=stop&target=web&csrf=${token}`, { headers: auth });
    assert.equal(page.status, 200);
    assert.equal((await fetch(`${base}/`, { method: 'POST', headers: auth })).status, 405);
    assert.deepEqual(b.calls, []);
  });
});

test('a POST without, with a wrong, or with another credential’s CSRF token is refused', async () => {
  await withServer(three(), async (base, b) => {
    const token = await tokenOf(base);
    assert.equal((await post(base, { action: 'stop', target: 'web' })).status, 403);
    const wrong = await post(base, { csrf: `${token.slice(1)}x`, action: 'stop', target: 'web' });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /CSRF token/);
    assert.deepEqual(b.calls, []);
  });
  // bound to the credential: a token served to no-auth is not good for another Authorization
  await withServer(
    three(),
    async (base, b) => {
      const token = await tokenOf(base, {});
      const other = await post(
        base,
        { csrf: token, action: 'stop', target: 'web' },
        {
          Authorization: basic('x', 'y'),
        },
      );
      assert.equal(other.status, 403);
      assert.deepEqual(b.calls, []);
    },
    null,
  );
});

test('a plain form POST acts, then 303 back to / with the outcome shown there', async () => {
  await withServer(three(), async (base, b) => {
    const token = await tokenOf(base);
    const r = await post(base, { csrf: token, action: 'stop', target: 'web' });
    assert.equal(r.status, 303);
    const loc = r.headers.get('location')!;
    assert.equal(loc, '/?ok=web%3A+stopped');
    assert.deepEqual(b.calls, ['stop web']);
    const html = await (await fetch(base + loc, { headers: auth })).text();
    assert.match(html, /<p id="notice" role="status" class="ok">web: stopped<\/p>/);
  });
});

test("errors carry supervisor's fault text; group and all act on their members", async () => {
  await withServer(three(), async (base, b) => {
    const token = await tokenOf(base);
    const json = { Accept: 'application/json' };
    const again = await post(base, { csrf: token, action: 'start', target: 'web' }, json);
    assert.deepEqual(await again.json(), { ok: false, message: 'ALREADY_STARTED: web' });
    const nope = await post(base, { csrf: token, action: 'stop', target: 'nope' }, json);
    assert.deepEqual(await nope.json(), { ok: false, message: 'BAD_NAME: nope' });
    const group = await post(base, { csrf: token, action: 'start', target: 'workers:*' }, json);
    assert.deepEqual(await group.json(), { ok: true, message: 'workers:*: started' });
    assert.deepEqual(b.calls, ['start web', 'start workers:w1']);
    const stopAll = await post(base, { csrf: token, action: 'stop', target: 'all' }, json);
    assert.deepEqual(await stopAll.json(), { ok: true, message: 'all: stopped' });
    const all = await post(base, { csrf: token, action: 'restart', target: 'all' }, json);
    assert.deepEqual(await all.json(), { ok: true, message: 'all: restarted' });
    assert.equal(b.calls.at(-1), 'restart web,workers:w0,workers:w1');
    const bad = await post(base, { csrf: token, action: 'kill', target: 'web' }, json);
    assert.equal(bad.status, 400);
    // plain form, failure: the fault goes to the page as err
    const form = await post(base, { csrf: token, action: 'start', target: 'web' });
    assert.equal(form.headers.get('location'), '/?err=ALREADY_STARTED%3A+web');
  });
});

test('/dashboard/events streams the history, then snapshots with new pids', async () => {
  const ps = three();
  await withServer(ps, async (base) => {
    const ac = new AbortController();
    const r = await fetch(`${base}/dashboard/events`, { headers: auth, signal: ac.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^text\/event-stream/);
    const reader = r.body!.getReader();
    let buf = '';
    const next = async (want: RegExp): Promise<string> => {
      for (;;) {
        const m = want.exec(buf);
        if (m !== null) {
          buf = buf.slice(m.index + m[0].length);
          return m[1]!;
        }
        const c = await reader.read();
        assert.ok(!c.done, 'stream ended');
        buf += Buffer.from(c.value).toString('utf8');
      }
    };
    const history = JSON.parse(await next(/event: history\ndata: (.*)\n\n/)) as Record<
      string,
      unknown[]
    >;
    assert.deepEqual(Object.keys(history), ['web', 'workers:w0', 'workers:w1']);
    const first = JSON.parse(await next(/event: snapshot\ndata: (.*)\n\n/)) as {
      rows: { pid: string }[];
    };
    assert.equal(first.rows[0]!.pid, '42');
    ps[0]!.pid = 4242;
    const later = await next(/event: snapshot\ndata: (.*"pid":"4242".*)\n\n/);
    assert.match(later, /"points":\{"web":\{"t":\d+/);
    ac.abort();
  });
});

test('the dashboard sits behind the same Basic auth: 401 on /, events and actions', async () => {
  await withServer(three(), async (base, b) => {
    for (const path of ['/', '/dashboard/events']) {
      const r = await fetch(base + path);
      assert.equal(r.status, 401, path);
      assert.equal(r.headers.get('www-authenticate'), 'Basic realm="default"');
    }
    const r = await fetch(`${base}/dashboard/action`, {
      method: 'POST',
      body: 'action=stop&target=web',
    });
    assert.equal(r.status, 401);
    assert.deepEqual(b.calls, []);
  });
});
