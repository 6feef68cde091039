/**
 * serve with declared health checks: /readyz, /readyz/NAME, /healthz in
 * every format and /metrics over a stub backend, with the check states a
 * runner would hold (test/health has the runner itself;
 * test/integration/health.test.ts runs it under systemd).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { HealthState } from '../../src/health/state.ts';
import { readinessChecks } from '../../src/serve/health.ts';
import { checkDetails } from '../../src/serve/health-formats.ts';
import { renderHealthMetrics } from '../../src/serve/health-metrics.ts';
import { createServeServer } from '../../src/serve/server.ts';
import { proc, stubBackend } from './stub-backend.ts';

const states = new Map<string, HealthState>([
  ['web', { status: 'healthy', message: 'connected', failures: 0 }],
  ['api', { status: 'unhealthy', message: 'connection refused', failures: 3 }],
]);
const lookup = (ns: string) => states.get(ns);

void test('readiness: RUNNING and, with a check, passing it; the reason goes to the json message', () => {
  const ps = [
    proc('web', 'web', 'RUNNING'),
    proc('api', 'api', 'RUNNING'),
    proc('x', 'x', 'RUNNING'),
  ];
  const checks = readinessChecks(ps, new Set(['web', 'api', 'x']), lookup);
  assert.deepEqual(
    checks.map((c) => [c.name, c.ok]),
    [
      ['web', true],
      ['api', false],
      ['x', true],
    ],
  );
  const [web, api, x] = checkDetails(checks, ps, []);
  assert.equal(web!.message, 'pid 42, uptime 0:00:05, healthy');
  assert.equal(api!.message, 'pid 42, uptime 0:00:05, unhealthy: connection refused');
  assert.match(api!.suggestion, /health check.*supervisorctl restart api/);
  assert.equal(x!.message, 'pid 42, uptime 0:00:05');
});

void test('metrics: a supctl_process_healthy gauge for each process with a check', () => {
  const text = renderHealthMetrics(
    [proc('web', 'web', 'RUNNING'), proc('api', 'api', 'RUNNING'), proc('x', 'x', 'RUNNING')],
    lookup,
  );
  assert.match(text, /^# TYPE supctl_process_healthy gauge$/m);
  assert.match(text, /^supctl_process_healthy\{group="web",name="web",status="healthy"\} 1$/m);
  assert.match(text, /^supctl_process_healthy\{group="api",name="api",status="unhealthy"\} 0$/m);
  assert.doesNotMatch(text, /name="x"/);
  assert.equal(renderHealthMetrics([proc('x', 'x', 'RUNNING')], lookup), '');
});

void test('over HTTP: /readyz fails on the unhealthy one, /readyz/web passes, json says why', async (t) => {
  const backend = stubBackend([proc('web', 'web', 'RUNNING'), proc('api', 'api', 'RUNNING')]);
  const server = createServeServer({ backend, credentials: null, log: () => {}, health: lookup });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 500);
  assert.match(await ready.text(), /\[\+\]web ok\n\[-\]api failed/);
  assert.equal((await fetch(`${base}/readyz/web`)).status, 200);
  const json = await fetch(`${base}/healthz?format=json`);
  assert.equal(json.status, 500);
  const body = (await json.json()) as { checks: { name: string; message: string }[] };
  assert.equal(
    body.checks.find((c) => c.name === 'api')!.message,
    'pid 42, uptime 0:00:05, unhealthy: connection refused',
  );
  const console = await (await fetch(`${base}/healthz?format=console`)).text();
  assert.match(console, /api\/api RUNNING: pid 42, uptime 0:00:05, unhealthy: connection refused/);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /^node_supervisord_up\{group="api",name="api"\} 1$/m);
  assert.match(metrics, /^supctl_process_healthy\{group="api",name="api",status="unhealthy"\} 0$/m);
});
