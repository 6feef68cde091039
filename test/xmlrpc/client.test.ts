/**
 * The client's transport against a local HTTP server (not supervisord: the
 * integration test does that) whose misbehaviour we choose: unix socket and
 * TCP, Basic auth, non-200 answers, garbage bodies, silence (the deadline).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { XmlRpcClient } from '../../src/xmlrpc/client.ts';
import { decodeCall } from '../../src/xmlrpc/decode.ts';
import { encodeFault, encodeResponse } from '../../src/xmlrpc/encode.ts';
import { parseServerUrl } from '../../src/xmlrpc/transport.ts';
import { XmlRpcError, XmlRpcFault } from '../../src/xmlrpc/types.ts';

let dir: string;
let sock: string;
let port: number;
const servers: http.Server[] = [];
const seen: { url: string; auth: string | undefined }[] = [];

/** Echoes the params back; the method name picks a misbehaviour. */
const handler: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    const call = decodeCall(Buffer.concat(chunks).toString('utf8'));
    switch (call.methodName) {
      case 'fault':
        res.end(encodeFault(10, 'BAD_NAME: x'));
        return;
      case 'garbage':
        res.end('<html><title>oops</title>');
        return;
      case 'status401':
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="default"' }).end('no');
        return;
      case 'silence':
        return; // never answers
      case 'slowbody':
        res.write('<?xml version="1.0"?><methodResponse>');
        return; // the body never ends
      default:
        res.end(encodeResponse(call.params));
    }
  });
};

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'supctl-xmlrpc-'));
  sock = path.join(dir, 's.sock');
  const a = http.createServer(handler);
  const b = http.createServer(handler);
  servers.push(a, b);
  await new Promise<void>((r) => a.listen(sock, r));
  await new Promise<void>((r) => b.listen(0, '127.0.0.1', r));
  port = (b.address() as { port: number }).port;
});
after(() => {
  for (const s of servers) s.closeAllConnections();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

test('server URLs: unix://, http://, nothing else', () => {
  assert.deepEqual(parseServerUrl('unix:///run/supervisor.sock'), {
    socketPath: '/run/supervisor.sock',
  });
  assert.deepEqual(parseServerUrl('http://localhost:9001'), { host: 'localhost', port: 9001 });
  assert.deepEqual(parseServerUrl('http://[::1]/x'), { host: '::1', port: 80 });
  for (const bad of ['unix://', 'https://x:1', 'ftp://x', 'localhost:9001']) {
    assert.throws(
      () => parseServerUrl(bad),
      (e: unknown) => e instanceof XmlRpcError && e.code === 'URL',
      bad,
    );
  }
});

test('a call over the unix socket and over TCP with Basic auth, POST /RPC2', async () => {
  const u = new XmlRpcClient({ url: `unix://${sock}` });
  assert.deepEqual(await u.call('echo', ['a<b', 1, [true]]), ['a<b', 1, [true]]);
  const t = new XmlRpcClient({
    url: `http://127.0.0.1:${port}/ignored`,
    username: 'alice',
    password: 'pä:ss',
  });
  assert.deepEqual(await t.call('echo', [{ k: null }]), [{ k: null }]);
  assert.equal(seen.at(-1)?.url, '/RPC2');
  assert.equal(seen.at(-1)?.auth, `Basic ${Buffer.from('alice:pä:ss', 'utf8').toString('base64')}`);
});

test('faults, HTTP errors, garbage, silence, no server', async () => {
  const c = new XmlRpcClient({ url: `unix://${sock}`, timeoutMs: 300 });
  await assert.rejects(
    c.call('fault'),
    (e: unknown) =>
      e instanceof XmlRpcFault && e.faultCode === 10 && e.faultString === 'BAD_NAME: x',
  );
  await assert.rejects(
    c.call('status401'),
    (e: unknown) => e instanceof XmlRpcError && e.code === 'HTTP' && e.status === 401,
  );
  await assert.rejects(
    c.call('garbage'),
    (e: unknown) => e instanceof XmlRpcError && e.code === 'PARSE',
  );
  for (const m of ['silence', 'slowbody']) {
    const t0 = Date.now();
    await assert.rejects(
      c.call(m),
      (e: unknown) => e instanceof XmlRpcError && e.code === 'TIMEOUT',
      m,
    );
    assert.ok(Date.now() - t0 < 2_000, `${m}: the deadline holds`);
  }
  const gone = new XmlRpcClient({ url: `unix://${dir}/none.sock` });
  await assert.rejects(gone.call('x'), (e: unknown) => {
    assert.ok(e instanceof XmlRpcError && e.code === 'UNREACHABLE');
    assert.equal((e.cause as NodeJS.ErrnoException).code, 'ENOENT');
    return true;
  });
  await assert.rejects(
    new XmlRpcClient({ url: 'http://127.0.0.1:1' }).call('x'),
    (e: unknown) => e instanceof XmlRpcError && e.code === 'UNREACHABLE',
  );
  await assert.rejects(
    c.call('echo', [2n ** 40n]),
    (e: unknown) => e instanceof XmlRpcError && e.code === 'ENCODE',
  );
});
