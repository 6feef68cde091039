/** Container state → supervisor state (src/control/docker/state.ts), without a daemon. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapState, stopTime, uptime, type ContainerFacts } from '../../src/control/docker/state.ts';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const ZERO = '0001-01-01T00:00:00Z';

function facts(over: Partial<ContainerFacts>): ContainerFacts {
  return {
    Status: 'exited',
    Running: false,
    Restarting: false,
    Pid: 0,
    ExitCode: 0,
    StartedAt: '2026-11-27T09:00:00Z',
    FinishedAt: '2026-11-27T09:30:00Z',
    RestartCount: 0,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    Labels: { 'io.supctl.startsecs': '5', 'io.supctl.stopsignal': 'TERM' },
    ...over,
  };
}

test('uptime is python timedelta text', () => {
  assert.equal(uptime(5), '0:00:05');
  assert.equal(uptime(3725), '1:02:05');
  assert.equal(uptime(86400 + 7384), '1 day, 2:03:04');
  assert.equal(uptime(2 * 86400), '2 days, 0:00:00');
});

test('stop time is %b %d %I:%M %p in local time', () => {
  const t = new Date(2026, 0, 5, 0, 7).getTime();
  assert.equal(stopTime(t), 'Jan 05 12:07 AM');
  assert.equal(stopTime(new Date(2026, 10, 27, 15, 30).getTime()), 'Nov 27 03:30 PM');
});

test('running: STARTING within startsecs, then RUNNING with pid and uptime', () => {
  const young = mapState(
    facts({ Status: 'running', Running: true, Pid: 42, StartedAt: '2026-11-27T09:59:58Z' }),
    NOW,
  );
  assert.equal(young.state, 'STARTING');
  const old = mapState(
    facts({ Status: 'running', Running: true, Pid: 42, StartedAt: '2026-11-27T08:58:57Z' }),
    NOW,
  );
  assert.equal(old.state, 'RUNNING');
  assert.equal(old.description, 'pid 42, uptime 1:01:03');
  assert.equal(old.pid, 42);
});

test('restarting → BACKOFF with the restart count', () => {
  const m = mapState(facts({ Status: 'restarting', Restarting: true, RestartCount: 3 }), NOW);
  assert.equal(m.state, 'BACKOFF');
  assert.equal(m.restarts, 3);
});

test('exited: by request, budget used, too quickly, otherwise', () => {
  const always = { Name: 'always', MaximumRetryCount: 0 };
  assert.equal(mapState(facts({ RestartPolicy: always, ExitCode: 0 }), NOW).state, 'STOPPED');
  assert.equal(mapState(facts({ ExitCode: 143 }), NOW).state, 'STOPPED');
  // the events say nobody asked: a program that killed itself with TERM exited
  assert.equal(mapState(facts({ ExitCode: 143, StopRequested: false }), NOW).state, 'EXITED');
  assert.equal(mapState(facts({ ExitCode: 143, StopRequested: true }), NOW).state, 'STOPPED');
  assert.equal(mapState(facts({ ExitCode: 137 }), NOW).state, 'STOPPED');
  const budget = { Name: 'on-failure', MaximumRetryCount: 3 };
  assert.equal(
    mapState(facts({ RestartPolicy: budget, ExitCode: 3, RestartCount: 3 }), NOW).state,
    'FATAL',
  );
  assert.equal(
    mapState(facts({ ExitCode: 1, FinishedAt: '2026-11-27T09:00:01Z' }), NOW).state,
    'FATAL',
  );
  const exited = mapState(facts({ ExitCode: 1 }), NOW);
  assert.equal(exited.state, 'EXITED');
  assert.equal(exited.exitStatus, 1);
  assert.match(exited.description, /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
});

test('created, never started → STOPPED Not started', () => {
  const m = mapState(facts({ Status: 'created', StartedAt: ZERO, FinishedAt: ZERO }), NOW);
  assert.equal(m.state, 'STOPPED');
  assert.equal(m.description, 'Not started');
});
