/**
 * `supctl status` through a running `supctl serve` of the same stack: the
 * same lines and exit code as over the bus; answered by serve (it still
 * works when the status process is pointed at an empty unit directory); a
 * serve killed with SIGKILL leaves a stale advert, which is ignored.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { advertPaths, stackKey } from '../../src/control/serve-client/advert.ts';
import { describeWithHarness, systemdCliEnv, waitFor } from './harness.ts';

describeWithHarness('supctl status through supctl serve', (h) => {
  const project = `sfs${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sfs-'));
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: project });
  const conf = join(dir, 'app.conf');
  let serve: ChildProcess | undefined;

  const status = (extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, ['bin/supctl', 'status'], {
      env: { ...env, ...extra },
      encoding: 'utf8',
      timeout: 60_000,
    });
    // the uptime moves between two calls
    return { status: r.status, out: r.stdout.replace(/uptime \d+:\d\d:\d\d/g, 'uptime X') };
  };

  before(() => {
    writeFileSync(
      conf,
      `[program:web]
command=/bin/sleep 1000
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false
`,
    );
    const a = spawnSync(process.execPath, ['bin/supctl', 'apply', conf], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(a.status, 0, a.stderr);
  });
  after(() => {
    if (serve?.exitCode === null) serve.kill('SIGKILL');
    // the SIGKILLed serve could not remove its advert and socket
    const key = stackKey('systemd', 'user', project, env);
    if (key !== null)
      for (const f of Object.values(advertPaths(key, env))) rmSync(f, { force: true });
    spawnSync(process.execPath, ['bin/supctl', 'uninstall'], { env, timeout: 120_000 });
  });

  test('same lines with and without serve; a stale advert is ignored', async () => {
    const bus = status();
    assert.equal(bus.status, 3);
    assert.match(bus.out, /^web +RUNNING +pid \d+, uptime X$/m);
    serve = spawn(process.execPath, ['bin/supctl', 'serve', '--listen', '127.0.0.1:0'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await waitFor('serve listening', () => (/listening on/.test(err) ? true : undefined), 30_000);
    const empty = join(dir, 'no-units');
    mkdirSync(empty);
    // with no unit files to read, only serve can know the two programs
    const viaServe = await waitFor(
      'status answered by serve',
      () => {
        const r = status({ SUPCTL_SYSTEMD_UNIT_DIR: empty });
        return r.out === bus.out ? r : undefined;
      },
      30_000,
      200,
    );
    assert.equal(viaServe.status, bus.status);
    const gone = new Promise((r) => serve!.once('exit', r));
    serve.kill('SIGKILL');
    await gone;
    const stale = status();
    assert.equal(stale.out, bus.out);
    assert.equal(stale.status, bus.status);
    assert.notEqual(status({ SUPCTL_SYSTEMD_UNIT_DIR: empty }).out, bus.out);
  });
});
