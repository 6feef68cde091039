/**
 * supctl's control verbs end to end: bin/supctl (the built CLI) against the
 * harness's real systemd user manager. Every verb, every name form, the exit
 * codes of supervisorctl, --json and --wide, apply → reread → update with an
 * added, a changed and a removed program (the unchanged one keeps its pid),
 * remove, and an unreachable bus.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor, systemdCliEnv } from './harness.ts';

const PROJECT = `clit${process.pid}`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describeWithHarness('supctl CLI on the systemd user manager', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-cli-'));
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: PROJECT });
  const run = (...args: string[]): Run => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const lines = (r: Run) => r.stdout.split('\n').filter(Boolean);
  const state = (name: string): string => {
    const r = run('status', name);
    return (lines(r)[0] ?? '').slice(33).split(/\s+/)[0] ?? '';
  };

  const conf = join(dir, 'app.conf');
  const v1 = `
[program:web]
command=/bin/sh -c 'echo web-out; echo web-err >&2; exec sleep 1000'
startsecs=1
stdout_logfile=${dir}/web.out
stderr_logfile=${dir}/web.err

[program:idle]
command=/bin/sleep 1000
autostart=false
startsecs=0

[program:crash]
command=/bin/sh -c 'exit 1'
autostart=false
autorestart=false
startsecs=1
startretries=0

[program:keep]
command=/bin/sleep 1000
startsecs=0

[group:workers]
programs=w
priority=5

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0
`;

  before(() => {
    writeFileSync(conf, v1);
    const r = run('apply', conf);
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    run('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('apply started the autostart programs; status prints supervisorctl lines', async () => {
    await waitFor('web RUNNING', () => (state('web') === 'RUNNING' ? true : undefined), 15_000);
    const r = run('status');
    assert.equal(r.status, 3, 'idle and crash are STOPPED → 3');
    assert.deepEqual(
      lines(r).map((l) => l.slice(0, 33).trim()),
      ['crash', 'idle', 'keep', 'web', 'workers:w_0', 'workers:w_1'],
    );
    for (const l of lines(r)) assert.match(l, /^\S+ +(RUNNING|STOPPED|STARTING) {2,}/);
    assert.match(
      lines(r).find((l) => l.startsWith('web '))!,
      /^web {30}RUNNING {3}pid \d+, uptime \d:\d\d:\d\d$/,
    );
    assert.match(
      lines(r).find((l) => l.startsWith('idle '))!,
      /^idle {29}STOPPED {3}Not started$/,
    );
  });

  test('status name forms and exit codes: 0 running, 3 stopped, 4 bad name', () => {
    assert.equal(run('status', 'web').status, 0);
    assert.deepEqual(
      lines(run('status', 'workers:*')).map((l) => l.split(' ')[0]),
      ['workers:w_0', 'workers:w_1'],
    );
    assert.deepEqual(lines(run('status', 'workers:')).length, 2);
    assert.equal(run('status', 'workers:w_1').status, 0);
    assert.equal(run('status', 'idle').status, 3);
    const bad = run('status', 'workers');
    assert.equal(bad.status, 4);
    assert.equal(lines(bad)[0], 'workers: ERROR (no such process)');
    const badGroup = run('status', 'nope:*');
    assert.equal(badGroup.status, 4);
    assert.equal(lines(badGroup)[0], 'nope: ERROR (no such group)');
    assert.equal(lines(run('status', 'web', 'all')).length, 6);
  });

  test('start/stop: single, group, all; already started; not running; bad names', () => {
    let r = run('start', 'idle');
    assert.deepEqual([r.status, lines(r)], [0, ['idle: started']]);
    r = run('start', 'idle');
    assert.deepEqual([r.status, lines(r)], [0, ['idle: ERROR (already started)']]);
    r = run('stop', 'idle');
    assert.deepEqual([r.status, lines(r)], [0, ['idle: stopped']]);
    r = run('stop', 'idle');
    assert.deepEqual([r.status, lines(r)], [0, ['idle: ERROR (not running)']]);
    r = run('stop', 'workers:*');
    assert.deepEqual([r.status, lines(r)], [0, ['workers:w_0: stopped', 'workers:w_1: stopped']]);
    assert.equal(state('workers:w_0'), 'STOPPED');
    r = run('start', 'workers:');
    assert.deepEqual([r.status, lines(r)], [0, ['workers:w_0: started', 'workers:w_1: started']]);
    r = run('start', 'nope:*');
    assert.deepEqual([r.status, lines(r)], [2, ['nope: ERROR (no such group)']]);
    r = run('start', 'nope');
    assert.deepEqual([r.status, lines(r)], [1, ['nope: ERROR (no such process)']]);
    r = run('start');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /start requires a process name/);
    r = run('stop', 'nope:*');
    assert.equal(r.status, 1);
  });

  test('start of a program that exits at once: exit 7', () => {
    const r = run('start', 'crash');
    assert.equal(r.status, 7, r.stdout + r.stderr);
    assert.match(lines(r)[0]!, /^crash: ERROR \((abnormal termination|spawn error)\)$/);
  });

  test('restart: stop lines then start lines; the pid changes', () => {
    const before = Number(lines(run('pid', 'web'))[0]);
    assert.ok(before > 0);
    const r = run('restart', 'web', 'idle');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(lines(r), [
      'web: stopped',
      'idle: ERROR (not running)',
      'web: started',
      'idle: started',
    ]);
    const after = Number(lines(run('pid', 'web'))[0]);
    assert.ok(after > 0 && after !== before, `pid ${before} → ${after}`);
    assert.equal(run('stop', 'idle').status, 0);
  });

  test('restart all and stop all / start all', () => {
    let r = run('restart', 'all');
    assert.equal(r.status, 7, 'crash cannot start');
    assert.ok(lines(r).includes('workers:w_1: started'));
    r = run('stop', 'all');
    assert.equal(r.status, 0);
    assert.equal(run('status').status, 3);
    r = run('start', 'all');
    assert.equal(r.status, 7);
    assert.ok(lines(r).includes('keep: started'));
    assert.equal(run('stop', 'idle', 'crash').status, 0);
  });

  test('signal: signalled; not running → 7; bad signal → 1', async () => {
    await waitFor('web RUNNING', () => (state('web') === 'RUNNING' ? true : undefined), 15_000);
    let r = run('signal', 'USR2', 'workers:*');
    // sleep dies of SIGUSR2; systemd restarts it (autorestart=unexpected → on-failure)
    assert.deepEqual(
      [r.status, lines(r)],
      [0, ['workers:w_0: signalled', 'workers:w_1: signalled']],
    );
    r = run('signal', 'HUP', 'idle');
    assert.deepEqual([r.status, lines(r)], [7, ['idle: ERROR (not running)']]);
    r = run('signal', 'BOGUS', 'web');
    assert.deepEqual([r.status, lines(r)], [1, ['web: ERROR (bad signal name)']]);
    r = run('signal', 'HUP');
    assert.equal(r.status, 1);
  });

  test('pid: pids, 0 and exit 7 when stopped, No such process exit 1', () => {
    let r = run('pid', 'web');
    assert.equal(r.status, 0);
    assert.match(lines(r)[0]!, /^[1-9]\d*$/);
    r = run('pid', 'idle');
    assert.deepEqual([r.status, lines(r)], [7, ['0']]);
    r = run('pid', 'ghost');
    assert.deepEqual([r.status, lines(r)], [1, ['No such process ghost']]);
  });

  test('tail: stdout, stderr, -N, bad name, bad channel', () => {
    let r = run('tail', 'web');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /web-out/);
    assert.doesNotMatch(r.stdout, /web-err/);
    r = run('tail', 'web', 'stderr');
    assert.match(r.stdout, /web-err/);
    r = run('tail', '-3', 'web');
    // the last 3 bytes, then the newline supervisorctl's output() adds
    assert.equal(r.stdout, 'ut\n\n');
    r = run('tail', 'ghost');
    assert.deepEqual([r.status, lines(r)], [1, ['ghost: ERROR (no such process name)']]);
    r = run('tail', 'web', 'stdlog');
    assert.equal(r.status, 1);
  });

  test('avail lists every configured process', () => {
    const r = run('avail');
    assert.equal(r.status, 0);
    assert.equal(lines(r).length, 6);
    assert.match(
      lines(r).find((l) => l.startsWith('idle'))!,
      /^idle {29}in use {4}manual {4}\d+:\d+$/,
    );
  });

  test('--json and --wide', () => {
    const j = JSON.parse(run('status', 'web', '--json').stdout) as {
      processes: { namespec: string; state: string; pid: number; ref: string }[];
    };
    assert.equal(j.processes[0]!.namespec, 'web');
    assert.equal(j.processes[0]!.state, 'RUNNING');
    assert.ok(j.processes[0]!.pid > 0);
    const s = JSON.parse(run('stop', 'idle', '--json').stdout) as { results: { ok: boolean }[] };
    assert.equal(s.results.length, 1);
    const w = lines(run('status', 'web', '--wide'));
    assert.match(w[0]!, /^NAME +STATE +RESTARTS +CPU +MEM +DESCRIPTION$/);
    assert.match(w[1]!, /^web +RUNNING +\d+ /);
    assert.ok(Array.isArray(JSON.parse(run('avail', '--json').stdout)));
    assert.ok(Array.isArray(JSON.parse(run('pid', '--json').stdout)));
  });

  test('reread / update: added, changed, removed; the unchanged program keeps its pid', async () => {
    await waitFor('keep RUNNING', () => (state('keep') === 'RUNNING' ? true : undefined), 15_000);
    const keepPid = lines(run('pid', 'keep'))[0];
    assert.deepEqual(lines(run('reread', conf)), ['No config updates to processes']);
    const v2 = v1
      .replace('[program:idle]\ncommand=/bin/sleep 1000', '[program:idle]\ncommand=/bin/sleep 2000')
      .replace(/\[program:crash\][^[]*/, '')
      .concat('\n[program:added]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    writeFileSync(conf, v2);
    assert.deepEqual(lines(run('reread', conf)), [
      'added: available',
      'crash: disappeared',
      'idle: changed',
    ]);
    let r = run('apply', conf, '--dry-run');
    assert.equal(r.status, 0);
    assert.equal(state('added'), '', 'dry run installs nothing');
    r = run('update', conf);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(lines(r).includes('added: added process group'), r.stdout);
    await waitFor('added RUNNING', () => (state('added') === 'RUNNING' ? true : undefined), 15_000);
    assert.equal(run('status', 'crash').status, 4, 'crash is gone');
    assert.equal(lines(run('pid', 'keep'))[0], keepPid, 'keep was not restarted');
    assert.deepEqual(lines(run('reread', conf)), ['No config updates to processes']);
  });

  test('an unreachable bus: one line, exit 4', () => {
    const r = spawnSync(process.execPath, ['bin/supctl', 'status'], {
      env: { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-such-bus` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 4);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^supctl: /);
  });

  test('remove without a name does nothing; remove --name stops and uninstalls the project', () => {
    const noName = spawnSync(process.execPath, ['bin/supctl', 'remove'], {
      env: { ...env, SUPCTL_NAME: '' },
      encoding: 'utf8',
    });
    // supervisorctl's remove with no name: nothing, exit 0; the project stays
    assert.equal(noName.status, 0, noName.stderr);
    assert.equal(noName.stdout + noName.stderr, '');
    assert.notDeepEqual(lines(run('status')), []);
    const r = run('remove');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(run('status')), []);
    assert.equal(run('status', 'web').status, 4);
  });
});
