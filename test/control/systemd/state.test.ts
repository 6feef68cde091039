import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnitSnapshot } from '../../../src/control/systemd/state.ts';
import { counter, mapUnit, stopTime, uptime, usToMs } from '../../../src/control/systemd/state.ts';

const NOW = new Date(2026, 10, 27, 13, 5, 0).getTime(); // local time, Nov 27 01:05 PM

function unit(over: Partial<UnitSnapshot>): UnitSnapshot {
  return {
    load: 'loaded',
    active: 'active',
    sub: 'running',
    result: 'success',
    mainPid: 42,
    execMainStart: NOW - 3_723_000,
    execMainExit: 0,
    execMainCode: 0,
    execMainStatus: 0,
    nRestarts: 0,
    ...over,
  };
}

test("uptime is Python's str(timedelta)", () => {
  assert.equal(uptime(0), '0:00:00');
  assert.equal(uptime(3723.9), '1:02:03');
  assert.equal(uptime(86400 + 7384), '1 day, 2:03:04');
  assert.equal(uptime(2 * 86400), '2 days, 0:00:00');
});

test("stop time is strftime('%b %d %I:%M %p')", () => {
  assert.equal(stopTime(new Date(2026, 0, 5, 0, 7).getTime()), 'Jan 05 12:07 AM');
  assert.equal(stopTime(new Date(2026, 10, 27, 12, 30).getTime()), 'Nov 27 12:30 PM');
  assert.equal(stopTime(new Date(2026, 10, 27, 23, 59).getTime()), 'Nov 27 11:59 PM');
});

test('active/running: RUNNING with pid and uptime, STARTING within startsecs', () => {
  const r = mapUnit(unit({}), 1, NOW);
  assert.equal(r.state, 'RUNNING');
  assert.equal(r.description, 'pid 42, uptime 1:02:03');
  assert.equal(r.pid, 42);
  const s = mapUnit(unit({ execMainStart: NOW - 500 }), 1, NOW);
  assert.equal(s.state, 'STARTING');
  assert.equal(s.description, '');
  assert.equal(mapUnit(unit({ execMainStart: NOW - 500 }), 0, NOW).state, 'RUNNING');
});

test('stopped, exited, never started', () => {
  const never = mapUnit(
    unit({ active: 'inactive', sub: 'dead', mainPid: 0, execMainStart: 0 }),
    1,
    NOW,
  );
  assert.deepEqual([never.state, never.description, never.pid], ['STOPPED', 'Not started', null]);
  const exit = NOW - 60_000;
  const stopped = mapUnit(
    unit({
      active: 'inactive',
      sub: 'dead',
      mainPid: 0,
      execMainExit: exit,
      execMainCode: 2,
      execMainStatus: 15,
    }),
    1,
    NOW,
  );
  assert.equal(stopped.state, 'STOPPED');
  assert.equal(stopped.description, stopTime(exit));
  assert.equal(stopped.exitStatus, -1);
  const exited = mapUnit(
    unit({
      active: 'inactive',
      sub: 'dead',
      mainPid: 0,
      execMainExit: exit,
      execMainCode: 1,
      execMainStatus: 0,
    }),
    1,
    NOW,
  );
  assert.deepEqual([exited.state, exited.exitStatus], ['EXITED', 0]);
  const failed = mapUnit(
    unit({
      active: 'failed',
      sub: 'failed',
      result: 'exit-code',
      execMainExit: exit,
      execMainCode: 1,
      execMainStatus: 3,
      restartPolicy: 'no',
    }),
    1,
    NOW,
  );
  assert.deepEqual([failed.state, failed.exitStatus], ['EXITED', 3]);
});

test('auto-restart is BACKOFF; start-limit-hit, or failed although Restart= applies, is FATAL', () => {
  const b = mapUnit(
    unit({ active: 'activating', sub: 'auto-restart', mainPid: 0, result: 'exit-code' }),
    1,
    NOW,
  );
  assert.deepEqual(
    [b.state, b.description],
    ['BACKOFF', 'Exited too quickly (process log may have details)'],
  );
  const f = mapUnit(
    unit({ active: 'failed', sub: 'failed', result: 'start-limit-hit', mainPid: 0 }),
    1,
    NOW,
  );
  assert.equal(f.state, 'FATAL');
  const gaveUp = { active: 'failed', sub: 'failed', result: 'exit-code', mainPid: 0 };
  assert.equal(mapUnit(unit({ ...gaveUp, restartPolicy: 'on-failure' }), 1, NOW).state, 'FATAL');
  assert.equal(mapUnit(unit({ ...gaveUp, restartPolicy: 'always' }), 1, NOW).state, 'FATAL');
  assert.equal(mapUnit(unit({ ...gaveUp, restartPolicy: 'on-abnormal' }), 1, NOW).state, 'EXITED');
});

test('transitional and odd states', () => {
  assert.equal(mapUnit(unit({ active: 'activating', sub: 'start' }), 1, NOW).state, 'STARTING');
  const stopping = mapUnit(unit({ active: 'deactivating', sub: 'stop-sigterm' }), 1, NOW);
  assert.deepEqual([stopping.state, stopping.pid], ['STOPPING', 42]);
  assert.equal(mapUnit(unit({ active: 'active', sub: 'exited' }), 1, NOW).state, 'EXITED');
  assert.equal(mapUnit(unit({ active: 'maintenance', sub: 'cleaning' }), 1, NOW).state, 'UNKNOWN');
  const gone = mapUnit(unit({ load: 'not-found', active: 'inactive', sub: 'dead' }), 1, NOW);
  assert.deepEqual([gone.state, gone.description], ['UNKNOWN', 'unit not-found']);
});

test('D-Bus t values', () => {
  assert.equal(usToMs(1795732322981833n), 1795732322981);
  assert.equal(usToMs(0n), 0);
  assert.equal(counter(0xffffffffffffffffn), null);
  assert.equal(counter(123n), 123);
});

test('a stop supctl asked for is STOPPED even when the program exits 0 on TERM', () => {
  const down = { active: 'inactive', sub: 'dead', mainPid: 0, execMainExit: NOW - 1_000 };
  const clean = { ...down, execMainCode: 1, execMainStatus: 0 };
  assert.equal(mapUnit(unit({ ...clean, stopRequested: true }), 1, NOW).state, 'STOPPED');
  assert.equal(mapUnit(unit({ ...clean, stopRequested: false }), 1, NOW).state, 'EXITED');
  const killed = { ...down, execMainCode: 2, execMainStatus: 15 };
  assert.equal(mapUnit(unit({ ...killed, stopRequested: false }), 1, NOW).state, 'EXITED');
  assert.equal(
    mapUnit(unit(killed), 1, NOW).state,
    'STOPPED',
    'not known: a signal death is a stop',
  );
  const failed = { active: 'failed', sub: 'failed', result: 'timeout', restartPolicy: 'always' };
  assert.equal(mapUnit(unit({ ...failed, stopRequested: true }), 1, NOW).state, 'STOPPED');
});

test('D-Bus failures become one-line BackendErrors by kind', async () => {
  const dbus = await import('@jellybrick/dbus-next');
  const { toBackendError } = await import('../../../src/control/systemd/bus.ts');
  const denied = toBackendError(
    new dbus.DBusError(
      'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
      'Interactive authentication required.',
    ),
    'StartUnit x.service',
  );
  assert.deepEqual(
    [denied.code, denied.message],
    ['DENIED', 'StartUnit x.service: Interactive authentication required.'],
  );
  const missing = toBackendError(
    new dbus.DBusError('org.freedesktop.systemd1.NoSuchUnit', 'Unit x.service not found.'),
    'GetUnit',
  );
  assert.equal(missing.code, 'NOT_FOUND');
  assert.equal(toBackendError(new Error('boom'), 'Reload').code, 'FAILED');
});
