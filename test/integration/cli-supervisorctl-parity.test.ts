/**
 * Differential: supctl's control verbs against supervisorctl 4.2.5 itself.
 * A real supervisord runs a set of programs (long and short names, a
 * numprocs group, stopped, fatal); its getAllProcessInfo feeds a fake
 * backend, and for each command line supctl's output lines and exit code
 * must equal supervisorctl's on the real daemon.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ctlSignal, ctlStartStop } from '../../src/cli/commands/ctl-act.ts';
import { ctlStatus } from '../../src/cli/commands/ctl-show.ts';
import { formatAvail } from '../../src/control/format.ts';
import { namespec as makeNamespec } from '../../src/model/names.ts';
import type { ProcessState, ProcessStatus } from '../../src/control/types.ts';
import { FakeBackend, recordIO } from '../control/fake-backend.ts';
import { describeWithHarness, startSupervisord, waitFor, type Supervisord } from './harness.ts';

const LONG = 'a_program_with_a_name_longer_than_thirty_chars';

const SECTIONS = `
[program:web]
command=/bin/sleep 1000
startsecs=0

[program:${LONG}]
command=/bin/sleep 1000
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false

[program:fatal]
command=/bin/sh -c 'exit 1'
startsecs=1
startretries=0

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0

[group:grp]
programs=w
`;

interface Info {
  group: string;
  name: string;
  statename: string;
  description: string;
  pid: number;
}

describeWithHarness('supctl verbs = supervisorctl 4.2.5 (differential)', (h) => {
  let sd: Supervisord;
  const ctl = (...args: string[]) => {
    const r = spawnSync(
      h.supervisor.python,
      ['-m', 'supervisor.supervisorctl', '-c', sd.configPath, ...args],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    return { status: r.status, lines: r.stdout.split('\n').filter(Boolean) };
  };
  const infos = async (): Promise<ProcessStatus[]> =>
    ((await sd.call('supervisor.getAllProcessInfo')) as unknown as Info[]).map((i) => ({
      group: i.group,
      name: i.name,
      namespec: makeNamespec(i.group, i.name),
      project: 'p',
      state: i.statename as ProcessState,
      description: i.description,
      pid: i.pid === 0 ? null : i.pid,
      startedAt: null,
      stoppedAt: null,
      exitStatus: null,
      restarts: null,
      cpuNsec: null,
      memoryBytes: null,
      ref: makeNamespec(i.group, i.name),
    }));

  before(async () => {
    sd = await startSupervisord({ sections: SECTIONS });
    await waitFor('fatal FATAL and the others RUNNING', async () => {
      const all = await infos();
      return all.find((p) => p.name === 'fatal')?.state === 'FATAL' &&
        all.filter((p) => p.state === 'RUNNING').length === 4
        ? true
        : undefined;
    });
  });
  after(async () => {
    await sd.stop();
  });

  const STATUS_CASES = [
    [],
    ['all'],
    ['web'],
    ['idle'],
    ['grp:*'],
    ['grp:'],
    ['grp:w_1', 'web'],
    ['grp'],
    ['nope:*'],
    ['nope', 'web'],
    ['nope', 'idle'],
    ['fatal'],
    ['web', 'all'],
  ];

  test('status: same lines and exit code for every name form', async () => {
    for (const names of STATUS_CASES) {
      // uptimes tick: retry when a second boundary fell between the two reads
      for (let attempt = 0; ; attempt++) {
        const want = ctl('status', ...names);
        const r = recordIO();
        const code = await ctlStatus(new FakeBackend(await infos()), names, r.io);
        try {
          // the description is supervisor's own here; only its clock may tick between reads
          const tick = (l: string[]) => l.map((x) => x.replace(/uptime [\d:]+$/, 'uptime T'));
          assert.deepEqual(tick(r.out), tick(want.lines), `status ${names.join(' ')}`);
          assert.equal(code, want.status, `status ${names.join(' ')} exit code`);
          break;
        } catch (e) {
          if (attempt >= 3) throw e;
        }
      }
    }
  });

  test('start/stop/signal: lines and exit codes decided by names and states', async () => {
    const cases: [string, string[]][] = [
      ['start', ['web']],
      ['start', ['grp:*']],
      ['start', ['nope:*']],
      ['start', ['nope']],
      ['start', ['grp']],
      ['stop', ['idle']],
      ['stop', ['nope:*']],
      ['stop', ['nope']],
      ['signal', ['HUP', 'idle']],
      ['signal', ['BOGUS', 'web']],
      ['signal', ['HUP', 'nope:*']],
      ['signal', ['HUP', 'nope']],
      ['signal', ['HUP', 'fatal']],
    ];
    for (const [verb, args] of cases) {
      const want = ctl(verb, ...args);
      const r = recordIO();
      const b = new FakeBackend(await infos());
      const code =
        verb === 'signal'
          ? await ctlSignal(b, args, r.io)
          : await ctlStartStop(b, verb as 'start' | 'stop', args, r.io);
      assert.deepEqual(r.out, want.lines, `${verb} ${args.join(' ')}`);
      assert.equal(code, want.status, `${verb} ${args.join(' ')} exit code`);
    }
  });

  test('stop then start of a group: same lines', async () => {
    for (const verb of ['stop', 'start'] as const) {
      const b = new FakeBackend(await infos());
      const r = recordIO();
      const code = await ctlStartStop(b, verb, ['grp:*'], r.io);
      const want = ctl(verb, 'grp:*');
      // supervisord answers a group action in the order its processes finish
      assert.deepEqual([...r.out].sort(), [...want.lines].sort(), `${verb} grp:*`);
      assert.equal(code, want.status);
    }
  });

  test('avail: same lines', async () => {
    const cfg = (await sd.call('supervisor.getAllConfigInfo')) as unknown as {
      group: string;
      name: string;
      inuse: boolean;
      autostart: boolean;
      group_prio: number;
      process_prio: number;
    }[];
    const lines = formatAvail(
      cfg.map((c) => ({
        namespec: makeNamespec(c.group, c.name),
        inUse: c.inuse,
        autostart: c.autostart,
        priority: c.process_prio,
        groupPriority: c.group_prio,
      })),
    );
    assert.deepEqual(lines, ctl('avail').lines);
  });
});
