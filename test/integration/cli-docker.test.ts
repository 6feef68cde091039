/**
 * The same verbs with --backend docker, against the harness's dockerd and
 * its local busybox image: apply, status, name forms, stop/start, tail
 * stdout vs stderr, --wide, exit codes, remove, an unreachable daemon.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor } from './harness.ts';

const PROJECT = `clid${process.pid}`;

describeWithHarness('supctl CLI on dockerd (--backend docker)', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-clid-'));
  const env = { ...process.env, DOCKER_HOST: h.docker.host };
  const run = (...args: string[]) => {
    const r = spawnSync(
      process.execPath,
      ['bin/supctl', ...args, '--backend', 'docker', '--name', PROJECT],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      lines: r.stdout.split('\n').filter(Boolean),
    };
  };
  const conf = join(dir, 'app.conf');

  before(() => {
    writeFileSync(
      conf,
      `[program:web]
command=/bin/sh -c 'echo web-out; echo web-err >&2; exec sleep 1000'
startsecs=0

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0
stopsignal=KILL
`,
    );
    const r = run('apply', conf, '--image', h.docker.image);
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    run('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('status, name forms, stop/start, exit codes', async () => {
    await waitFor(
      'all RUNNING',
      () => (run('status').status === 0 ? true : undefined),
      30_000,
      200,
    );
    const st = run('status');
    assert.deepEqual(
      st.lines.map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['w:w_0 RUNNING', 'w:w_1 RUNNING', 'web RUNNING'],
    );
    assert.equal(run('status', 'w').status, 4);
    let r = run('stop', 'w:*');
    assert.deepEqual([r.status, r.lines], [0, ['w:w_0: stopped', 'w:w_1: stopped']]);
    assert.equal(run('status', 'w:w_0').status, 3);
    r = run('start', 'w:w_0');
    assert.deepEqual([r.status, r.lines], [0, ['w:w_0: started']]);
    r = run('start', 'web');
    assert.deepEqual([r.status, r.lines], [0, ['web: ERROR (already started)']]);
    r = run('signal', 'HUP', 'w:w_1');
    assert.deepEqual([r.status, r.lines], [7, ['w:w_1: ERROR (not running)']]);
    const wide = run('status', 'web', '--wide').lines;
    assert.match(wide[1]!, /^web +RUNNING +\d+ /);
  });

  test('tail separates stdout from stderr', () => {
    assert.match(run('tail', 'web').stdout, /web-out/);
    assert.doesNotMatch(run('tail', 'web').stdout, /web-err/);
    assert.match(run('tail', 'web', 'stderr').stdout, /web-err/);
  });

  test('an unreachable daemon: one line, exit 4', () => {
    const r = spawnSync(process.execPath, ['bin/supctl', 'status', '--backend', 'docker'], {
      env: { ...env, DOCKER_HOST: `unix://${dir}/no.sock` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 4);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
