/**
 * The probes and the runner against real local servers: a TCP listener and
 * an HTTP server whose answer the test switches; a server that starts
 * failing turns the process unhealthy only after `retries` failures.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { ProcessStatus } from '../../src/control/types.ts';
import { HealthRunner } from '../../src/health/runner.ts';
import { probeRunning } from '../../src/health/once.ts';
import { probe } from '../../src/health/probe.ts';
import { afterProbe, healthWords, INITIAL } from '../../src/health/state.ts';
import type { HealthCheck } from '../../src/model/health.ts';

const check = (over: Partial<HealthCheck>): HealthCheck => ({
  type: 'tcp',
  host: '127.0.0.1',
  port: 1,
  interval: 1,
  timeout: 2,
  retries: 2,
  start_period: 0,
  origins: {},
  ...over,
});

function listen(s: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)),
  );
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

function status(namespec: string, state: ProcessStatus['state']): ProcessStatus {
  return {
    group: namespec,
    name: namespec,
    namespec,
    project: 'p',
    state,
    description: state === 'RUNNING' ? 'pid 1, uptime 0:00:01' : 'Not started',
    pid: state === 'RUNNING' ? 1 : null,
    startedAt: Date.now() - 1000,
    stoppedAt: null,
    exitStatus: null,
    restarts: 0,
    cpuNsec: null,
    memoryBytes: null,
    ref: namespec,
  };
}

void test('tcp: a listener answers connected; a closed port is connection refused', async (t) => {
  const srv = createTcpServer((sock) => sock.end());
  const port = await listen(srv);
  t.after(() => srv.close());
  assert.deepEqual(await probe(check({ port })), { ok: true, message: 'connected' });
  assert.deepEqual(await probe(check({ port: await closedPort() })), {
    ok: false,
    message: 'connection refused',
  });
});

void test('http: 2xx and 3xx pass, 5xx fails, a silent server times out', async (t) => {
  let code = 200;
  const srv = createHttpServer((req, res) => {
    if (req.url === '/silent') return; // never answers
    res.writeHead(code, { Location: '/' }).end();
  });
  const port = await listen(srv);
  t.after(() => {
    srv.closeAllConnections();
    srv.close();
  });
  const h = (path: string, timeout = 2) =>
    check({ type: 'http', port, url: `http://127.0.0.1:${port}${path}`, path, timeout });
  assert.deepEqual(await probe(h('/healthz')), { ok: true, message: 'HTTP 200' });
  code = 302;
  assert.deepEqual(await probe(h('/healthz')), { ok: true, message: 'HTTP 302' });
  code = 503;
  assert.deepEqual(await probe(h('/healthz')), { ok: false, message: 'HTTP 503' });
  assert.deepEqual(await probe(h('/silent', 1)), { ok: false, message: 'no answer within 1s' });
});

void test('counting: retries failures in a row make it unhealthy; the start period forgives', () => {
  const fail = { ok: false, message: 'connection refused' };
  const ok = { ok: true, message: 'connected' };
  const h = { retries: 3 };
  let s = afterProbe(INITIAL, fail, h, false);
  assert.equal(s.status, 'starting');
  s = afterProbe(afterProbe(s, fail, h, false), fail, h, false);
  assert.equal(s.status, 'unhealthy');
  assert.equal(healthWords(s), 'unhealthy: connection refused');
  assert.equal(afterProbe(s, ok, h, false).status, 'healthy');
  const early = [1, 2, 3, 4].reduce((x) => afterProbe(x, fail, h, true), INITIAL);
  assert.deepEqual([early.status, early.failures], ['starting', 0]);
});

void test('runner: a healthy server that starts failing flips after retries, only while RUNNING', async (t) => {
  let healthy = true;
  const srv = createHttpServer((_req, res) => res.writeHead(healthy ? 204 : 500).end());
  const port = await listen(srv);
  t.after(() => {
    srv.closeAllConnections();
    srv.close();
  });
  let state: ProcessStatus['state'] = 'RUNNING';
  const w = {
    namespec: 'web',
    check: check({ type: 'http', port, url: `http://127.0.0.1:${port}/`, path: '/', retries: 3 }),
  };
  // tick() is driven by hand: the rules, not the clock, are under test here
  let now = Date.now();
  const runner = new HealthRunner([w], () => Promise.resolve([status('web', state)]), {
    now: () => (now += 2000),
  });
  assert.equal(runner.state('web')?.status, 'starting');
  assert.equal(runner.state('other'), undefined);
  assert.equal((await runner.tick(w)).status, 'healthy');
  healthy = false;
  assert.equal((await runner.tick(w)).status, 'healthy');
  assert.equal((await runner.tick(w)).status, 'healthy');
  const third = await runner.tick(w);
  assert.deepEqual([third.status, third.message], ['unhealthy', 'HTTP 500']);
  state = 'STOPPED';
  assert.deepEqual(await runner.tick(w), {
    status: 'inactive',
    message: 'not running (STOPPED)',
    failures: 0,
  });
});

void test('runner.start probes on its own interval until stop', async (t) => {
  const srv = createTcpServer((sock) => sock.end());
  const port = await listen(srv);
  t.after(() => srv.close());
  const w = { namespec: 'db', check: check({ port }) };
  const runner = new HealthRunner([w], () => Promise.resolve([status('db', 'RUNNING')]));
  runner.start();
  t.after(() => runner.stop());
  const deadline = Date.now() + 30_000;
  while (runner.state('db')?.status !== 'healthy') {
    assert.ok(Date.now() < deadline, `still ${JSON.stringify(runner.state('db'))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

void test('status: one probe per RUNNING process with a check, together', async (t) => {
  const srv = createTcpServer((sock) => sock.end());
  const port = await listen(srv);
  t.after(() => srv.close());
  const refused = await closedPort();
  const m = await probeRunning(
    [
      status('a', 'RUNNING'),
      status('b', 'RUNNING'),
      status('c', 'STOPPED'),
      status('d', 'RUNNING'),
    ],
    [
      { namespec: 'a', check: check({ port }) },
      { namespec: 'b', check: check({ port: refused }) },
      { namespec: 'c', check: check({ port }) },
    ],
  );
  assert.deepEqual([...m.keys()].sort(), ['a', 'b']);
  assert.equal(healthWords(m.get('a')!), 'healthy');
  assert.equal(healthWords(m.get('b')!), 'unhealthy: connection refused');
});
