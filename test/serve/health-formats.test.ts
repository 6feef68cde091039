import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import {
  checkDetails,
  renderHealthConsole,
  renderHealthJson,
} from '../../src/serve/health-formats.ts';
import { createServeServer } from '../../src/serve/server.ts';
import { proc, stubBackend } from './stub-backend.ts';

const ps = [proc('web', 'web', 'RUNNING'), proc('g', 'w', 'FATAL')];
const checks = [
  { name: 'web', ok: true },
  { name: 'g:w', ok: false },
];

test('json: one entry per check with namespace, name, status, value, message, suggestion', () => {
  const r = renderHealthJson(checkDetails(checks, ps, []));
  assert.equal(r.status, 500);
  assert.deepEqual(JSON.parse(r.body), {
    status: 'failed',
    checks: [
      {
        namespace: 'web',
        name: 'web',
        status: 'ok',
        value: 'RUNNING',
        message: 'pid 42, uptime 0:00:05',
        suggestion: '',
      },
      {
        namespace: 'g',
        name: 'w',
        status: 'failed',
        value: 'FATAL',
        message: 'Not started',
        suggestion: 'read its output (supervisorctl tail g:w stderr), fix, then start it',
      },
    ],
  });
  const excluded = renderHealthJson(checkDetails(checks, ps, ['g:w']));
  assert.equal(excluded.status, 200);
  assert.equal((JSON.parse(excluded.body) as { status: string }).status, 'ok');
});

test("serve's own checks (no process) are in namespace serve", () => {
  assert.deepEqual(checkDetails([{ name: 'backend', ok: false }], [], []), [
    {
      namespace: 'serve',
      name: 'backend',
      status: 'failed',
      value: 'failed',
      message: 'backend does not answer',
      suggestion: 'check the backend',
    },
  ]);
});

test('console: coloured lines, none without colour', () => {
  const ds = checkDetails(checks, ps, []);
  const plain = renderHealthConsole(ds, false);
  assert.equal(plain.status, 500);
  assert.equal(
    plain.body,
    '[+] web/web RUNNING: pid 42, uptime 0:00:05\n' +
      '[-] g/w FATAL: Not started → read its output (supervisorctl tail g:w stderr), fix, then start it\n' +
      'healthz check failed\n',
  );
  const ESC = '\x1b';
  assert.ok(!plain.body.includes(ESC));
  const coloured = renderHealthConsole(ds, true).body.split('\n');
  assert.ok(coloured[0]!.startsWith(`${ESC}[32m[+] web/web RUNNING`), coloured[0]);
  assert.ok(coloured[0]!.endsWith(`${ESC}[0m`), coloured[0]);
  assert.ok(coloured[1]!.startsWith(`${ESC}[31m[-] g/w FATAL`), coloured[1]);
});

async function get(color: boolean | undefined, path: string): Promise<Response> {
  const server = createServeServer({
    backend: stubBackend([proc('web', 'web', 'RUNNING'), proc('g', 'w', 'STOPPED')]),
    credentials: null,
    log: () => {},
    ...(color === undefined ? {} : { color }),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const r = await fetch(`http://127.0.0.1:${port}${path}`);
    await r.clone().text();
    return r;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('?format= on /healthz, /readyz/NAME and /livez; an unknown format is a 400', async () => {
  const json = await get(undefined, '/healthz?format=json');
  assert.equal(json.status, 500);
  assert.equal(json.headers.get('content-type'), 'application/json');
  const body = (await json.json()) as { checks: { name: string; suggestion: string }[] };
  assert.deepEqual(
    body.checks.map((c) => [c.name, c.suggestion]),
    [
      ['web', ''],
      ['w', 'supervisorctl start g:w'],
    ],
  );
  const one = await get(false, '/readyz/web?format=console');
  assert.equal(one.status, 200);
  assert.equal(
    await one.text(),
    '[+] web/web RUNNING: pid 42, uptime 0:00:05\nhealthz check passed\n',
  );
  const live = await (await get(true, '/livez?format=console')).text();
  assert.ok(live.startsWith('\x1b[32m[+] serve/backend ok'), live);
  assert.equal(
    await (await get(undefined, '/healthz?format=k8s')).text(),
    '[+]web ok\n[-]g:w failed: reason withheld\nhealthz check failed\n',
  );
  const bad = await get(undefined, '/healthz?format=xml');
  assert.equal(bad.status, 400);
});
