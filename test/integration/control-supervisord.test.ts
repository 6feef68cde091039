/**
 * The supervisord backend against real supervisord 4.2.5 daemons:
 *  - every Backend method and each fault supervisord raises, over the unix socket;
 *  - HTTP with Basic auth, and the server found from the config as supervisorctl finds it;
 *  - reread / update adding, changing and removing groups;
 *  - differential: the real `supervisorctl -c CONF …` (./supervisorctl.ts) and
 *    supctl's verbs (src/cli/commands/ctl-*.ts) over this backend on the same daemon, same
 *    lines (pids and uptimes normalised) and exit codes.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ctlSignal, ctlStartStop } from '../../src/cli/commands/ctl-act.ts';
import { ctlApply, ctlReread } from '../../src/cli/commands/ctl-config.ts';
import { ctlAvail, ctlPid, ctlStatus, ctlTail } from '../../src/cli/commands/ctl-show.ts';
import { loadConfig } from '../../src/config/load.ts';
import { discoverServer } from '../../src/control/supervisord/discover.ts';
import { createSupervisordBackend } from '../../src/control/supervisord/index.ts';
import { BackendError, type Backend, type ProcessStatus } from '../../src/control/types.ts';
import { recordIO } from '../control/fake-backend.ts';
import {
  describeWithHarness,
  startSupervisord,
  waitFor,
  withTimeout,
  type Supervisord,
  type XmlRpcValue,
} from './harness.ts';
import { norm, supervisorctl } from './supervisorctl.ts';

const T = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error())));
    });
  });
}

const byName = (all: ProcessStatus[], namespec: string): ProcessStatus => {
  const p = all.find((x) => x.namespec === namespec);
  assert.ok(p, `no process ${namespec}`);
  return p;
};

describeWithHarness('supervisord backend (real supervisord 4.2.5)', (h) => {
  let sd: Supervisord;
  let b: Backend;
  let scripts: string;
  const unixUrl = () => `unix://${sd.socketPath}`;
  const raw = async (method: string, params: XmlRpcValue[] = []) => sd.call(method, params);
  const state = async (namespec: string) => byName(await b.list(), namespec).state;

  const RUNNING_AT_START = ['web', 'hup', 'echoer', 'fixed', 'grp:w_0', 'grp:w_1'];
  const STOPPED_AT_START = ['idle', 'slow'];

  before(async () => {
    scripts = mkdtempSync(path.join(tmpdir(), 'supctl-sd-scripts-'));
    writeFileSync(path.join(scripts, 'notexec.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(scripts, 'notexec.sh'), 0o644);
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

[program:echoer]
command=/bin/sh -c 'trap "echo after-follow" USR1; echo before-follow; while true; do sleep 0.1; done'
startsecs=0

[program:fixed]
command=/bin/sh -c 'echo line-one; echo line-two; echo err-one >&2; exec sleep 1000'
startsecs=0

[program:slow]
command=/bin/sleep 1000
autostart=false
startsecs=3

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

[program:notexec]
command=${scripts}/notexec.sh
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
    b = createSupervisordBackend({ serverUrl: unixUrl(), timeoutMs: 30_000 });
    await waitFor('fatal FATAL, the autostart ones RUNNING', async () => {
      const all = await b.list();
      return byName(all, 'fatal').state === 'FATAL' &&
        RUNNING_AT_START.every((n) => byName(all, n).state === 'RUNNING')
        ? true
        : undefined;
    });
  });
  after(async () => {
    await b?.close();
    await sd?.stop();
    rmSync(scripts, { recursive: true, force: true });
  });

  /** Back to the state before(): the same processes running, the others not. */
  const restore = async () => {
    for (const n of RUNNING_AT_START) {
      if ((await state(n)) !== 'RUNNING') await raw('supervisor.startProcess', [n, true]);
    }
    for (const n of STOPPED_AT_START) {
      if (['RUNNING', 'STARTING', 'BACKOFF'].includes(await state(n))) {
        await raw('supervisor.stopProcess', [n, true]);
      }
    }
  };

  test('list: getAllProcessInfo as ProcessStatus, no restart count', { timeout: T }, async () => {
    const infos = (await raw('supervisor.getAllProcessInfo')) as Record<string, XmlRpcValue>[];
    const all = await b.list();
    assert.deepEqual(
      all.map((p) => [p.group, p.name, p.state]),
      infos.map((i) => [i['group'], i['name'], i['statename']]),
    );
    const web = byName(all, 'web');
    const info = infos.find((i) => i['name'] === 'web')!;
    assert.equal(web.pid, info['pid']);
    assert.equal(web.startedAt, (info['start'] as number) * 1000);
    assert.equal(web.stoppedAt, null);
    assert.match(web.description, /^pid \d+, uptime \d+:\d\d:\d\d$/);
    assert.equal(web.restarts, null);
    assert.equal(web.cpuNsec, null, 'no /proc reads without detail');
    assert.equal(byName(all, 'grp:w_1').namespec, 'grp:w_1');
    const idle = byName(all, 'idle');
    assert.deepEqual([idle.pid, idle.description, idle.exitStatus], [null, 'Not started', null]);
    const fatal = byName(all, 'fatal');
    assert.equal(fatal.description, 'Exited too quickly (process log may have details)');
    // supervisord forgets the exit status of a run that ended before startsecs (reports 0)
    assert.equal(fatal.exitStatus, 0);

    const wide = await b.list({ detail: true });
    const w = byName(wide, 'web');
    assert.ok(w.memoryBytes !== null && w.memoryBytes > 0, 'RSS from /proc');
    assert.ok(w.cpuNsec !== null && w.cpuNsec >= 0, 'CPU time from /proc');
    assert.equal(byName(wide, 'idle').memoryBytes, null);
  });

  test('start / stop / restart, single and as a group call', { timeout: T }, async () => {
    let all = await b.list();
    assert.deepEqual(await b.start([byName(all, 'idle')]), [{ namespec: 'idle', ok: true }]);
    assert.equal(await state('idle'), 'RUNNING');
    assert.deepEqual(await b.stop([byName(all, 'idle')]), [{ namespec: 'idle', ok: true }]);
    assert.equal(await state('idle'), 'STOPPED');

    const grp = all.filter((p) => p.group === 'grp');
    const stopped = await b.stop(grp);
    assert.deepEqual(stopped.map((r) => [r.namespec, r.ok]).sort(), [
      ['grp:w_0', true],
      ['grp:w_1', true],
    ]);
    all = await b.list();
    assert.deepEqual(
      all.filter((p) => p.group === 'grp').map((p) => p.state),
      ['STOPPED', 'STOPPED'],
    );
    const started = await b.start(all.filter((p) => p.group === 'grp'));
    assert.deepEqual(started.map((r) => [r.namespec, r.ok]).sort(), [
      ['grp:w_0', true],
      ['grp:w_1', true],
    ]);

    const before = byName(await b.list(), 'web');
    assert.deepEqual(await b.restart([before]), [{ namespec: 'web', ok: true }]);
    const after = byName(await b.list(), 'web');
    assert.equal(after.state, 'RUNNING');
    assert.notEqual(after.pid, before.pid, 'a new process');
    await restore();
  });

  test('each fault supervisord raises, as the facade names it', { timeout: T }, async () => {
    const all = await b.list();
    const one = async (verb: 'start' | 'stop', name: string) =>
      (await b[verb]([byName(all, name)]))[0];
    assert.equal((await one('start', 'web'))?.fault, 'ALREADY_STARTED');
    assert.equal((await one('stop', 'idle'))?.fault, 'NOT_RUNNING');
    assert.equal((await one('start', 'nofile'))?.fault, 'NO_FILE');
    assert.equal((await one('start', 'notexec'))?.fault, 'NOT_EXECUTABLE');
    assert.equal((await one('start', 'quick'))?.fault, 'SPAWN_ERROR');
    const ghost = { ...byName(all, 'idle'), group: 'ghost', name: 'ghost', namespec: 'ghost' };
    assert.equal((await b.start([ghost]))[0]?.fault, 'BAD_NAME');
    assert.equal((await b.signal([byName(all, 'web')], 'NOSUCHSIG'))[0]?.fault, 'BAD_SIGNAL');
    assert.equal((await b.signal([byName(all, 'idle')], 'HUP'))[0]?.fault, 'NOT_RUNNING');

    // a process stopped by someone else while start waits for startsecs
    const starting = b.start([byName(all, 'slow')]);
    await waitFor('slow STARTING', async () =>
      (await state('slow')) === 'STARTING' ? true : undefined,
    );
    await raw('supervisor.stopProcess', ['slow', true]);
    assert.equal((await starting)[0]?.fault, 'ABNORMAL_TERMINATION');
    await restore();
  });

  test('signal, tail -N, tail of stderr, tail -f', { timeout: T }, async () => {
    const all = await b.list();
    assert.deepEqual(await b.signal([byName(all, 'hup')], 'SIGHUP'), [
      { namespec: 'hup', ok: true },
    ]);
    const read = async (name: string, req: Parameters<Backend['logs']>[1]) => {
      const chunks: Buffer[] = [];
      await b.logs(byName(all, name), req, (c) => chunks.push(c));
      return Buffer.concat(chunks).toString('utf8');
    };
    await waitFor('got-hup in the log', async () =>
      (await read('hup', { channel: 'stdout', follow: false })).includes('got-hup')
        ? true
        : undefined,
    );
    assert.equal(await read('fixed', { channel: 'stdout', follow: false }), 'line-one\nline-two\n');
    assert.equal(await read('fixed', { channel: 'stdout', follow: false, bytes: 9 }), 'line-two\n');
    assert.equal(await read('fixed', { channel: 'stderr', follow: false }), 'err-one\n');

    const ac = new AbortController();
    let got = '';
    const following = b.logs(
      byName(all, 'echoer'),
      { channel: 'stdout', follow: true, signal: ac.signal },
      (c) => void (got += c.toString('utf8')),
    );
    await waitFor('the log so far', () => (got.includes('before-follow') ? true : undefined));
    assert.ok(!got.includes('after-follow'));
    await raw('supervisor.signalProcess', ['echoer', 'USR1']);
    await waitFor('a line written after the follow started', () =>
      got.includes('after-follow') ? true : undefined,
    );
    ac.abort();
    await withTimeout(following, 5_000, 'the follow to end on abort');

    // a process supervisord does not know: /logtail answers 404
    const ghost = { ...byName(all, 'idle'), group: 'ghost', name: 'ghost', namespec: 'ghost' };
    await assert.rejects(
      b.logs(
        ghost,
        { channel: 'stdout', follow: true, signal: AbortSignal.timeout(5_000) },
        () => {},
      ),
      (e: unknown) => e instanceof BackendError && e.code === 'NOT_FOUND',
    );
  });

  test('avail, remove refused, an unreachable server', { timeout: T }, async () => {
    const avail = await b.avail();
    assert.equal(avail.length, (await b.list()).length);
    assert.deepEqual(
      avail.find((a) => a.namespec === 'idle'),
      { namespec: 'idle', inUse: true, autostart: false, priority: 999, groupPriority: 999 },
    );
    await assert.rejects(b.remove(), (e: unknown) => e instanceof BackendError);

    const gone = createSupervisordBackend({ serverUrl: `unix://${sd.dir}/nope.sock` });
    await assert.rejects(
      gone.list(),
      (e: unknown) =>
        e instanceof BackendError &&
        e.code === 'UNREACHABLE' &&
        e.message === `unix://${sd.dir}/nope.sock no such file`,
    );
  });

  test('the server as supervisorctl finds it in the config', () => {
    const d = loadConfig(sd.configPath);
    assert.deepEqual(discoverServer(d), {
      serverUrl: unixUrl(),
      username: null,
      password: null,
      source: 'supervisorctl',
    });
  });

  // ------------------------------------------------------ differential --

  const io = () => recordIO();
  type Run = (b: Backend, r: ReturnType<typeof recordIO>) => Promise<number>;
  const compare = async (args: string[], run: Run, mutates: boolean) => {
    for (let attempt = 0; ; attempt++) {
      const r = io();
      const code = await run(b, r);
      if (mutates) await restore();
      const want = supervisorctl(h, sd.configPath, args);
      if (mutates) await restore();
      try {
        assert.deepEqual(norm(r.out), norm(want.lines), args.join(' '));
        assert.equal(code, want.code, `${args.join(' ')}: exit code`);
        return;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
  };

  test('= supervisorctl: status and pid', { timeout: 4 * T }, async () => {
    for (const names of [
      [],
      ['all'],
      ['web'],
      ['idle'],
      ['grp:*'],
      ['grp:w_1', 'web'],
      ['nope'],
      ['nope:*'],
      ['fatal'],
    ]) {
      await compare(['status', ...names], (b, r) => ctlStatus(b, names, r.io), false);
    }
    for (const names of [['web'], ['idle'], ['nope'], ['all']]) {
      await compare(['pid', ...names], (b, r) => ctlPid(b, names, r.io), false);
    }
  });

  test('= supervisorctl: start, stop, restart, signal', { timeout: 6 * T }, async () => {
    const cases: [string, string[]][] = [
      ['start', ['idle']],
      ['start', ['web']],
      ['start', ['nope']],
      ['start', ['nofile']],
      ['start', ['notexec']],
      ['start', ['quick']],
      ['start', ['grp:*']],
      ['stop', ['web']],
      ['stop', ['idle']],
      ['stop', ['grp:*']],
      ['stop', ['web', 'idle', 'nope']],
      ['restart', ['web']],
      ['restart', ['grp:*']],
      ['signal', ['HUP', 'hup']],
      ['signal', ['BOGUS', 'web']],
      ['signal', ['HUP', 'idle']],
      ['signal', ['HUP', 'grp:*']],
    ];
    for (const [verb, args] of cases) {
      await compare(
        [verb, ...args],
        (b, r) =>
          verb === 'signal'
            ? ctlSignal(b, args, r.io)
            : ctlStartStop(b, verb as 'start' | 'stop' | 'restart', args, r.io),
        true,
      );
    }
  });

  test('= supervisorctl: tail, avail, reread', { timeout: T }, async () => {
    for (const words of [['fixed'], ['-9', 'fixed'], ['fixed', 'stderr']]) {
      const r = io();
      const code = await ctlTail(b, { follow: false, words }, r.io);
      const want = supervisorctl(h, sd.configPath, ['tail', ...words]);
      assert.equal(r.raw(), want.raw, `tail ${words.join(' ')}`);
      assert.equal(code, want.code);
    }
    await compare(['avail'], (b, r) => ctlAvail(b, r.io), false);
    const d = loadConfig(sd.configPath);
    await compare(['reread'], (b, r) => ctlReread(b, d, r.io), false);
  });
});

describeWithHarness('supervisord backend over HTTP with Basic auth', (h) => {
  let sd: Supervisord;
  let port: number;
  before(async () => {
    port = await freePort();
    sd = await startSupervisord({
      sections: `
[inet_http_server]
port=127.0.0.1:${port}
username=alice
password={SHA}fef341f85d87439e7d91a2d465b9871ef66b5e98

[program:echo]
command=/bin/sh -c 'trap "echo over-http" USR1; echo hello; while true; do sleep 0.1; done'
startsecs=0
`,
    });
  });
  after(async () => {
    await sd?.stop();
  });

  test(
    'list, start/stop, tail -f with the right password; denied without',
    { timeout: T },
    async () => {
      // {SHA} is the hex SHA-1 of the password ("s3cret")
      const b = createSupervisordBackend({
        serverUrl: `http://127.0.0.1:${port}`,
        username: 'alice',
        password: 's3cret',
      });
      const all = await b.list();
      assert.deepEqual(
        all.map((p) => [p.namespec, p.state]),
        [['echo', 'RUNNING']],
      );
      assert.deepEqual(await b.stop(all), [{ namespec: 'echo', ok: true }]);
      assert.deepEqual(await b.start(all), [{ namespec: 'echo', ok: true }]);
      const ac = new AbortController();
      let got = '';
      const following = b.logs(
        all[0]!,
        { channel: 'stdout', follow: true, signal: ac.signal },
        (c) => void (got += c.toString('utf8')),
      );
      await waitFor('hello', () => (got.includes('hello') ? true : undefined));
      await sd.call('supervisor.signalProcess', ['echo', 'USR1']);
      await waitFor('over-http', () => (got.includes('over-http') ? true : undefined));
      ac.abort();
      await withTimeout(following, 5_000, 'follow ends');

      for (const password of ['wrong', undefined]) {
        const denied = createSupervisordBackend({
          serverUrl: `http://127.0.0.1:${port}`,
          username: password === undefined ? undefined : 'alice',
          password,
        });
        await assert.rejects(
          denied.list(),
          (e: unknown) =>
            e instanceof BackendError &&
            e.code === 'DENIED' &&
            e.message === 'Server requires authentication',
        );
      }
      const refused = createSupervisordBackend({
        serverUrl: `http://127.0.0.1:${await freePort()}`,
      });
      await assert.rejects(
        refused.list(),
        (e: unknown) => e instanceof BackendError && /refused connection$/.test(e.message),
      );
    },
  );

  test('-s/-u/-p as supervisorctl takes them: same status lines', { timeout: T }, async () => {
    const flags = { serverUrl: `http://127.0.0.1:${port}`, username: 'alice', password: 's3cret' };
    const s = discoverServer(loadConfig(sd.configPath), flags);
    assert.equal(s.source, 'flags');
    const b = createSupervisordBackend(s);
    const r = recordIO();
    const code = await ctlStatus(b, [], r.io);
    const want = supervisorctl(
      h,
      sd.configPath,
      ['status'],
      ['-s', flags.serverUrl, '-u', 'alice', '-p', 's3cret'],
    );
    assert.deepEqual(norm(r.out), norm(want.lines));
    assert.equal(code, want.code);
  });
});

describeWithHarness('supervisord backend: reread and update', (h) => {
  let sd: Supervisord;
  let b: Backend;
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
  const AFTER = `
[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:change]
command=/bin/sleep 2000
startsecs=0

[program:add]
command=/bin/sleep 1000
startsecs=0
`;
  before(async () => {
    sd = await startSupervisord({ sections: BEFORE });
    b = createSupervisordBackend({ serverUrl: `unix://${sd.socketPath}` });
    await waitFor('three RUNNING', async () =>
      (await b.list()).every((p) => p.state === 'RUNNING') ? true : undefined,
    );
  });
  after(async () => {
    await sd?.stop();
  });

  test('reread = supervisorctl reread; update adds, changes, removes', { timeout: T }, async () => {
    const d0 = loadConfig(sd.configPath);
    assert.deepEqual(await b.plan(d0), { added: [], changed: [], removed: [] });
    writeFileSync(sd.configPath, readFileSync(sd.configPath, 'utf8').replace(BEFORE, AFTER));
    const d = loadConfig(sd.configPath);
    assert.deepEqual(await b.plan(d), { added: ['add'], changed: ['change'], removed: ['drop'] });

    const r = recordIO();
    assert.equal(await ctlReread(b, d, r.io), 0);
    const want = supervisorctl(h, sd.configPath, ['reread']);
    assert.deepEqual(r.out, want.lines);
    assert.deepEqual(r.out, ['add: available', 'change: changed', 'drop: disappeared']);

    const dry = recordIO();
    await ctlApply(b, d, dry.io, { onlyChanges: true, dryRun: true, project: 'p' });
    assert.equal((await b.list()).length, 3, 'a dry run changes nothing');

    const oldPid = (await b.list()).find((p) => p.name === 'change')!.pid;
    const u = recordIO();
    assert.equal(await ctlApply(b, d, u.io, { onlyChanges: true, dryRun: false, project: 'p' }), 0);
    // supervisorctl update's lines, in its order: removed, changed, added
    assert.deepEqual(u.out, [
      'drop: stopped',
      'drop: removed process group',
      'change: stopped',
      'change: updated process group',
      'add: added process group',
    ]);
    const all = await waitFor('the new and changed groups RUNNING', async () => {
      const l = await b.list();
      return l.every((p) => p.state === 'RUNNING') ? l : undefined;
    });
    assert.deepEqual(
      all.map((p) => [p.name, p.state]),
      [
        ['add', 'RUNNING'],
        ['change', 'RUNNING'],
        ['keep', 'RUNNING'],
      ],
    );
    assert.notEqual(all.find((p) => p.name === 'change')!.pid, oldPid);
    assert.deepEqual(supervisorctl(h, sd.configPath, ['reread']).lines, [
      'No config updates to processes',
    ]);
    assert.deepEqual(await b.apply(d, { onlyChanges: true, dryRun: false }), {
      changes: { added: [], changed: [], removed: [] },
      written: [],
    });
  });
});
