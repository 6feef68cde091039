import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServeServer, MAX_BODY } from '../../src/serve/server.ts';
import { encodeCall } from '../../src/xmlrpc/encode.ts';
import { proc, stubBackend } from './stub-backend.ts';

async function withServer(fn: (base: string, lines: string[]) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const server = createServeServer({
    backend: stubBackend([proc('web', 'web', 'RUNNING'), proc('m', 'manual', 'STOPPED')]),
    credentials: { username: 'u', password: 'p' },
    log: (l) => lines.push(l),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`, lines);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const auth = { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };

test('401 with realm default without or with wrong credentials, on every path', async () => {
  await withServer(async (base) => {
    for (const path of ['/RPC2', '/metrics', '/healthz', '/logtail/web', '/nope']) {
      const r = await fetch(base + path);
      assert.equal(r.status, 401, path);
      assert.equal(r.headers.get('www-authenticate'), 'Basic realm="default"');
    }
    const wrong = await fetch(`${base}/metrics`, {
      headers: { Authorization: `Basic ${Buffer.from('u:x').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
  });
});

test('RPC2, health, metrics, unknown paths, oversized bodies; one log line per request', async () => {
  await withServer(async (base, lines) => {
    const rpc = await fetch(`${base}/RPC2`, {
      method: 'POST',
      headers: auth,
      body: encodeCall('supervisor.getVersion'),
    });
    assert.equal(rpc.status, 200);
    assert.match(await rpc.text(), /<string>3\.0<\/string>/);
    const big = await fetch(`${base}/RPC2`, {
      method: 'POST',
      headers: auth,
      body: 'x'.repeat(MAX_BODY + 10),
    });
    assert.equal(big.status, 413);
    assert.equal((await fetch(`${base}/nope`, { headers: auth })).status, 404);
    const ready = await fetch(`${base}/readyz?verbose`, { headers: auth });
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), '[+]web ok\nhealthz check passed\n');
    assert.equal((await fetch(`${base}/readyz/nope`, { headers: auth })).status, 404);
    const m = await fetch(`${base}/metrics`, { headers: auth });
    assert.match(await m.text(), /node_supervisord_up\{group="web",name="web"\} 1/);
    const tail = await fetch(`${base}/logtail/web/stdout`, { headers: auth });
    assert.equal(await tail.text(), 'hello\nworld\n');
    assert.ok(lines.length >= 7, lines.join('\n'));
  });
});
