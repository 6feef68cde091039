/**
 * The systemd backend of the control facade on the harness's real systemd
 * user manager: apply, the verbs, reread/update, rollback, crash/BACKOFF,
 * start-limit/FATAL, logs, and a missing bus. Each test uses its own
 * project and removes it at the end.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSystemdBackend } from '../../src/control/systemd/index.ts';
import type { Backend, ProcessStatus } from '../../src/control/types.ts';
import { BackendError } from '../../src/control/types.ts';
import type { Deployment, Process } from '../../src/model/index.ts';
import { deployment, program, proc } from '../emit/systemd/fixture.ts';
import type { Harness } from './harness.ts';
import { describeWithHarness, waitFor, withTimeout } from './harness.ts';

const RUN = `t${process.pid}`;
/** AUTO logs of every project this file applies; removed at the end. */
const LOG_ROOT = mkdtempSync(join(tmpdir(), 'supctl-ctl-logs-'));

function sh(name: string, script: string, over: Partial<Process> = {}): Process {
  return proc(name, { command: script, argv: ['/bin/sh', '-c', script], ...over });
}

function sleeper(name: string, secs = 1000, over: Partial<Process> = {}): Process {
  return proc(name, { command: `/bin/sleep ${secs}`, argv: ['/bin/sleep', String(secs)], ...over });
}

function dep(procs: Process[]): Deployment {
  return deployment(procs.map((p) => program(p.name, [p])));
}

async function open(h: Harness, project: string): Promise<Backend> {
  return createSystemdBackend({
    scope: 'user',
    project,
    unitDir: h.systemd.unitDir,
    busAddress: h.systemd.busAddress,
    logDir: LOG_ROOT,
    timeoutMs: 5_000,
  });
}

const byName = (l: ProcessStatus[]) => new Map(l.map((s) => [s.namespec, s]));

async function statusOf(b: Backend, namespec: string): Promise<ProcessStatus> {
  const s = byName(await b.list()).get(namespec);
  assert.ok(s, `${namespec} is listed`);
  return s;
}

/** Bounded polling until `namespec` is in `state`. */
function until(b: Backend, namespec: string, state: string, ms = 15_000): Promise<ProcessStatus> {
  return waitFor(
    `${namespec} ${state}`,
    async () => {
      const s = await statusOf(b, namespec);
      return s.state === state ? s : undefined;
    },
    ms,
  );
}

async function tail(b: Backend, s: ProcessStatus, channel: 'stdout' | 'stderr'): Promise<string> {
  const chunks: Buffer[] = [];
  await b.logs(s, { channel, follow: false }, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString();
}

describeWithHarness('systemd control backend', (h) => {
  after(() => rmSync(LOG_ROOT, { recursive: true, force: true }));

  test('apply → RUNNING with pid; start/stop/restart/signal and their faults; logs; remove', async () => {
    const project = `cs_verbs_${RUN}`;
    const w0 = sleeper('w_0', 1000, { program: 'w', processNum: 0 });
    const w1 = sleeper('w_1', 1000, { program: 'w', processNum: 1 });
    const d = deployment([
      program('a', [sleeper('a')]),
      program('w', [w0, w1], { process_name: 'w_%(process_num)s' }),
      program('x', [sh('x', 'trap "exit 0" TERM; while :; do sleep 0.1; done')]),
      program('e', [sh('e', 'sleep 1.5; exit 0', { autorestart: 'false' })]),
      program('t', [
        sh(
          't',
          'trap "echo got-usr1" USR1; echo to-stdout; echo "to-stderr $FOO" >&2; while :; do sleep 0.1; done',
          { environment: { FOO: 'from-env' } },
        ),
      ]),
    ]);
    const b = await open(h, project);
    try {
      const r = await b.apply(d, { dryRun: false, onlyChanges: false });
      assert.deepEqual(r.changes, { added: ['a', 'e', 't', 'w', 'x'], changed: [], removed: [] });
      assert.ok(r.written.some((f) => f.endsWith(`${project}-w@.service`)));

      const a = await until(b, 'a', 'RUNNING');
      assert.ok(a.pid !== null && a.pid > 1);
      assert.match(a.description, new RegExp(`^pid ${a.pid}, uptime 0:00:\\d\\d$`));
      const list = await b.list({ detail: true });
      assert.deepEqual(list.map((s) => s.namespec).sort(), ['a', 'e', 't', 'w:w_0', 'w:w_1', 'x']);
      const ws = list.filter((s) => s.group === 'w');
      assert.deepEqual(ws.map((s) => s.ref).sort(), [
        `${project}-w@0.service`,
        `${project}-w@1.service`,
      ]);
      assert.notEqual(ws[0]!.pid, ws[1]!.pid, 'template instances are separate processes');
      assert.ok(list.every((s) => s.memoryBytes === null || s.memoryBytes > 0));
      // this harness's manager has CPU accounting off: null (unknown), never a bogus UINT64_MAX
      assert.ok(list.every((s) => s.cpuNsec === null || (s.cpuNsec >= 0 && s.cpuNsec < 2 ** 60)));
      assert.ok((await b.list()).every((s) => s.cpuNsec === null && s.memoryBytes === null));

      // start of a running one
      const [again] = await b.start([a]);
      assert.equal(again?.fault, 'ALREADY_STARTED');

      // stop, stop again
      const [st] = await b.stop([a]);
      assert.deepEqual(st, { namespec: 'a', ok: true, message: 'stopped' });
      const stopped = await statusOf(b, 'a');
      assert.equal(stopped.state, 'STOPPED');
      assert.match(stopped.description, /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
      assert.equal(stopped.pid, null);
      const [st2] = await b.stop([stopped]);
      assert.equal(st2?.fault, 'NOT_RUNNING');
      const [sig0] = await b.signal([stopped], 'HUP');
      assert.equal(sig0?.fault, 'NOT_RUNNING');

      // a program that exits 0 on TERM was still stopped by us: STOPPED, not EXITED
      const x = await until(b, 'x', 'RUNNING');
      assert.equal((await b.stop([x]))[0]?.ok, true);
      assert.equal((await statusOf(b, 'x')).state, 'STOPPED');
      // one that exits by itself is EXITED, with its exit status
      const e = await until(b, 'e', 'EXITED');
      assert.equal(e.exitStatus, 0);
      assert.match(e.description, /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);

      // start waits startsecs (1 s) and reports RUNNING
      const [s1] = await b.start([stopped]);
      assert.deepEqual(s1, { namespec: 'a', ok: true, message: 'started' });
      const a2 = await statusOf(b, 'a');
      assert.equal(a2.state, 'RUNNING');
      assert.notEqual(a2.pid, a.pid);

      // restart of a group: new pids for both instances
      const before = ws.map((s) => s.pid);
      const rr = await b.restart(ws);
      assert.ok(
        rr.every((x) => x.ok),
        JSON.stringify(rr),
      );
      const after = (await b.list()).filter((s) => s.group === 'w');
      assert.ok(after.every((s) => s.state === 'RUNNING' && !before.includes(s.pid)));

      // signal: the trap prints; a bad name is BAD_SIGNAL
      const t = await until(b, 't', 'RUNNING');
      const [bad] = await b.signal([t], 'NOPE');
      assert.equal(bad?.fault, 'BAD_SIGNAL');
      const [sg] = await b.signal([t], 'USR1');
      assert.deepEqual(sg, { namespec: 't', ok: true, message: 'signalled' });
      await waitFor('the trap output in the stdout log', async () =>
        (await tail(b, t, 'stdout')).includes('got-usr1') ? true : undefined,
      );
      assert.equal((await statusOf(b, 't')).pid, t.pid, 'USR1 did not kill it');

      // logs: stdout and stderr are separate files
      const out = await tail(b, t, 'stdout');
      const err = await tail(b, t, 'stderr');
      assert.match(out, /^to-stdout\n/);
      assert.ok(!out.includes('to-stderr'));
      assert.equal(err, 'to-stderr from-env\n', 'stderr only, and the EnvironmentFile was read');
      // tail -N: the last N bytes
      const chunks: Buffer[] = [];
      await b.logs(t, { channel: 'stderr', bytes: 4, follow: false }, (c) => chunks.push(c));
      assert.equal(Buffer.concat(chunks).toString(), 'env\n');
      // follow until aborted
      const ac = new AbortController();
      const seen: Buffer[] = [];
      const following = b.logs(
        t,
        { channel: 'stdout', bytes: 0, follow: true, signal: ac.signal },
        (c) => seen.push(c),
      );
      await b.signal([t], 'USR1');
      await waitFor('followed output', () =>
        Buffer.concat(seen).toString().includes('got-usr1') ? true : undefined,
      );
      ac.abort();
      await withTimeout(following, 5_000, 'follow ends on abort');

      // a unit that does not exist: one clear line, no hang
      const ghost: ProcessStatus = {
        ...a2,
        name: 'ghost',
        namespec: 'ghost',
        ref: `${project}-ghost.service`,
      };
      const [g] = await b.start([ghost]);
      assert.equal(g?.fault, 'SPAWN_ERROR');
      assert.match(g?.message ?? '', /not found/);
      const [gs] = await b.signal([ghost], 'TERM');
      assert.equal(gs?.fault, 'NOT_RUNNING');
      await assert.rejects(
        b.logs(ghost, { channel: 'stdout', follow: false }, () => {}),
        (e: unknown) => e instanceof BackendError && e.code === 'NOT_FOUND',
      );

      assert.deepEqual((await b.avail()).map((v) => v.namespec).sort(), [
        'a',
        'e',
        't',
        'w:w_0',
        'w:w_1',
        'x',
      ]);
    } finally {
      await b.remove();
      assert.deepEqual(await b.list(), []);
      assert.ok(!existsSync(join(h.systemd.unitDir, `${project}-a.service`)));
      assert.ok(!existsSync(join(h.systemd.unitDir, `${project}.target`)));
      await b.close();
    }
  });

  test('apply → reread → update: added, changed, removed; the unchanged pid stays', async () => {
    const project = `cs_update_${RUN}`;
    const b = await open(h, project);
    try {
      const d1 = dep([sleeper('keep'), sleeper('chg', 1000), sleeper('gone')]);
      await b.apply(d1, { dryRun: false, onlyChanges: false });
      const keep = await until(b, 'keep', 'RUNNING');
      const chg = await until(b, 'chg', 'RUNNING');
      const gone = await until(b, 'gone', 'RUNNING');

      const d2 = dep([sleeper('keep'), sleeper('chg', 2000), sleeper('new')]);
      const changes = await b.plan(d2);
      assert.deepEqual(changes, { added: ['new'], changed: ['chg'], removed: ['gone'] });
      const dry = await b.apply(d2, { dryRun: true, onlyChanges: true });
      assert.deepEqual(dry.changes, changes);
      assert.deepEqual(await b.plan(d2), changes, 'a dry run changes nothing');

      const r = await b.apply(d2, { dryRun: false, onlyChanges: true });
      assert.deepEqual(r.changes, changes);
      const after = byName(await b.list());
      assert.deepEqual([...after.keys()].sort(), ['chg', 'keep', 'new']);
      assert.equal(after.get('keep')?.pid, keep.pid, 'the unchanged program was not touched');
      assert.equal(after.get('keep')?.state, 'RUNNING');
      assert.notEqual(after.get('chg')?.pid, chg.pid, 'the changed program was restarted');
      assert.ok(after.get('chg')?.pid !== null);
      await until(b, 'new', 'RUNNING');
      assert.ok(!existsSync(join(h.systemd.unitDir, `${project}-gone.service`)));
      assert.throws(() => process.kill(gone.pid!, 0), 'the removed program was stopped');
      assert.deepEqual(await b.plan(d2), { added: [], changed: [], removed: [] });
    } finally {
      await b.remove();
      await b.close();
    }
  });

  test('a failing apply rolls back: old units and manifest restored, the old program keeps its pid', async () => {
    const project = `cs_rollback_${RUN}`;
    const b = await open(h, project);
    try {
      const d1 = dep([sleeper('old')]);
      await b.apply(d1, { dryRun: false, onlyChanges: false });
      const old = await until(b, 'old', 'RUNNING');
      const d2 = dep([
        sleeper('old', 3000), // changed: restarted, then put back
        proc('broken', { command: '/nonexistent/prog', argv: ['/nonexistent/prog'] }),
      ]);
      await assert.rejects(b.apply(d2, { dryRun: false, onlyChanges: true }), (e: unknown) => {
        assert.ok(e instanceof BackendError);
        assert.match(e.message, /broken\.service .*; the previous units were restored$/);
        return true;
      });
      assert.ok(!existsSync(join(h.systemd.unitDir, `${project}-broken.service`)));
      assert.deepEqual(await b.plan(d1), { added: [], changed: [], removed: [] });
      const l = await b.list();
      assert.deepEqual(
        l.map((s) => s.namespec),
        ['old'],
      );
      const now = await until(b, 'old', 'RUNNING');
      assert.ok(now.pid !== null);
      assert.match(
        (await readFileText(join(h.systemd.unitDir, `${project}-old.service`))) ?? '',
        /"\/bin\/sleep" "1000"/,
      );

      // an apply that only adds a failing program leaves the old pid alone
      const d3 = dep([
        sleeper('old'),
        proc('broken', { command: '/nonexistent/prog', argv: ['/nonexistent/prog'] }),
      ]);
      await assert.rejects(b.apply(d3, { dryRun: false, onlyChanges: true }), BackendError);
      const still = await statusOf(b, 'old');
      assert.equal(still.pid, now.pid);
      assert.notEqual(old.pid, null);
    } finally {
      await b.remove();
      await b.close();
    }
  });

  test('two applies at once are serialized by the lock', async () => {
    const project = `cs_lock_${RUN}`;
    const [b1, b2] = await Promise.all([open(h, project), open(h, project)]);
    try {
      const dA = dep([sleeper('both'), sleeper('onlya')]);
      const dB = dep([sleeper('both'), sleeper('onlyb')]);
      const done: string[] = [];
      await Promise.all([
        b1.apply(dA, { dryRun: false, onlyChanges: false }).then(() => done.push('A')),
        b2.apply(dB, { dryRun: false, onlyChanges: false }).then(() => done.push('B')),
      ]);
      const last = done[1] === 'A' ? dA : dB;
      const lastOnly = done[1] === 'A' ? 'onlya' : 'onlyb';
      const firstOnly = done[1] === 'A' ? 'onlyb' : 'onlya';
      // the state is exactly the last apply's: nothing of the first one's leaks in
      assert.deepEqual(await b1.plan(last), { added: [], changed: [], removed: [] });
      assert.deepEqual((await b1.list()).map((s) => s.namespec).sort(), ['both', lastOnly].sort());
      assert.ok(!existsSync(join(h.systemd.unitDir, `${project}-${firstOnly}.service`)));
      await until(b1, lastOnly, 'RUNNING');
      assert.ok(!existsSync(join(h.systemd.unitDir, '.supctl', `${project}.lock`)));
    } finally {
      await b1.remove();
      await Promise.all([b1.close(), b2.close()]);
    }
  });

  test('a crash shows BACKOFF, then RUNNING again with the restart counted', async () => {
    const project = `cs_crash_${RUN}`;
    const b = await open(h, project);
    try {
      await b.apply(dep([sh('crash', 'sleep 1.5; exit 3', { startsecs: 1 })]), {
        dryRun: false,
        onlyChanges: false,
      });
      const up = await until(b, 'crash', 'RUNNING');
      assert.equal(up.restarts, null, 'restarts cost a call: only with detail');
      assert.equal(byName(await b.list({ detail: true })).get('crash')?.restarts, 0);
      const back = await until(b, 'crash', 'BACKOFF', 10_000);
      assert.equal(back.description, 'Exited too quickly (process log may have details)');
      assert.equal(back.exitStatus, 3);
      const again = await until(b, 'crash', 'RUNNING');
      const counted = byName(await b.list({ detail: true })).get('crash');
      assert.ok((counted?.restarts ?? 0) >= 1);
      assert.notEqual(again.pid, up.pid);
    } finally {
      await b.remove();
      await b.close();
    }
  });

  test('start-limit-hit is FATAL; start resets it', async () => {
    // the emitter writes StartLimitIntervalSec=0 (supervisord never limits
    // restarts after RUNNING); a start limit from a drop-in is what systemd
    // users set when they want supervisor's give-up, and must show as FATAL
    const project = `cs_fatal_${RUN}`;
    const b = await open(h, project);
    const dropDir = join(h.systemd.unitDir, `${project}-fail.service.d`);
    try {
      await b.apply(dep([sh('fail', 'exit 2', { startsecs: 1, autostart: false })]), {
        dryRun: false,
        onlyChanges: false,
      });
      mkdirSync(dropDir, { recursive: true });
      writeFileSync(
        join(dropDir, 'zz-limit.conf'),
        '[Unit]\nStartLimitIntervalSec=60\nStartLimitBurst=2\n[Service]\nRestartSec=100ms\n',
      );
      const fail = await statusOf(b, 'fail');
      assert.equal(fail.state, 'STOPPED');
      assert.equal(fail.description, 'Not started');
      // apply reloads the manager even when nothing changed: the drop-in is read
      const same = await b.apply(dep([sh('fail', 'exit 2', { startsecs: 1, autostart: false })]), {
        dryRun: false,
        onlyChanges: true,
      });
      assert.deepEqual(same.changes, { added: [], changed: [], removed: [] });
      const [r] = await b.start([fail]);
      assert.ok(r && !r.ok && (r.fault === 'ABNORMAL_TERMINATION' || r.fault === 'SPAWN_ERROR'));
      const fatal = await until(b, 'fail', 'FATAL');
      assert.equal(fatal.description, 'Exited too quickly (process log may have details)');
      assert.equal(fatal.pid, null);
    } finally {
      rmSync(dropDir, { recursive: true, force: true });
      await b.remove();
      await b.close();
    }
  });

  test('a missing or dead bus is a BackendError, quickly', async () => {
    const t0 = Date.now();
    await assert.rejects(
      createSystemdBackend({
        scope: 'user',
        busAddress: 'unix:path=/nonexistent/bus',
        timeoutMs: 2_000,
      }),
      (e: unknown) =>
        e instanceof BackendError && e.code === 'UNREACHABLE' && !e.message.includes('\n'),
    );
    const notBus = join(h.dir, `not-a-bus-${RUN}`);
    writeFileSync(notBus, '');
    try {
      await assert.rejects(
        createSystemdBackend({
          scope: 'user',
          busAddress: `unix:path=${notBus}`,
          timeoutMs: 2_000,
        }),
        (e: unknown) => e instanceof BackendError && ['UNREACHABLE', 'TIMEOUT'].includes(e.code),
      );
    } finally {
      rmSync(notBus, { force: true });
    }
    assert.ok(Date.now() - t0 < 5_000, 'no hang');
  });
});

async function readFileText(p: string): Promise<string | null> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(p, 'utf8');
  } catch {
    return null;
  }
}
