/**
 * supctl serve over the Docker backend (the harness's dockerd and busybox
 * image): a Python xmlrpc.client script doing what Cesi does, and Debian's
 * supervisorctl status, stop/start, tail and tail -f against containers.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cesi } from './cesi.ts';
import { describeWithHarness, waitFor } from './harness.ts';

const PROJECT = `srvd${process.pid}`;

describeWithHarness('supctl serve on dockerd (--backend docker)', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-served-'));
  const env = { ...process.env, DOCKER_HOST: h.docker.host };
  const conf = join(dir, 'app.conf');
  const docker = ['--backend', 'docker', '--name', PROJECT];
  let serve: ChildProcess | undefined;
  let base = '';

  const ctl = (...args: string[]) => {
    const r = spawnSync('supervisorctl', ['-s', base, '-u', 'u', '-p', 'p', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, out: r.stdout.split('\n').filter(Boolean) };
  };

  before(async () => {
    writeFileSync(
      conf,
      `[inet_http_server]
port=127.0.0.1:9001
username=u
password=p

[program:web]
command=/bin/sh -c 'echo web-out; echo web-err >&2; exec sleep 1000'
startsecs=0
stopsignal=KILL

[program:ticker]
command=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.5; done'
startsecs=0
stopsignal=KILL
`,
    );
    const a = spawnSync(
      process.execPath,
      ['bin/supctl', 'apply', conf, '--image', h.docker.image, ...docker],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(a.status, 0, a.stderr);
    serve = spawn(
      process.execPath,
      ['bin/supctl', 'serve', '-c', conf, '--listen', '127.0.0.1:0', ...docker],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    base = await waitFor(
      'serve listening',
      () => /listening on (http:\/\/\S+)/.exec(err)?.[1],
      20_000,
    );
    await waitFor(
      'both RUNNING through serve',
      () => (ctl('status').status === 0 ? true : undefined),
      30_000,
      200,
    );
  });
  after(() => {
    if (serve?.pid !== undefined) process.kill(serve.pid, 'SIGTERM');
    spawnSync(process.execPath, ['bin/supctl', 'uninstall', ...docker], { env, timeout: 120_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  test('a Python xmlrpc.client script doing what Cesi does, on containers', () => {
    const r = cesi(base, { names: ['ticker', 'web'], allRunning: true, stderr: true });
    assert.equal(r.stdout.trim(), 'ok', r.stderr);
  });

  test('supervisorctl status, stop, start, tail, tail -f, version on containers', async () => {
    const st = ctl('status');
    assert.equal(st.status, 0, st.out.join('\n'));
    assert.match(st.out[0]!, /^ticker\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d$/);
    assert.match(st.out[1]!, /^web\s+RUNNING\s+pid \d+, uptime \d+:\d\d:\d\d$/);
    assert.deepEqual(ctl('version'), { status: 0, out: ['4.2.5'] });
    assert.deepEqual(ctl('stop', 'web'), { status: 0, out: ['web: stopped'] });
    assert.deepEqual(ctl('stop', 'web').out, ['web: ERROR (not running)']);
    assert.equal(ctl('status', 'web').status, 3);
    assert.deepEqual(ctl('start', 'web'), { status: 0, out: ['web: started'] });
    assert.deepEqual(ctl('start', 'nope'), { status: 1, out: ['nope: ERROR (no such process)'] });
    const tail = ctl('tail', 'web', 'stderr');
    assert.equal(tail.status, 0);
    assert.ok(tail.out.includes('web-err'), tail.out.join('\n'));

    // tail -f: a tick numbered past every one seen when the follow started arrives
    const c = spawn('supervisorctl', ['-s', base, '-u', 'u', '-p', 'p', 'tail', '-f', 'ticker']);
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const first = await waitFor(
        'tail -f following',
        () => {
          const ticks = [...out.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1]));
          return ticks.length > 0 ? Math.max(...ticks) : undefined;
        },
        20_000,
      );
      await waitFor(
        `a tick after tick-${first}`,
        () => (out.includes(`tick-${first + 2}`) ? true : undefined),
        20_000,
      );
    } finally {
      c.kill('SIGTERM');
    }
  });
});
