import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortProcesses } from '../../src/control/names.ts';
import {
  describeProcess,
  formatActionResult,
  formatAvail,
  formatBytes,
  formatChanges,
  formatCpu,
  formatStatusLines,
  formatStopTime,
  formatTimedelta,
  formatUpdate,
} from '../../src/control/format.ts';
import { proc } from './fake-backend.ts';

/** Python's '%-{w}s%-10s%s' for the expected lines, written out by hand. */
function py(name: string, w: number, state: string, desc: string): string {
  return name + ' '.repeat(Math.max(0, w - name.length)) + state.padEnd(10) + desc;
}

test('status: 33 columns for names up to 30 characters, state in 10, then the description', () => {
  const lines = formatStatusLines([
    proc('web', 'web', 'RUNNING', { description: 'pid 4242, uptime 0:01:02' }),
    proc('g', 'p', 'STOPPED', { description: 'Not started' }),
  ]);
  assert.deepEqual(lines, [
    'web                              RUNNING   pid 4242, uptime 0:01:02',
    'g:p                              STOPPED   Not started',
  ]);
  assert.equal(lines[0]!.indexOf('RUNNING'), 33);
});

test('status: a name longer than 30 widens every line to len+3', () => {
  const long = 'a'.repeat(40);
  const lines = formatStatusLines([
    proc(long, long, 'FATAL', { description: 'Exited too quickly (process log may have details)' }),
    proc('b', 'b', 'EXITED', { description: 'Nov 27 12:05 AM' }),
  ]);
  assert.equal(
    lines[0],
    py(long, 43, 'FATAL', 'Exited too quickly (process log may have details)'),
  );
  assert.equal(lines[1], py('b', 43, 'EXITED', 'Nov 27 12:05 AM'));
});

test('status of everything is sorted by group, then process name', () => {
  const lines = formatStatusLines(
    sortProcesses([proc('z', 'z'), proc('g', 'p2'), proc('g', 'p10'), proc('a', 'a')]),
  );
  assert.deepEqual(
    lines.map((l) => l.split(' ')[0]),
    ['a', 'g:p10', 'g:p2', 'z'],
  );
});

test('--wide adds a header and restarts, CPU and memory columns', () => {
  const lines = formatStatusLines(
    [
      proc('web', 'web', 'RUNNING', {
        restarts: 3,
        cpuNsec: 1_234_000_000,
        memoryBytes: 5 * 1024 * 1024,
        description: 'pid 1, uptime 0:00:09',
      }),
      proc('idle', 'idle', 'STOPPED', { restarts: null }),
    ],
    { wide: true },
  );
  assert.match(lines[0]!, /^NAME\s+STATE\s+RESTARTS\s+CPU\s+MEM\s+DESCRIPTION$/);
  assert.match(lines[1]!, /^web\s+RUNNING\s+3\s+0:00:01\.23\s+5\.0M\s+pid 1, uptime 0:00:09$/);
  assert.match(lines[2]!, /^idle\s+STOPPED\s+-\s+-\s+-\s+Not started$/);
});

test('descriptions: uptime as Python timedelta, stop time, spawn error', () => {
  assert.equal(formatTimedelta(0), '0:00:00');
  assert.equal(formatTimedelta(3723), '1:02:03');
  assert.equal(formatTimedelta(86400 + 7384), '1 day, 2:03:04');
  assert.equal(formatTimedelta(3 * 86400), '3 days, 0:00:00');
  const start = Date.UTC(2026, 0, 1, 0, 0, 0);
  const base = { name: 'web', pid: 7, startedAt: start, stoppedAt: null };
  assert.equal(
    describeProcess({ ...base, state: 'RUNNING' }, start + 65_900),
    'pid 7, uptime 0:01:05',
  );
  assert.equal(describeProcess({ ...base, state: 'STOPPED', startedAt: null }), 'Not started');
  assert.equal(
    describeProcess({ ...base, state: 'BACKOFF', spawnError: 'Exited too quickly' }),
    'Exited too quickly',
  );
  assert.equal(describeProcess({ ...base, state: 'FATAL' }), 'unknown error (try "tail web")');
  assert.equal(describeProcess({ ...base, state: 'STOPPING' }), '');
  const stop = new Date(2026, 10, 27, 0, 5).getTime(); // local time, as strftime
  assert.equal(formatStopTime(stop), 'Nov 27 12:05 AM');
  assert.equal(formatStopTime(new Date(2026, 2, 3, 13, 7).getTime()), 'Mar 03 01:07 PM');
});

test("result lines: started, stopped, signalled and supervisorctl's errors", () => {
  assert.equal(formatActionResult('start', { namespec: 'web', ok: true }), 'web: started');
  assert.equal(formatActionResult('stop', { namespec: 'web', ok: true }), 'web: stopped');
  assert.equal(formatActionResult('signal', { namespec: 'g:p', ok: true }), 'g:p: signalled');
  const err = (verb: 'start' | 'stop' | 'signal', fault: string) =>
    formatActionResult(verb, { namespec: 'web', ok: false, fault: fault as never });
  assert.equal(err('stop', 'NOT_RUNNING'), 'web: ERROR (not running)');
  assert.equal(err('signal', 'NOT_RUNNING'), 'web: ERROR (not running)');
  assert.equal(err('signal', 'BAD_SIGNAL'), 'web: ERROR (bad signal name)');
  assert.equal(err('start', 'ALREADY_STARTED'), 'web: ERROR (already started)');
  assert.equal(err('start', 'SPAWN_ERROR'), 'web: ERROR (spawn error)');
  assert.equal(err('start', 'ABNORMAL_TERMINATION'), 'web: ERROR (abnormal termination)');
  assert.equal(err('start', 'BAD_NAME'), 'web: ERROR (no such process)');
  assert.equal(err('start', 'NO_FILE'), 'web: ERROR (no such file)');
  assert.equal(err('start', 'NOT_EXECUTABLE'), 'web: ERROR (file is not executable)');
  // a FAILED fault prints the backend's own text
  assert.equal(
    formatActionResult('stop', {
      namespec: 'web',
      ok: false,
      fault: 'FAILED',
      message: 'ERROR (stop job timeout)',
    }),
    'web: ERROR (stop job timeout)',
  );
  // supervisord's own fault text: supervisorctl prints it bare for stop and signal, not start
  const failed = {
    namespec: 'web',
    ok: false,
    fault: 'FAILED' as const,
    message: "FAILED: attempted to kill web with sig SIGTERM but it wasn't running",
    faultString: "FAILED: attempted to kill web with sig SIGTERM but it wasn't running",
  };
  assert.equal(formatActionResult('stop', failed), failed.faultString);
  assert.equal(formatActionResult('signal', failed), failed.faultString);
  assert.equal(formatActionResult('start', failed), `web: ${failed.faultString}`);
});

test('avail: %-32s %-9s %-9s group_prio:process_prio, sorted by process name', () => {
  assert.deepEqual(
    formatAvail([
      { namespec: 'web', inUse: true, autostart: true, priority: 999 },
      { namespec: 'g:api', inUse: false, autostart: false, priority: 5, groupPriority: 10 },
    ]),
    [
      'g:api                            avail     manual    10:5',
      'web                              in use    auto      999:999',
    ],
  );
});

test('reread: sorted name: available|changed|disappeared, or no updates', () => {
  assert.deepEqual(formatChanges({ added: ['b'], changed: ['c'], removed: ['a'] }), [
    'a: disappeared',
    'b: available',
    'c: changed',
  ]);
  assert.deepEqual(formatChanges({ added: [], changed: [], removed: [] }), [
    'No config updates to processes',
  ]);
});

test('update lines as supervisorctl update', () => {
  assert.deepEqual(formatUpdate({ added: ['n'], changed: ['c'], removed: ['r'] }), [
    'r: stopped',
    'r: removed process group',
    'c: stopped',
    'c: updated process group',
    'n: added process group',
  ]);
});

test('cpu and memory', () => {
  assert.equal(formatCpu(null), '-');
  assert.equal(formatCpu(3_723_450_000_000), '1:02:03.45');
  assert.equal(formatBytes(512), '512B');
  assert.equal(formatBytes(1536), '1.5K');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0G');
  assert.equal(formatBytes(null), '-');
});
