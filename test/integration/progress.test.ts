/**
 * Progress of apply / uninstall through bin/supctl on the harness's real
 * systemd user manager and dockerd: not on a terminal, one stderr line per
 * group and phase (`supctl: start 2/2 workers (0.3s)`); none with --json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeWithHarness, systemdCliEnv } from './harness.ts';

const CONF = `
[program:web]
command=/bin/sleep 1000
startsecs=0
stopsignal=KILL

[program:idle]
command=/bin/sleep 1000
autostart=false
startsecs=0

[group:workers]
programs=w

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0
stopsignal=KILL
`;

const LINE = /^supctl: (\w+) (\d+)\/(\d+) (\S+) \(\d+\.\ds\)$/;

/** The progress lines of one phase: [index, total, group], in order. */
function phase(stderr: string, name: string): [number, number, string][] {
  return stderr
    .split('\n')
    .map((l) => LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
    .map((m) => [Number(m[2]), Number(m[3]), m[4]!]);
}

/** Each group once, numbered 1..n in order. */
function assertGroups(got: [number, number, string][], groups: string[], what: string): void {
  assert.deepEqual(
    got.map(([i, n]) => [i, n]),
    groups.map((_, i) => [i + 1, groups.length]),
    what,
  );
  assert.deepEqual(got.map(([, , g]) => g).sort(), [...groups].sort(), what);
}

describeWithHarness('progress lines of apply and uninstall', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-progress-'));
  const conf = join(dir, 'app.conf');
  writeFileSync(conf, CONF);

  const runner = (env: NodeJS.ProcessEnv, extra: string[]) => (args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args, ...extra], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return r;
  };

  test('systemd: apply starts each autostart group once; uninstall stops every group', () => {
    const project = `prog${process.pid}`;
    const run = runner(systemdCliEnv(h, dir, { SUPCTL_NAME: project }), []);
    const applied = run(['apply', conf]);
    // idle does not autostart: no start for it
    assertGroups(phase(applied.stderr, 'start'), ['web', 'workers'], applied.stderr);
    assert.match(applied.stdout, /applied \(3 added/);
    assert.ok(!applied.stdout.includes('supctl: start'), 'progress goes to stderr only');

    const again = run(['apply', conf, '--json']);
    assert.equal(phase(again.stderr, 'start').length, 0, `--json: ${again.stderr}`);
    JSON.parse(again.stdout);

    const removed = run(['uninstall']);
    assertGroups(phase(removed.stderr, 'stop'), ['idle', 'web', 'workers'], removed.stderr);
  });

  test('docker: apply creates every group and starts the autostart ones; uninstall removes all', () => {
    const project = `progd${process.pid}`;
    const env = { ...process.env, DOCKER_HOST: h.docker.host };
    const run = runner(env, ['--backend', 'docker', '--name', project]);
    const applied = run(['apply', conf, '--image', h.docker.image]);
    assertGroups(phase(applied.stderr, 'create'), ['idle', 'web', 'workers'], applied.stderr);
    assertGroups(phase(applied.stderr, 'start'), ['web', 'workers'], applied.stderr);

    const removed = run(['uninstall']);
    assertGroups(phase(removed.stderr, 'stop'), ['idle', 'web', 'workers'], removed.stderr);
    assertGroups(phase(removed.stderr, 'remove'), ['idle', 'web', 'workers'], removed.stderr);
  });
});
