/**
 * Health checks end to end under the harness's systemd user manager: a
 * real HTTP server (python3 -m http.server) probed by `supctl serve` and
 * `supctl status -c FILE`; a TCP check on a port nothing listens on; the
 * HTTP check flips to unhealthy after health_retries once its page is gone.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor, systemdCliEnv } from './harness.ts';

const PROJECT = `hc${process.pid}`;

/** Two ports nothing listens on now (bound, then closed). */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (s) =>
        new Promise<number>((r) =>
          s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)),
        ),
    ),
  );
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

describeWithHarness('health checks under systemd: serve and status', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-health-'));
  const www = join(dir, 'www');
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: PROJECT });
  const conf = join(dir, 'app.conf');
  let serve: ChildProcess | undefined;
  let base = '';
  const supctl = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/supctl', ...args], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });

  before(async () => {
    const [web, db] = await freePorts(2);
    spawnSync('mkdir', ['-p', www]);
    writeFileSync(join(www, 'ok'), 'ok\n');
    writeFileSync(
      conf,
      `[program:web]
command=/usr/bin/python3 -m http.server ${web} --bind 127.0.0.1 --directory ${www}
startsecs=0
health_http = http://127.0.0.1:${web}/ok
health_interval = 1
health_timeout = 2
health_retries = 2

[program:db]
command=/bin/sleep 1000
startsecs=0
health_tcp = 127.0.0.1:${db}
health_interval = 1
health_retries = 1
`,
    );
    const a = supctl('apply', conf);
    assert.equal(a.status, 0, a.stderr);
    serve = spawn(
      process.execPath,
      ['bin/supctl', 'serve', '-c', conf, '--listen', '127.0.0.1:0'],
      {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    base = await waitFor(
      'serve listening',
      () => /listening on (http:\/\/\S+)/.exec(err)?.[1],
      30_000,
    );
  });
  after(() => {
    if (serve?.pid !== undefined) process.kill(serve.pid, 'SIGTERM');
    supctl('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('status -c FILE: supervisorctl line, then the health of each declared check', async () => {
    const lines = await waitFor(
      'web healthy in status',
      () => {
        const r = supctl('status', '-c', conf);
        return /^web\s+RUNNING\s+.*, healthy$/m.test(r.stdout) ? r.stdout : undefined;
      },
      60_000,
      500,
    );
    assert.match(lines, /^web\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d, healthy$/m);
    assert.match(
      lines,
      /^db\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d, unhealthy: connection refused$/m,
    );
    // without the config, the line is supervisorctl's own
    assert.match(
      supctl('status', 'web').stdout,
      /^web\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d$/m,
    );
  });

  test('serve: /readyz/web passes, /readyz/db fails with the reason, /metrics has the gauge', async () => {
    await waitFor(
      'web ready',
      async () => ((await fetch(`${base}/readyz/web`)).status === 200 ? true : undefined),
      60_000,
      200,
    );
    const db = await waitFor(
      'db unhealthy',
      async () => {
        const r = await fetch(`${base}/readyz/db?format=json`);
        const body = (await r.json()) as { checks: { message: string }[] };
        return r.status === 500 && /unhealthy/.test(body.checks[0]!.message) ? body : undefined;
      },
      60_000,
      200,
    );
    assert.match(db.checks[0]!.message, /^pid \d+, uptime \S+, unhealthy: connection refused$/);
    assert.equal((await fetch(`${base}/readyz`)).status, 500);
    const m = await (await fetch(`${base}/metrics`)).text();
    assert.match(m, /^supctl_process_healthy\{group="web",name="web",status="healthy"\} 1$/m);
    assert.match(m, /^supctl_process_healthy\{group="db",name="db",status="unhealthy"\} 0$/m);
  });

  test('serve: the page goes away, web turns unhealthy after its retries; stopped, it is not ready', async () => {
    rmSync(join(www, 'ok'));
    const body = await waitFor(
      'web unhealthy',
      async () => {
        const r = await fetch(`${base}/healthz/web?format=json`);
        const b = (await r.json()) as { checks: { message: string }[] };
        return /unhealthy: HTTP 404/.test(b.checks[0]!.message) ? b : undefined;
      },
      60_000,
      200,
    );
    assert.match(body.checks[0]!.message, /, unhealthy: HTTP 404$/);
    assert.equal(supctl('stop', 'web').status, 0);
    // the stop went to systemd directly: serve learns it from the bus's signal
    const b = await waitFor(
      'web not ready once stopped',
      async () => {
        const r = await fetch(`${base}/readyz/web?format=json`);
        const j = (await r.json()) as { checks: { value: string; message: string }[] };
        return r.status === 500 && j.checks[0]!.value !== 'RUNNING' ? j : undefined;
      },
      30_000,
      200,
    );
    assert.notEqual(b.checks[0]!.value, 'RUNNING');
    assert.doesNotMatch(b.checks[0]!.message, /healthy/);
  });
});
