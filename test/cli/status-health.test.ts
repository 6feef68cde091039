/**
 * `status` with declared checks: supervisorctl's line, then the health of a
 * RUNNING process probed once against a real listener or a closed port;
 * lines of processes without a check, or not running, are unchanged.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ctlStatus } from '../../src/cli/commands/ctl-show.ts';
import type { HealthCheck } from '../../src/model/health.ts';
import { FakeBackend, proc, recordIO } from '../control/fake-backend.ts';

const tcp = (port: number): HealthCheck => ({
  type: 'tcp',
  host: '127.0.0.1',
  port,
  interval: 10,
  timeout: 3,
  retries: 3,
  start_period: 0,
  origins: {},
});

void test('status: `, healthy` / `, unhealthy: connection refused` after the description', async (t) => {
  const srv = createServer((s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  const open = (srv.address() as AddressInfo).port;
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  const closed = (gone.address() as AddressInfo).port;
  await new Promise((r) => gone.close(r));
  const b = new FakeBackend([
    proc('web', 'web', 'RUNNING', { description: 'pid 100, uptime 0:00:05' }),
    proc('db', 'db', 'RUNNING', { description: 'pid 101, uptime 0:00:05' }),
    proc('idle', 'idle', 'STOPPED', { description: 'Not started' }),
    proc('plain', 'plain', 'RUNNING', { description: 'pid 102, uptime 0:00:05' }),
  ]);
  const r = recordIO();
  const checks = [
    { namespec: 'web', check: tcp(open) },
    { namespec: 'db', check: tcp(closed) },
    { namespec: 'idle', check: tcp(open) },
  ];
  await ctlStatus(b, [], r.io, checks);
  assert.deepEqual(r.out, [
    `${'db'.padEnd(33)}RUNNING   pid 101, uptime 0:00:05, unhealthy: connection refused`,
    `${'idle'.padEnd(33)}STOPPED   Not started`,
    `${'plain'.padEnd(33)}RUNNING   pid 102, uptime 0:00:05`,
    `${'web'.padEnd(33)}RUNNING   pid 100, uptime 0:00:05, healthy`,
  ]);
  const j = recordIO({ json: true });
  await ctlStatus(b, ['web'], j.io, checks);
  const doc = JSON.parse(j.raw() || j.out.join('\n')) as {
    processes: { health?: { status: string } }[];
  };
  assert.equal(doc.processes[0]!.health?.status, 'healthy');
});
