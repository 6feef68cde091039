/**
 * bin/supctl (the built CLI) with `--backend supervisord` against real
 * supervisord 4.2.5 daemons, compared with the real supervisorctl on the
 * same daemon: status, start, stop, restart, signal, tail, pid, avail,
 * reread and update print the same lines (pids and uptimes normalised) and
 * exit with the same codes. Also: `status --wide` (CPU and memory from
 * /proc, `-` restarts), -s before the verb, SUPCTL_SERVERURL, the server
 * found from the config file, `remove` refused, an unreachable server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  describeWithHarness,
  startSupervisord,
  waitFor,
  type Supervisord,
  type XmlRpcValue,
} from './harness.ts';
import { norm, supervisorctl, type CtlRun } from './supervisorctl.ts';

const T = 60_000;

/** bin/supctl with `env`, none of the caller's SUPCTL_* settings. */
function supctl(args: string[], env: Record<string, string> = {}): CtlRun & { stderr: string } {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SUPCTL_')),
  );
  const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    code: r.status,
    lines: r.stdout.split('\n').filter(Boolean),
    raw: r.stdout,
    stderr: r.stderr,
  };
}

type Info = Record<string, XmlRpcValue>;

describeWithHarness('supctl --backend supervisord = supervisorctl (bin/supctl)', (h) => {
  let sd: Supervisord;
  const RUNNING_AT_START = ['web', 'hup', 'fixed', 'grp:w_0', 'grp:w_1'];
  const on = (...args: string[]) =>
    supctl(['--backend', 'supervisord', '-s', `unix://${sd.socketPath}`, ...args]);
  const stateOf = async (namespec: string) => {
    const i = (await sd.call('supervisor.getProcessInfo', [namespec])) as Info;
    return typeof i['statename'] === 'string' ? i['statename'] : '';
  };

  before(async () => {
    sd = await startSupervisord({
      sections: `
[program:web]
command=/bin/sleep 1000
startsecs=0

[program:idle]
command=/bin/sleep 1000
autostart=false
startsecs=0

[program:hup]
command=/bin/sh -c 'trap "echo got-hup" HUP; while true; do sleep 0.1; done'
startsecs=0

[program:fixed]
command=/bin/sh -c 'echo line-one; echo line-two; echo err-one >&2; exec sleep 1000'
startsecs=0

[program:fatal]
command=/bin/sh -c 'exit 1'
startsecs=1
startretries=0

[program:quick]
command=/bin/sh -c 'exit 3'
autostart=false
startsecs=1
startretries=0

[program:nofile]
command=/nonexistent/program
autostart=false

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0

[group:grp]
programs=w
`,
    });
    await waitFor('fatal FATAL, the autostart ones RUNNING', async () => {
      const s = await Promise.all([...RUNNING_AT_START, 'fatal'].map(stateOf));
      return s.pop() === 'FATAL' && s.every((x) => x === 'RUNNING') ? true : undefined;
    });
  });
  after(async () => {
    await sd?.stop();
  });

  /** Back to the state before(): the same processes running, the others not. */
  const restore = async () => {
    for (const n of RUNNING_AT_START) {
      if ((await stateOf(n)) !== 'RUNNING') await sd.call('supervisor.startProcess', [n, true]);
    }
    if (['RUNNING', 'STARTING', 'BACKOFF'].includes(await stateOf('idle'))) {
      await sd.call('supervisor.stopProcess', ['idle', true]);
    }
  };

  /** supctl and supervisorctl, one after the other on the same daemon: same lines, same exit. */
  const compare = async (args: string[], mutates = false) => {
    for (let attempt = 0; ; attempt++) {
      const got = on(...args);
      if (mutates) await restore();
      const want = supervisorctl(h, sd.configPath, args);
      if (mutates) await restore();
      try {
        assert.deepEqual(norm(got.lines), norm(want.lines), `${args.join(' ')} ${got.stderr}`);
        assert.equal(got.code, want.code, `${args.join(' ')}: exit code`);
        return;
      } catch (e) {
        // an uptime may tick over between the two runs
        if (attempt >= 2) throw e;
      }
    }
  };

  test('status, pid, avail', { timeout: 4 * T }, async () => {
    for (const names of [
      [],
      ['all'],
      ['web'],
      ['idle'],
      ['grp:*'],
      ['grp:w_1', 'web'],
      ['nope'],
      ['fatal'],
    ]) {
      await compare(['status', ...names]);
    }
    for (const names of [['web'], ['idle'], ['nope'], ['all'], ['grp:w_0']]) {
      await compare(['pid', ...names]);
    }
    // a bare pid is supervisord's own
    const bare = on('pid');
    assert.deepEqual([bare.code, bare.lines], [0, [String(sd.pid)]]);
    await compare(['pid']);
    await compare(['avail']);
  });

  test('start, stop, restart, signal', { timeout: 6 * T }, async () => {
    for (const args of [
      ['start', 'idle'],
      ['start', 'web'],
      ['start', 'nope'],
      ['start', 'nofile'],
      ['start', 'quick'],
      ['start', 'grp:*'],
      ['stop', 'web'],
      ['stop', 'idle'],
      ['stop', 'grp:*'],
      ['stop', 'web', 'idle', 'nope'],
      ['restart', 'web'],
      ['restart', 'grp:*'],
      ['signal', 'HUP', 'hup'],
      ['signal', 'BOGUS', 'web'],
      ['signal', 'HUP', 'idle'],
      ['signal', 'HUP', 'grp:*'],
    ]) {
      await compare(args, true);
    }
    // a usage error: supervisorctl's first line and exit status, on stderr (as on every backend)
    const got = on('start');
    const want = supervisorctl(h, sd.configPath, ['start']);
    assert.equal(got.stderr.split('\n')[0], want.lines[0]);
    assert.equal(got.code, want.code);
  });

  test('tail: the text and the newline after it, faults on stdout', { timeout: 2 * T }, () => {
    for (const words of [['fixed'], ['-9', 'fixed'], ['fixed', 'stderr'], ['idle'], ['nope']]) {
      const got = on('tail', ...words);
      const want = supervisorctl(h, sd.configPath, ['tail', ...words]);
      assert.equal(got.raw, want.raw, `tail ${words.join(' ')}: ${got.stderr}`);
      assert.equal(got.code, want.code, `tail ${words.join(' ')}: exit code`);
    }
  });

  test(
    'status --wide: CPU and memory of a running program, no restart count',
    { timeout: T },
    () => {
      const r = on('status', '--wide', 'web', 'idle');
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.lines[0]!, /^NAME\s+STATE\s+RESTARTS\s+CPU\s+MEM\s+DESCRIPTION$/);
      // sleep uses no CPU to speak of, but it has resident memory
      assert.match(
        r.lines[1]!,
        /^web\s+RUNNING\s+-\s+\d+:\d\d:\d\d\.\d\d\s+\d+(\.\d)?[KMG]\s+pid \d+, uptime /,
      );
      assert.match(r.lines[2]!, /^idle\s+STOPPED\s+-\s+-\s+-\s+\S/);
    },
  );

  test('-s before the verb, SUPCTL_SERVERURL, remove refused, no server', { timeout: T }, () => {
    const url = `unix://${sd.socketPath}`;
    const hoisted = supctl(['--backend', 'supervisord', '-s', url, 'status', 'web']);
    assert.equal(hoisted.code, 0, hoisted.stderr);
    assert.match(hoisted.lines[0]!, /^web\s+RUNNING/);
    const fromEnv = supctl(['pid', 'web'], {
      SUPCTL_BACKEND: 'supervisord',
      SUPCTL_SERVERURL: url,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.match(fromEnv.lines[0]!, /^[1-9]\d*$/);

    const removed = on('uninstall', '--name', 'x');
    assert.equal(removed.code, 1);
    assert.match(removed.stderr, /^supctl: the supervisord backend does not remove programs/);

    // supervisorctl's words and exit status; supctl says it on stderr
    const gone = `unix://${sd.dir}/nope.sock`;
    const got = supctl(['--backend', 'supervisord', '-s', gone, 'status']);
    const want = supervisorctl(h, sd.configPath, ['status'], ['-s', gone]);
    assert.equal(got.stderr, `supctl: ${want.lines[0]}\n`);
    assert.equal(got.code, want.code);
  });
});

describeWithHarness('supctl --backend supervisord reread/update FILE = supervisorctl', (h) => {
  const BEFORE = `
[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:change]
command=/bin/sleep 1000
startsecs=0

[program:drop]
command=/bin/sleep 1000
startsecs=0
`;
  const AFTER = BEFORE.replace('[program:drop]', '[program:add]').replace(
    '[program:change]\ncommand=/bin/sleep 1000',
    '[program:change]\ncommand=/bin/sleep 2000',
  );
  // two daemons with the same config: supctl updates one, supervisorctl the other
  let mine: Supervisord;
  let theirs: Supervisord;
  before(async () => {
    [mine, theirs] = await Promise.all([
      startSupervisord({ sections: BEFORE }),
      startSupervisord({ sections: BEFORE }),
    ]);
  });
  after(async () => {
    await Promise.all([mine?.stop(), theirs?.stop()]);
  });

  test('the server found from the file; same lines, same exit codes', { timeout: 2 * T }, () => {
    // no -s: the file names the daemon ([supervisorctl] serverurl), as for supervisorctl -c
    const run = (verb: string) => supctl(['--backend', 'supervisord', verb, mine.configPath]);
    const same = (verb: string) => {
      const got = run(verb);
      const want = supervisorctl(h, theirs.configPath, [verb]);
      assert.deepEqual(got.lines, want.lines, `${verb}: ${got.stderr}`);
      assert.equal(got.code, want.code, `${verb}: exit code`);
      return got.lines;
    };
    assert.deepEqual(same('reread'), ['No config updates to processes']);
    for (const sd of [mine, theirs]) {
      writeFileSync(sd.configPath, readFileSync(sd.configPath, 'utf8').replace(BEFORE, AFTER));
    }
    assert.deepEqual(same('reread'), ['add: available', 'change: changed', 'drop: disappeared']);
    assert.deepEqual(same('update'), [
      'drop: stopped',
      'drop: removed process group',
      'change: stopped',
      'change: updated process group',
      'add: added process group',
    ]);
    assert.deepEqual(same('reread'), ['No config updates to processes']);
  });
});
