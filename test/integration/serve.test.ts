/**
 * supctl serve end to end: bin/supctl serve over the harness's systemd user
 * manager, read by Debian's real supervisorctl 4.2.5, a Python xmlrpc.client
 * script doing what Cesi does, promtool on /metrics, and curl-free 401s.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cesi } from './cesi.ts';
import { describeWithHarness, waitFor, systemdCliEnv } from './harness.ts';

const PROJECT = `srv${process.pid}`;

describeWithHarness('supctl serve on the systemd user manager', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-serve-'));
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: PROJECT });
  const conf = join(dir, 'app.conf');
  writeFileSync(
    conf,
    `[inet_http_server]
port=127.0.0.1:9001
username=u
password=p

[program:web]
command=/bin/sh -c 'echo web-out; exec sleep 1000'
startsecs=1

[program:idle]
command=/bin/sleep 1000
autostart=false
startsecs=0
`,
  );
  let serve: ChildProcess | undefined;
  let base = '';
  let url = '';

  const ctl = (...args: string[]) => {
    const r = spawnSync('supervisorctl', ['-s', url, '-u', 'u', '-p', 'p', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, out: r.stdout.split('\n').filter(Boolean) };
  };

  before(async () => {
    const a = spawnSync(process.execPath, ['bin/supctl', 'apply', conf], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(a.status, 0, a.stderr);
    serve = spawn(
      process.execPath,
      ['bin/supctl', 'serve', '-c', conf, '--listen', '127.0.0.1:0'],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    base = await waitFor(
      'serve listening',
      () => /listening on (http:\/\/\S+)/.exec(err)?.[1],
      20_000,
    );
    url = base;
  });
  after(() => {
    if (serve?.pid !== undefined) process.kill(serve.pid, 'SIGTERM');
    spawnSync(process.execPath, ['bin/supctl', 'uninstall'], { env, timeout: 120_000 });
  });

  test('401 without credentials', async () => {
    const r = await fetch(`${base}/RPC2`, { method: 'POST', body: '' });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="default"');
    assert.notEqual(ctl('-p', 'wrong', 'status').status, 0);
  });

  test("supervisorctl's status, version, pid, stop, start, restart, tail, avail", async () => {
    await waitFor(
      'web RUNNING',
      () => (ctl('status', 'web').out[0]?.includes('RUNNING') ? true : undefined),
      20_000,
    );
    const st = ctl('status');
    assert.equal(st.status, 3, st.out.join('\n'));
    assert.match(st.out[0]!, /^idle\s+STOPPED\s+Not started$/);
    assert.match(st.out[1]!, /^web\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d$/);
    assert.deepEqual(ctl('version'), { status: 0, out: ['4.2.5'] });
    const pid = ctl('pid', 'web');
    assert.match(pid.out[0]!, /^\d+$/);
    assert.notEqual(pid.out[0], '0');
    assert.deepEqual(ctl('stop', 'web'), { status: 0, out: ['web: stopped'] });
    // supervisorctl 4.2.5 prints these faults but still exits 0
    assert.deepEqual(ctl('stop', 'web').out, ['web: ERROR (not running)']);
    assert.deepEqual(ctl('start', 'web'), { status: 0, out: ['web: started'] });
    assert.deepEqual(ctl('start', 'web').out, ['web: ERROR (already started)']);
    assert.deepEqual(ctl('restart', 'web'), { status: 0, out: ['web: stopped', 'web: started'] });
    assert.deepEqual(ctl('start', 'nope'), { status: 1, out: ['nope: ERROR (no such process)'] });
    const tail = ctl('tail', 'web');
    assert.equal(tail.status, 0);
    assert.ok(tail.out.includes('web-out'), tail.out.join('\n'));
    const avail = ctl('avail');
    assert.equal(avail.status, 0);
    assert.match(avail.out.join('\n'), /^idle\s+in use\s+manual\s+999:999$/m);
    assert.match(avail.out.join('\n'), /^web\s+in use\s+auto\s+999:999$/m);
  });

  test('a Python xmlrpc.client script doing what Cesi does', () => {
    const r = cesi(base);
    assert.equal(r.stdout.trim(), 'ok', r.stderr);
  });

  test('promtool check metrics accepts /metrics; /readyz answers', async () => {
    const headers = { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };
    const m = await (await fetch(`${base}/metrics`, { headers })).text();
    assert.match(m, /^node_supervisord_up\{group="web",name="web"\} 1$/m);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: m, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ready = await fetch(`${base}/readyz?verbose`, { headers });
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), '[+]web ok\nhealthz check passed\n');
  });

  test('a real Prometheus scrapes /metrics and answers node_supervisord_up back', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const a = probe.address();
        probe.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
      });
    });
    const pdir = join(dir, 'prometheus');
    mkdirSync(pdir);
    const target = new URL(base).host;
    writeFileSync(
      join(pdir, 'prometheus.yml'),
      `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: supctl
    basic_auth: { username: u, password: p }
    static_configs: [{ targets: ['${target}'] }]
`,
    );
    const prom = spawn(
      'prometheus',
      [
        `--config.file=${join(pdir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(pdir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prom.stderr.on('data', (c: Buffer) => (log += c.toString()));
    try {
      const q = encodeURIComponent('node_supervisord_up{name="web"}');
      const value = await waitFor(
        'Prometheus to have scraped node_supervisord_up',
        async () => {
          if (prom.exitCode !== null) throw new Error(`prometheus exited:\n${log}`);
          try {
            const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${q}`);
            const body = (await r.json()) as {
              data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
            };
            return body.data?.result?.[0];
          } catch {
            return undefined; // not listening yet
          }
        },
        60_000,
        250,
      );
      assert.equal(value.value[1], '1');
      assert.equal(value.metric['group'], 'web');
      assert.equal(value.metric['job'], 'supctl');
    } finally {
      if (prom.pid !== undefined) process.kill(prom.pid, 'SIGTERM');
    }
  });
});
