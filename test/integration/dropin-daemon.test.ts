/**
 * supervisorctl's daemon verbs and remove/add GROUP on the stack of a
 * config (`supctl -c FILE VERB`) where no supervisord runs it: under the
 * harness's systemd, `clear` empties the log files supctl's units write,
 * `shutdown` stops every program (`Shut down`), `reload` stops them and
 * starts the autostart ones (`Restarted supervisord`), `maintail` says in
 * one line that there is no supervisord log; under the harness's dockerd,
 * `remove GROUP` refuses a running group and takes a stopped one's
 * containers away, `add GROUP` brings them back.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, systemdCliEnv, waitFor } from './harness.ts';

const T = 60_000;

interface Run {
  code: number | null;
  lines: string[];
  stderr: string;
}

function supctl(env: NodeJS.ProcessEnv, args: string[]): Run {
  const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
    encoding: 'utf8',
    timeout: 2 * T,
    env,
  });
  return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

const stateOf = (lines: string[], name: string): string | undefined =>
  lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/)[1];

describeWithHarness('daemon verbs and remove/add on a -c FILE stack', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-dropd-'));
  const conf = join(dir, 'app.conf');
  const talkLog = join(dir, 'talk.log');
  const env = systemdCliEnv(h, dir);
  delete env.SUPCTL_NAME;
  delete env.SUPCTL_BACKEND;
  const run = (...args: string[]) => supctl(env, ['-c', conf, ...args]);

  before(() => {
    writeFileSync(
      conf,
      `[program:talk]
command=/bin/sh -c 'while true; do echo talk-line; sleep 0.2; done'
stdout_logfile=${talkLog}
startsecs=0

[program:quiet]
command=/bin/sleep 1000
startsecs=0

[program:manual]
command=/bin/sleep 1000
autostart=false
startsecs=0
`,
    );
    const r = supctl(env, ['apply', conf]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => {
    supctl(env, ['-c', conf, 'uninstall']);
    rmSync(dir, { recursive: true, force: true });
  });

  test('systemd: clear, maintail, shutdown, reload', { timeout: 6 * T }, async () => {
    await waitFor(
      'talk has logged',
      () => ((statSync(talkLog, { throwIfNoEntry: false })?.size ?? 0) > 500 ? true : undefined),
      T,
    );
    const c = run('clear', 'talk', 'nosuch');
    assert.deepEqual(c.lines, ['talk: cleared', 'nosuch: ERROR (no such process)'], c.stderr);
    assert.equal(c.code, 1);
    assert.ok(statSync(talkLog).size < 500, 'the log was emptied');
    const all = run('clear', 'all');
    assert.deepEqual(all.lines, ['manual: cleared', 'quiet: cleared', 'talk: cleared'], all.stderr);
    assert.equal(all.code, 0);

    const m = run('maintail');
    assert.equal(m.code, 1);
    assert.equal(m.lines.length, 1);
    assert.match(m.lines[0]!, /no supervisord runs these programs/);

    const s = run('shutdown');
    assert.deepEqual(s.lines, ['Shut down'], s.stderr);
    assert.equal(s.code, 0);
    const after = run('status').lines;
    for (const n of ['talk', 'quiet', 'manual']) assert.equal(stateOf(after, n), 'STOPPED', n);

    const r = run('reload');
    assert.deepEqual(r.lines, ['Restarted supervisord'], r.stderr);
    assert.equal(r.code, 0);
    await waitFor(
      'the autostart ones RUNNING',
      () => {
        const ls = run('status').lines;
        return stateOf(ls, 'talk') === 'RUNNING' && stateOf(ls, 'quiet') === 'RUNNING'
          ? ls
          : undefined;
      },
      T,
    );
    assert.equal(stateOf(run('status').lines, 'manual'), 'STOPPED');
  });

  test(
    'Docker: remove GROUP refused while running, then removed; add GROUP back',
    { timeout: 8 * T },
    async () => {
      const ddir = mkdtempSync(join(tmpdir(), 'supctl-dropd-docker-'));
      const dconf = join(ddir, 'app.conf');
      writeFileSync(
        dconf,
        `[program:web]
command=/bin/sleep 1000
startsecs=0
stopsignal=KILL

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0
stopsignal=KILL

[group:workers]
programs=w
`,
      );
      const denv: NodeJS.ProcessEnv = {
        ...process.env,
        DOCKER_HOST: h.docker.host,
        SUPCTL_BACKEND: 'docker',
      };
      delete denv.SUPCTL_NAME;
      const d = (...args: string[]) => supctl(denv, ['-c', dconf, ...args]);
      try {
        const ap = supctl(denv, ['apply', dconf, '--image', h.docker.image]);
        assert.equal(ap.code, 0, ap.stderr);
        await waitFor('all RUNNING', () => (d('status').code === 0 ? true : undefined), T);

        let r = d('remove', 'workers');
        assert.deepEqual(r.lines, ['ERROR: process/group still running: workers'], r.stderr);
        assert.equal(r.code, 1);
        r = d('remove', 'nope');
        assert.deepEqual(r.lines, ['ERROR: no such process/group: nope']);
        assert.equal(r.code, 1);

        assert.equal(d('stop', 'workers:*').code, 0);
        r = d('remove', 'workers');
        assert.deepEqual(r.lines, ['workers: removed process group'], r.stderr);
        assert.equal(r.code, 0);
        const left = d('status').lines;
        assert.deepEqual(
          left.map((l) => l.split(/\s+/)[0]),
          ['web'],
        );
        const ids = spawnSync(
          'docker',
          ['-H', h.docker.host, 'ps', '-aq', '--filter', 'label=io.supctl.config-file'],
          { encoding: 'utf8' },
        );
        assert.equal(ids.status, 0, ids.stderr);

        r = d('add', 'workers');
        assert.deepEqual(r.lines, ['workers: added process group'], r.stderr);
        assert.equal(r.code, 0);
        r = d('add', 'workers');
        assert.deepEqual(r.lines, ['ERROR: process group already active']);
        assert.equal(r.code, 0);
        await waitFor(
          'workers RUNNING again',
          () => {
            const ls = d('status').lines;
            return stateOf(ls, 'workers:w_0') === 'RUNNING' &&
              stateOf(ls, 'workers:w_1') === 'RUNNING'
              ? true
              : undefined;
          },
          T,
        );
      } finally {
        d('uninstall');
        rmSync(ddir, { recursive: true, force: true });
      }
    },
  );
});
