/**
 * Side by side: Debian's supervisorctl 4.2.5 runs the same command lines
 * against a real supervisord and against `supctl serve` over the harness's
 * systemd units running the same programs; lines (pids and uptimes
 * normalised) and exit codes must be equal.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  describeWithHarness,
  startSupervisord,
  systemdCliEnv,
  waitFor,
  type Supervisord,
} from './harness.ts';
import { norm, supervisorctl } from './supervisorctl.ts';

const PROJECT = `srvp${process.pid}`;

const dir = mkdtempSync(join(tmpdir(), 'supctl-serve-parity-'));

const SECTIONS = `
[program:ticker]
; a line to stdout and one to stderr each time go appears next to the config
command=/bin/sh -c 'while sleep 0.2; do if [ -f %(here)s/go ]; then rm -f %(here)s/go; echo late-line; echo late-err >&2; fi; done'
startsecs=0

[program:web]
command=/bin/sh -c 'echo web-out; echo web-err >&2; exec sleep 1000'
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false
startsecs=0

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0

[group:grp]
programs=w
`;

/** In order: each changes state the same way on both sides. */
const COMMANDS: string[][] = [
  ['status'],
  ['status', 'web'],
  ['status', 'grp:*'],
  ['status', 'nope'],
  ['version'],
  ['pid'],
  ['pid', 'web'],
  ['pid', 'idle'],
  ['pid', 'nope'],
  ['avail'],
  ['tail', 'web'],
  ['tail', 'web', 'stderr'],
  ['tail', '-3', 'web'],
  ['tail', 'nope'],
  ['stop', 'web'],
  ['stop', 'web'],
  ['status', 'web'],
  ['start', 'web'],
  ['start', 'web'],
  ['restart', 'web'],
  ['start', 'nope'],
  ['stop', 'grp:*'],
  ['start', 'grp:*'],
  ['restart', 'grp:w_1'],
  ['signal', 'HUP', 'idle'],
  ['signal', 'BOGUS', 'web'],
  ['signal', 'HUP', 'nope'],
  ['start', 'idle'],
  ['signal', 'USR1', 'idle'],
  ['stop', 'idle'],
  ['reread'],
  ['update'],
  ['status'],
];

/**
 * The one known difference: a manual (autostart=false) unit that ran and
 * stopped is unloaded by systemd's GC, taking its timestamps along, so the
 * systemd backend says "Not started" where supervisord shows the stop time.
 */
const knownGap = (l: string): string => l.replace(/^(idle\s+STOPPED\s+).*$/, '$1(stop time)');

describeWithHarness('supervisorctl: serve over systemd = a real supervisord', (h) => {
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: PROJECT });
  const conf = join(dir, 'app.conf');
  const sock = join(dir, 'serve.sock');
  let sd: Supervisord;
  let serve: ChildProcess | undefined;

  before(async () => {
    writeFileSync(conf, SECTIONS);
    const a = spawnSync(process.execPath, ['bin/supctl', 'apply', conf], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(a.status, 0, a.stderr);
    sd = await startSupervisord({ sections: SECTIONS });
    serve = spawn(
      process.execPath,
      ['bin/supctl', 'serve', '-c', conf, '--listen', `unix:${sock}`],
      {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await waitFor('serve listening', () => (/listening on/.test(err) ? true : undefined), 20_000);
    const running = (extra: string[]) => () =>
      supervisorctl(h, sd.configPath, ['status'], extra).lines.filter((l) => l.includes('RUNNING'))
        .length === 4
        ? true
        : undefined;
    await waitFor('supervisord: 4 RUNNING', running([]), 20_000);
    await waitFor('serve: 4 RUNNING', running(['-s', `unix://${sock}`]), 20_000);
  });
  after(async () => {
    if (serve?.pid !== undefined) process.kill(serve.pid, 'SIGTERM');
    await sd?.stop();
    spawnSync(process.execPath, ['bin/supctl', 'uninstall'], { env, timeout: 120_000 });
  });

  test('same lines and exit codes, command by command', () => {
    const diffs: string[] = [];
    for (const args of COMMANDS) {
      const want = supervisorctl(h, sd.configPath, args);
      const got = supervisorctl(h, sd.configPath, args, ['-s', `unix://${sock}`]);
      // supervisord answers a group action in the order its processes finish: compare as sets
      const order = (l: string[]) => (args[1]?.endsWith(':*') ? [...l].sort() : l);
      const w = { code: want.code, lines: order(norm(want.lines).map(knownGap)) };
      const g = { code: got.code, lines: order(norm(got.lines).map(knownGap)) };
      try {
        assert.deepEqual(g, w);
      } catch {
        diffs.push(
          `supervisorctl ${args.join(' ')}\n  want ${JSON.stringify(w)}\n  got  ${JSON.stringify(g)}`,
        );
      }
    }
    assert.deepEqual(diffs, []);
  });

  /** `supervisorctl tail -f ARGS` until `want` shows up; `go` is created once it follows. */
  async function tailFollow(
    extra: string[],
    go: string,
    args: string[],
    want: string,
  ): Promise<void> {
    const c = spawn(h.supervisor.python, [
      '-m',
      'supervisor.supervisorctl',
      '-c',
      sd.configPath,
      ...extra,
      'tail',
      '-f',
      ...args,
    ]);
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor('tail -f following', () => (out.includes('Ctrl-C') ? true : undefined), 20_000);
      writeFileSync(go, '');
      await waitFor(
        `${want} through tail -f`,
        () => (out.includes(want) ? true : undefined),
        20_000,
      );
    } finally {
      c.kill('SIGTERM');
    }
  }

  test('tail -f: a line written after the follow started arrives, on both', async () => {
    const sides: [string[], string][] = [
      [[], join(sd.dir, 'go')],
      [['-s', `unix://${sock}`], join(dir, 'go')],
    ];
    for (const [extra, go] of sides) {
      await tailFollow(extra, go, ['ticker'], 'late-line');
      await tailFollow(extra, go, ['ticker', 'stderr'], 'late-err');
    }
  });
});
