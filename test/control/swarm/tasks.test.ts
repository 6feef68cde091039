import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  serviceProcesses,
  slotNames,
  type ServiceFacts,
  type TaskFacts,
} from '../../../src/control/swarm/tasks.ts';
import { formatStopTime } from '../../../src/control/format.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');

function service(over: Partial<ServiceFacts['Spec']> = {}, replicas = 2): ServiceFacts {
  return {
    ID: 'svc1',
    Spec: {
      Name: 'p_w',
      Labels: { 'com.docker.stack.namespace': 'p', 'io.supctl.processes': 'w_0,w_1' },
      Mode: { Replicated: { Replicas: replicas } },
      TaskTemplate: {
        ContainerSpec: { Labels: { 'io.supctl.group': 'w', 'io.supctl.startsecs': '5' } },
      },
      ...over,
    },
  };
}

function task(
  id: string,
  slot: number,
  state: string,
  at: string,
  index: number,
  desired = 'running',
): TaskFacts {
  return {
    ID: id,
    ServiceID: 'svc1',
    Slot: slot,
    NodeID: 'n1',
    DesiredState: desired,
    CreatedAt: at,
    Version: { Index: index },
    Status: {
      Timestamp: at,
      State: state,
      ContainerStatus: { ContainerID: `c-${id}`, PID: 100 + index, ExitCode: 3 },
    },
  };
}

test('slots: supervisor names from the label; SERVICE_N for a docker-deployed stack', () => {
  assert.deepEqual(slotNames(service(), []), ['w_0', 'w_1']);
  const docker = service({ Labels: { 'com.docker.stack.namespace': 'p' } }, 3);
  assert.deepEqual(slotNames(docker, []), ['w_1', 'w_2', 'w_3']);
});

test('task states → supervisor states, pid, restarts', () => {
  const tasks = [
    task('a', 1, 'failed', '2026-01-01T00:01:00Z', 1, 'shutdown'),
    task('b', 1, 'failed', '2026-01-01T00:02:00Z', 2, 'shutdown'),
    task('c', 1, 'running', '2026-01-01T00:03:00Z', 3),
    task('d', 2, 'running', '2026-01-01T00:09:58Z', 4),
  ];
  const [w0, w1] = serviceProcesses(service(), tasks, NOW);
  assert.equal(w0!.status.namespec, 'w:w_0');
  assert.equal(w0!.status.state, 'RUNNING');
  assert.equal(w0!.status.pid, 103);
  assert.equal(w0!.status.restarts, 2);
  assert.equal(w0!.status.description, 'pid 103, uptime 0:07:00');
  assert.equal(w0!.taskId, 'c');
  // within startsecs=5
  assert.equal(w1!.status.state, 'STARTING');
  assert.equal(w1!.status.restarts, 0);
});

test('scaled to 0 → STOPPED; an exited task → EXITED with its exit code; rejected → FATAL', () => {
  const stopped = serviceProcesses(
    service({}, 0),
    [task('a', 1, 'shutdown', '2026-01-01T00:01:00Z', 1, 'shutdown')],
    NOW,
  );
  assert.deepEqual(
    stopped.map((p) => p.status.state),
    ['STOPPED', 'STOPPED'],
  );
  assert.equal(stopped[1]!.status.description, 'Not started');
  assert.equal(stopped[0]!.status.pid, null);
  const exited = serviceProcesses(
    service({}, 1),
    [task('a', 1, 'failed', '2026-01-01T00:01:00Z', 1, 'shutdown')],
    NOW,
  );
  assert.equal(exited[0]!.status.state, 'EXITED');
  assert.equal(exited[0]!.status.exitStatus, 3);
  const rejected = {
    ...task('r', 1, 'rejected', '2026-01-01T00:01:00Z', 1),
    Status: { Timestamp: '2026-01-01T00:01:00Z', State: 'rejected', Err: 'No such image: x' },
  };
  const fatal = serviceProcesses(service({}, 1), [rejected], NOW);
  assert.deepEqual(
    [fatal[0]!.status.state, fatal[0]!.status.description],
    ['FATAL', 'No such image: x'],
  );
});

test('stopped, its tasks deleted by Swarm: STOPPED at the stop time stop recorded, not "Not started"', () => {
  const at = '2026-01-01T00:05:00.000Z';
  const base = service({}, 0);
  const svc = service({ Labels: { ...base.Spec.Labels, 'io.supctl.stopped-at': at } }, 0);
  const ps = serviceProcesses(svc, [], NOW);
  assert.deepEqual(
    ps.map((p) => [p.status.state, p.status.description, p.status.stoppedAt, p.status.startedAt]),
    [
      ['STOPPED', formatStopTime(Date.parse(at)), Date.parse(at), null],
      ['STOPPED', formatStopTime(Date.parse(at)), Date.parse(at), null],
    ],
  );
});

test('a running task Swarm is shutting down is STOPPING', () => {
  const [p] = serviceProcesses(
    service({}, 1),
    [task('a', 1, 'running', '2026-01-01T00:01:00Z', 1, 'shutdown')],
    NOW,
  );
  assert.equal(p!.status.state, 'STOPPING');
});

test('scaled away while its task still runs (the stop signal sent, the grace period running) → STOPPING', () => {
  const [p] = serviceProcesses(
    service({}, 0),
    [task('a', 1, 'running', '2026-01-01T00:01:00Z', 1, 'remove')],
    NOW,
  );
  assert.equal(p!.status.state, 'STOPPING');
});
