/**
 * supctl as a supervisorctl drop-in: the seed's runbook (start/stop/restart
 * all, start bklog-api, stop grafana, reread, update, status, tail, tail
 * stderr, and the interactive status/start/stop/quit on stdin) run once with
 * Debian's supervisorctl against a real supervisord and once with supctl
 * invoked as `supervisorctl` (a symlink first in PATH) with `-c FILE` against
 * the same programs applied under the harness's systemd. Same lines (pids,
 * uptimes and stop times normalised; an `all` action's lines as a set, as
 * supervisord answers them in completion order) and the same exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import {
  describeWithHarness,
  startSupervisord,
  systemdCliEnv,
  waitFor,
  type Supervisord,
} from './harness.ts';
import { norm } from './supervisorctl.ts';
import { defaultProjectName } from '../../src/emit/project-name.ts';

const T = 60_000;
const PROGRAMS = readFileSync('test/fixtures/dropin/bklog-programs.conf', 'utf8');
const AUTOSTART = ['bklog-api', 'grafana', 'celery:celery-beat', 'celery:celery-worker'];

interface Run {
  code: number | null;
  lines: string[];
  stderr: string;
}

/** A STOPPED line's description is the stop time (`Dec 03 11:45 AM`): it differs between runs. */
const normalise = (lines: string[]): string[] =>
  norm(lines).map((l) => l.replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/, 'STOPTIME'));

describeWithHarness('supervisorctl drop-in: the runbook on supervisord and on systemd', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-dropin-'));
  const binDir = join(dir, 'bin');
  // the systemd side's copy of the config: its server is gone (supervisord was migrated away)
  const conf = join(dir, 'supervisord.conf');
  const env: NodeJS.ProcessEnv = {
    ...systemdCliEnv(h, dir),
    PATH: `${binDir}:${process.env.PATH ?? ''}`,
  };
  // the project is the one `apply FILE` names after the file, on the default backend
  delete env.SUPCTL_NAME;
  delete env.SUPCTL_BACKEND;
  // the name apply gives the project of …/supctl-dropin-X/supervisord.conf
  const project = defaultProjectName(conf);
  let sd: Supervisord;

  const real = (args: string[], input?: string): Run => {
    const r = spawnSync(
      h.supervisor.python,
      ['-m', 'supervisor.supervisorctl', '-c', sd.configPath, ...args],
      {
        encoding: 'utf8',
        timeout: T,
        input: input ?? '',
      },
    );
    return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
  };
  const shim = (args: string[], input?: string): Run => {
    const r = spawnSync('supervisorctl', ['-c', conf, ...args], {
      encoding: 'utf8',
      timeout: T,
      env,
      input: input ?? '',
    });
    return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
  };
  const supctl = (args: string[]): Run => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
      encoding: 'utf8',
      timeout: T,
      env,
    });
    return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
  };

  const stateLines = (run: (a: string[]) => Run) => normalise(run(['status']).lines);
  const settled = async (run: (a: string[]) => Run, what: string) =>
    waitFor(
      `${what}: no process STARTING or STOPPING`,
      () => (stateLines(run).some((l) => /STARTING|STOPPING/.test(l)) ? undefined : true),
      T,
    );

  before(async () => {
    mkdirSync(binDir);
    symlinkSync(resolve('bin/supctl'), join(binDir, 'supervisorctl'));
    writeFileSync(
      conf,
      [
        '[unix_http_server]',
        `file=${join(dir, 'gone.sock')}`,
        '[supervisord]',
        `logfile=${join(dir, 'supervisord.log')}`,
        '[supervisorctl]',
        `serverurl=unix://${join(dir, 'gone.sock')}`,
        PROGRAMS,
      ].join('\n'),
    );
    sd = await startSupervisord({ sections: PROGRAMS });
    const r = supctl(['apply', conf]);
    assert.equal(r.code, 0, r.stderr);
    const running = (run: (a: string[]) => Run) => () => {
      const ls = run(['status']).lines;
      return AUTOSTART.every((n) => ls.some((l) => l.startsWith(`${n} `) && l.includes('RUNNING')))
        ? true
        : undefined;
    };
    await waitFor('supervisord: the autostart programs RUNNING', running(real), T);
    await waitFor('systemd: the autostart programs RUNNING', running(shim), T);
  });
  after(async () => {
    const u = supctl(['uninstall', '--name', project]);
    await sd?.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(u.code, 0, u.stderr);
  });

  /** One runbook line on both sides. `asSet`: supervisord answers in completion order. */
  const same = async (args: string[], opts: { asSet?: boolean; input?: string } = {}) => {
    const want = real(args, opts.input);
    const got = shim(args, opts.input);
    const order = (l: string[]) => (opts.asSet ? [...l].sort() : l);
    assert.deepEqual(
      order(normalise(got.lines)),
      order(normalise(want.lines)),
      `supervisorctl ${args.join(' ')}: lines\n${got.stderr}`,
    );
    assert.equal(got.code, want.code, `supervisorctl ${args.join(' ')}: exit code\n${got.stderr}`);
    await settled(real, args.join(' '));
    await settled(shim, args.join(' '));
  };

  test('status, stop all, start all, restart all', { timeout: 10 * T }, async () => {
    await same(['status']);
    await same(['status', 'bklog-api']);
    await same(['stop', 'all'], { asSet: true });
    await same(['status']);
    await same(['start', 'all'], { asSet: true });
    await same(['status']);
    await same(['restart', 'all'], { asSet: true });
    await same(['status']);
  });

  test('start bklog-api, stop grafana, start grafana', { timeout: 10 * T }, async () => {
    await same(['start', 'bklog-api']);
    await same(['stop', 'grafana']);
    await same(['status', 'grafana']);
    await same(['stop', 'grafana']);
    await same(['start', 'grafana']);
    await same(['start', 'celery:*'], { asSet: true });
    await same(['stop', 'celery:*'], { asSet: true });
    await same(['start', 'celery:*'], { asSet: true });
    await same(['start', 'nope']);
  });

  test(
    'reread and update without a file: the config the stack came from',
    { timeout: 4 * T },
    async () => {
      await same(['reread']);
      await same(['update']);
      await same(['status']);
      // no file and no -c: the file the project's manifest records
      for (const verb of ['reread', 'update']) {
        const r = supctl([verb, '--name', project]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.lines, verb === 'reread' ? ['No config updates to processes'] : []);
      }
    },
  );

  test('tail and tail stderr', { timeout: 4 * T }, async () => {
    await same(['tail', 'bklog-api']);
    await same(['tail', 'bklog-api', 'stderr']);
    await same(['tail', 'grafana', 'stderr']);
  });

  test(
    'the interactive session: status, start, stop, quit on stdin',
    { timeout: 4 * T },
    async () => {
      await same([], {
        input: 'status\nstart bklog-transfer\nstop bklog-transfer\nstop grafana\nquit\n',
      });
      await same([], { input: 'status\nstart grafana\nquit\n' });
    },
  );

  test(
    'remove GROUP refuses a running group, removes a stopped one; add GROUP brings it back',
    {
      timeout: 10 * T,
    },
    async () => {
      await same(['remove', 'celery']);
      await same(['remove', 'nope']);
      await same(['add', 'nope']);
      await same(['stop', 'celery:*'], { asSet: true });
      await same(['remove', 'celery']);
      await same(['status']);
      await same(['add', 'celery']);
      await same(['add', 'celery']);
      await same(['status']);
      // the same through the interactive shell
      await same([], {
        input: 'stop celery:celery-beat celery:celery-worker\nremove celery\nadd celery\nquit\n',
      });
      await same(['status']);
    },
  );
});
