/**
 * The control verbs' logic over a fake backend: which processes each name
 * form reaches, supervisorctl's lines and exit codes (supervisorctl.py 4.2.5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctlSignal, ctlStartStop } from '../../src/cli/commands/ctl-act.ts';
import { ctlApply, ctlReread } from '../../src/cli/commands/ctl-config.ts';
import { ctlAvail, ctlPid, ctlStatus, ctlTail } from '../../src/cli/commands/ctl-show.ts';
import { normalizeSignal } from '../../src/control/signals.ts';
import { runShellLine } from '../../src/cli/commands/shell.ts';
import {
  CTL_EXIT,
  exitCodeFor,
  exitForBadName,
  exitForFault,
  messageFor,
} from '../../src/cli/errors.ts';
import { BackendError } from '../../src/control/types.ts';
import type { Deployment } from '../../src/model/deployment.ts';
import { FakeBackend, proc, recordIO } from '../control/fake-backend.ts';

function fixture(): FakeBackend {
  return new FakeBackend([
    proc('web', 'web', 'RUNNING', { description: 'pid 100, uptime 0:00:05' }),
    proc('idle', 'idle', 'STOPPED', { description: 'Not started' }),
    proc('workers', 'w_0', 'RUNNING'),
    proc('workers', 'w_1', 'RUNNING'),
    proc('crashy', 'crashy', 'BACKOFF', { description: 'Exited too quickly' }),
  ]);
}
const D = {} as Deployment;

test('exit code table: supervisorctl set_exitstatus_from_xmlrpc_fault', () => {
  assert.equal(exitForFault('start', 'SPAWN_ERROR'), 7);
  assert.equal(exitForFault('start', 'ABNORMAL_TERMINATION'), 7);
  assert.equal(exitForFault('start', 'ALREADY_STARTED'), 0);
  assert.equal(exitForFault('stop', 'NOT_RUNNING'), 0);
  assert.equal(exitForFault('signal', 'NOT_RUNNING'), 7);
  assert.equal(exitForFault('signal', 'BAD_SIGNAL'), 1);
  assert.equal(exitForFault('stop', 'FAILED'), 1);
  assert.equal(exitForBadName('status', 'no such process'), 4);
  assert.equal(exitForBadName('start', 'no such group'), 2);
  assert.equal(exitForBadName('start', 'no such process'), 1);
  assert.equal(exitForBadName('stop', 'no such group'), 1);
  assert.equal(exitCodeFor(new BackendError('UNREACHABLE', 'no bus at unix:path=/x')), 4);
  assert.equal(exitCodeFor(new BackendError('DENIED', 'polkit said no')), 1);
  assert.equal(
    messageFor(new BackendError('UNREACHABLE', 'no bus at unix:path=/x')),
    'no bus at unix:path=/x',
  );
});

test('status: everything sorted; exit 3 when one is in STOPPED_STATES', async () => {
  const b = fixture();
  const r = recordIO();
  assert.equal(await ctlStatus(b, [], r.io), CTL_EXIT.statusNotRunning);
  assert.deepEqual(
    r.out.map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ['crashy BACKOFF', 'idle STOPPED', 'web RUNNING', 'workers:w_0 RUNNING', 'workers:w_1 RUNNING'],
  );
});

test('status of running processes exits 0; names keep the order given', async () => {
  const r = recordIO();
  assert.equal(await ctlStatus(fixture(), ['workers:*', 'web'], r.io), 0);
  assert.deepEqual(
    r.out.map((l) => l.split(' ')[0]),
    ['workers:w_0', 'workers:w_1', 'web'],
  );
});

test('status with a bad name prints the error first and exits 4; a stopped one after it gives 3', async () => {
  let r = recordIO();
  assert.equal(await ctlStatus(fixture(), ['web', 'nope', 'workers'], r.io), 4);
  assert.deepEqual(r.out.slice(0, 2), [
    'nope: ERROR (no such process)',
    'workers: ERROR (no such process)',
  ]);
  r = recordIO();
  assert.equal(await ctlStatus(fixture(), ['nope:*', 'idle'], r.io), 3);
  assert.equal(r.out[0], 'nope: ERROR (no such group)');
});

test('status --json', async () => {
  const r = recordIO({ json: true });
  assert.equal(await ctlStatus(fixture(), ['web', 'ghost'], r.io), 4);
  const j = JSON.parse(r.out.join('\n')) as {
    processes: { namespec: string }[];
    errors: unknown[];
  };
  assert.deepEqual(
    j.processes.map((p) => p.namespec),
    ['web'],
  );
  assert.deepEqual(j.errors, [{ name: 'ghost', error: 'no such process' }]);
});

test('start: a single running process is "already started" (exit 0, backend not called)', async () => {
  const b = fixture();
  const r = recordIO();
  assert.equal(await ctlStartStop(b, 'start', ['web'], r.io), 0);
  assert.deepEqual(r.out, ['web: ERROR (already started)']);
  assert.ok(!b.calls.some((c) => c.startsWith('start')));
});

test('start all / group: only processes not running; started lines', async () => {
  const b = fixture();
  const r = recordIO();
  assert.equal(await ctlStartStop(b, 'start', ['all'], r.io), 0);
  // crashy (BACKOFF) is running as supervisor counts it: all skips it silently
  assert.deepEqual(r.out, ['idle: started']);
  assert.deepEqual(
    b.calls.filter((c) => c.startsWith('start')),
    ['start idle'],
  );
});

test('start: spawn error → 7; unknown group → 2; unknown process → 1; no name → 2', async () => {
  let b = fixture();
  b.startFaults.set('idle', 'SPAWN_ERROR');
  let r = recordIO();
  assert.equal(await ctlStartStop(b, 'start', ['idle'], r.io), 7);
  assert.deepEqual(r.out, ['idle: ERROR (spawn error)']);
  b = fixture();
  b.startFaults.set('idle', 'ABNORMAL_TERMINATION');
  r = recordIO();
  assert.equal(await ctlStartStop(b, 'start', ['idle'], r.io), 7);
  r = recordIO();
  assert.equal(await ctlStartStop(fixture(), 'start', ['nope:*'], r.io), 2);
  assert.deepEqual(r.out, ['nope: ERROR (no such group)']);
  r = recordIO();
  assert.equal(await ctlStartStop(fixture(), 'start', ['nope'], r.io), 1);
  assert.deepEqual(r.out, ['nope: ERROR (no such process)']);
  r = recordIO();
  assert.equal(await ctlStartStop(fixture(), 'start', [], r.io), 2);
  assert.equal(r.err[0], 'Error: start requires a process name');
});

test('stop: group form stops running ones; a stopped single one is "not running" but exit 0', async () => {
  const b = fixture();
  let r = recordIO();
  assert.equal(await ctlStartStop(b, 'stop', ['workers:*'], r.io), 0);
  assert.deepEqual(r.out, ['workers:w_0: stopped', 'workers:w_1: stopped']);
  r = recordIO();
  assert.equal(await ctlStartStop(b, 'stop', ['idle'], r.io), 0);
  assert.deepEqual(r.out, ['idle: ERROR (not running)']);
  r = recordIO();
  assert.equal(await ctlStartStop(b, 'stop', [], r.io), 1);
  r = recordIO();
  assert.equal(await ctlStartStop(b, 'stop', ['nope:*'], r.io), 1);
});

test('restart: stop lines, then start lines, as supervisorctl do_stop + do_start', async () => {
  const b = fixture();
  const r = recordIO();
  assert.equal(await ctlStartStop(b, 'restart', ['web', 'idle'], r.io), 0);
  assert.deepEqual(r.out, [
    'web: stopped',
    'idle: ERROR (not running)',
    'web: started',
    'idle: started',
  ]);
  assert.deepEqual(
    b.calls.filter((c) => c.startsWith('restart')),
    ['restart web idle'],
  );
  const r2 = recordIO();
  b.startFaults.set('web', 'SPAWN_ERROR');
  assert.equal(await ctlStartStop(b, 'restart', ['web'], r2.io), 7);
  assert.deepEqual(r2.out, ['web: stopped', 'web: ERROR (spawn error)']);
});

test('signal: signallable ones; not running → 7; bad signal → 1; too few args → 1', async () => {
  const b = fixture();
  let r = recordIO();
  assert.equal(await ctlSignal(b, ['HUP', 'workers:*'], r.io), 0);
  assert.deepEqual(r.out, ['workers:w_0: signalled', 'workers:w_1: signalled']);
  assert.ok(b.calls.includes('signal SIGHUP workers:w_0 workers:w_1'));
  r = recordIO();
  assert.equal(await ctlSignal(b, ['USR1', 'idle'], r.io), 7);
  assert.deepEqual(r.out, ['idle: ERROR (not running)']);
  r = recordIO();
  assert.equal(await ctlSignal(b, ['BOGUS', 'web'], r.io), 1);
  assert.deepEqual(r.out, ['web: ERROR (bad signal name)']);
  r = recordIO();
  assert.equal(await ctlSignal(b, ['HUP'], r.io), 1);
  assert.equal(normalizeSignal('hup'), 'SIGHUP');
  assert.equal(normalizeSignal('SIGTERM'), 'SIGTERM');
  assert.equal(normalizeSignal('9'), 'SIGKILL');
  assert.equal(normalizeSignal('NOPE'), null);
});

test('pid: pids, 0 and exit 7 for a stopped one, "No such process" exit 1', async () => {
  const b = fixture();
  let r = recordIO();
  assert.equal(await ctlPid(b, ['web', 'idle'], r.io), 7);
  assert.deepEqual(r.out, ['100', '0']);
  r = recordIO();
  assert.equal(await ctlPid(b, ['ghost'], r.io), 1);
  assert.deepEqual(r.out, ['No such process ghost']);
  r = recordIO();
  assert.equal(await ctlPid(b, [], r.io), 0);
  assert.equal(r.out.length, 5);
});

test('tail: -N, channel, bad channel, bad name, group name', async () => {
  const b = fixture();
  let r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['-200', 'web', 'stderr'] }, r.io), 0);
  // the log text, then the newline supervisorctl's output() adds
  assert.equal(r.raw(), 'err-line\n\n');
  assert.ok(b.calls.includes('logs web stderr 200 false'));
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['web'] }, r.io), 0);
  assert.ok(b.calls.includes('logs web stdout 1600 false'));
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['-f', 'web'] }, r.io), 0);
  assert.ok(b.calls.includes('logs web stdout 1600 true'));
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['web', 'bogus'] }, r.io), 1);
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['ghost'] }, r.io), 1);
  assert.deepEqual(r.out, ['ghost: ERROR (no such process name)']);
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['workers:*'] }, r.io), 1);
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['-x', 'web'] }, r.io), 1);
  r = recordIO({ json: true });
  assert.equal(await ctlTail(b, { follow: false, words: ['web'] }, r.io), 0);
  assert.deepEqual(JSON.parse(r.out.join('')), {
    name: 'web',
    channel: 'stdout',
    data: 'out-line\n',
  });
});

test("tail: a log the backend cannot give is supervisorctl's line on stdout, exit 1", async () => {
  const b = fixture();
  const failWith = (e: Error) => {
    b.logs = () => Promise.reject(e);
  };
  // supervisord's own words keep theirs, under the name as typed
  failWith(new BackendError('NOT_FOUND', 'web: ERROR (no log file)'));
  let r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['web:web'] }, r.io), 1);
  assert.deepEqual([r.out, r.raw()], [['web:web: ERROR (no log file)'], '']);
  // another backend's detail goes in the parentheses
  failWith(new BackendError('FAILED', 'journalctl for web.service: exit 1'));
  r = recordIO();
  assert.equal(await ctlTail(b, { follow: false, words: ['web'] }, r.io), 1);
  assert.deepEqual(r.out, ['web: ERROR (journalctl for web.service: exit 1)']);
  // an unreachable daemon is the CLI's one error line, not a tail line
  failWith(new BackendError('UNREACHABLE', 'unix:///x no such file'));
  await assert.rejects(ctlTail(b, { follow: false, words: ['web'] }, recordIO().io), BackendError);
});

test("pid: a bare pid is the daemon's when the backend has one", async () => {
  const b = fixture();
  Object.assign(b, { daemonPid: () => Promise.resolve(4242) });
  let r = recordIO();
  assert.equal(await ctlPid(b, [], r.io), 0);
  assert.deepEqual(r.out, ['4242']);
  assert.ok(!b.calls.includes('list'), 'no process list for the daemon pid');
  r = recordIO();
  assert.equal(await ctlPid(b, ['all'], r.io), 0);
  assert.equal(r.out.length, 5);
});

test('avail, reread, update, apply --dry-run', async () => {
  const b = fixture();
  let r = recordIO();
  assert.equal(await ctlAvail(b, r.io), 0);
  assert.equal(r.out.length, 5);
  assert.match(
    r.out.find((l) => l.startsWith('idle'))!,
    /^idle {29}in use {4}manual {4}999:999$/,
  );
  r = recordIO();
  assert.equal(await ctlReread(b, D, r.io), 0);
  assert.deepEqual(r.out, ['No config updates to processes']);
  b.changes = { added: ['new'], changed: ['web'], removed: ['old'] };
  r = recordIO();
  await ctlReread(b, D, r.io);
  assert.deepEqual(r.out, ['new: available', 'old: disappeared', 'web: changed']);
  r = recordIO();
  assert.equal(await ctlApply(b, D, r.io, { onlyChanges: true, dryRun: false, project: 'p' }), 0);
  assert.ok(b.calls.includes('apply onlyChanges=true dryRun=false'));
  assert.ok(r.out.includes('new: added process group'));
  r = recordIO();
  const before = b.calls.length;
  await ctlApply(b, D, r.io, { onlyChanges: false, dryRun: true, project: 'p' });
  assert.ok(!b.calls.slice(before).some((c) => c.startsWith('apply')), 'dry run applies nothing');
});

test('a backend that cannot be reached: one line, exit 4', async () => {
  const b = fixture();
  b.unreachable = true;
  const err = await ctlStatus(b, [], recordIO().io).catch((e: unknown) => e);
  assert.ok(err instanceof BackendError);
  assert.equal(exitCodeFor(err), 4);
});

test('shell lines: verbs, help, unknown syntax, quit', async () => {
  const b = fixture();
  const r = recordIO();
  assert.equal(await runShellLine(b, 'status web', r.io), 0);
  assert.match(r.out[0]!, /^web {30}RUNNING/);
  assert.equal(await runShellLine(b, 'stop web', r.io), 0);
  assert.equal(r.out.at(-1), 'web: stopped');
  assert.equal(await runShellLine(b, 'help', r.io), 0);
  assert.equal(await runShellLine(b, 'frobnicate', r.io), 1);
  assert.equal(r.out.at(-1), '*** Unknown syntax: frobnicate');
  assert.equal(await runShellLine(b, 'quit', r.io), 'quit');
  assert.equal(await runShellLine(b, 'exit', r.io), 'quit');
  assert.equal(await runShellLine(b, '   ', r.io), 0);
});

test('control options before the verb are moved after it', async () => {
  const { hoistGlobals } = await import('../../src/cli/main.ts');
  assert.deepEqual(hoistGlobals(['--json', 'status', 'web']), ['status', '--json', 'web']);
  assert.deepEqual(hoistGlobals(['--backend', 'docker', '--wide', 'status']), [
    'status',
    '--backend',
    'docker',
    '--wide',
  ]);
  assert.deepEqual(hoistGlobals(['--scope=user', 'pid']), ['pid', '--scope=user']);
  assert.deepEqual(hoistGlobals(['status', '--json']), ['status', '--json']);
  assert.deepEqual(hoistGlobals(['--help']), ['--help']);
  assert.deepEqual(hoistGlobals(['--json']), ['--json']);
});

test('default backend: SUPCTL_BACKEND, else systemd', async () => {
  const { defaultBackend } = await import('../../src/control/backends.ts');
  assert.equal(defaultBackend({}), 'systemd');
  assert.equal(defaultBackend({ SUPCTL_BACKEND: 'docker' }), 'docker');
});
