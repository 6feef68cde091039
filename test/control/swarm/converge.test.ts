import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  convergeTimeoutMs,
  tasksSettled,
  updateOutcome,
  type Watch,
} from '../../../src/control/swarm/converge.ts';

const T1 = { Image: 'a' };
const T2 = { Image: 'b' };
const UPDATED = '2026-01-01T00:00:10Z';

test('an update: pending until this update completes; a rollback or pause is its failure', () => {
  const svc = (state: string | undefined, startedAt = '2026-01-01T00:00:11Z', message = '') => ({
    Spec: { TaskTemplate: T2 },
    PreviousSpec: { TaskTemplate: T1 },
    ...(state ? { UpdateStatus: { State: state, StartedAt: startedAt, Message: message } } : {}),
  });
  assert.equal(updateOutcome(svc(undefined), UPDATED), 'pending');
  assert.equal(updateOutcome(svc('updating'), UPDATED), 'pending');
  // an earlier update's status is not this one's
  assert.equal(updateOutcome(svc('completed', '2026-01-01T00:00:01Z'), UPDATED), 'pending');
  assert.equal(updateOutcome(svc('completed'), UPDATED), 'done');
  assert.equal(updateOutcome(svc('rollback_started'), UPDATED), 'pending');
  assert.deepEqual(updateOutcome(svc('rollback_completed', undefined, 'task failed'), UPDATED), {
    failed: 'the update failed and Swarm rolled it back: task failed',
  });
  assert.deepEqual(updateOutcome(svc('paused'), UPDATED), { failed: 'the update is paused' });
});

test('a label-only change starts no rolling update: done at once', () => {
  assert.equal(
    updateOutcome({ Spec: { TaskTemplate: T1 }, PreviousSpec: { TaskTemplate: T1 } }, UPDATED),
    'done',
  );
});

test('tasks settle running at the replicas, or when Swarm stops restarting one', () => {
  const t = (desired: string, state: string) => ({
    DesiredState: desired,
    Status: { State: state },
  });
  assert.equal(tasksSettled([], 2), false);
  assert.equal(tasksSettled([t('running', 'running'), t('running', 'starting')], 2), false);
  assert.equal(tasksSettled([t('running', 'running'), t('running', 'running')], 2), true);
  // a restart waiting for its delay is still live
  assert.equal(
    tasksSettled([t('running', 'running'), t('shutdown', 'failed'), t('ready', 'ready')], 2),
    false,
  );
  assert.equal(tasksSettled([t('running', 'running'), t('shutdown', 'failed')], 2), true);
  assert.equal(tasksSettled([], 0), true);
});

test('the timeout grows with replicas, stop grace and startsecs; an update counts its rollback', () => {
  const w = (over: Partial<Watch>): Watch => ({
    id: 'x',
    name: 'p_x',
    replicas: 1,
    updated: false,
    stopGraceS: 10,
    startsecs: 1,
    ...over,
  });
  const base = convergeTimeoutMs([w({})], 0);
  assert.ok(convergeTimeoutMs([w({ replicas: 3 })], 0) === 3 * base);
  assert.ok(convergeTimeoutMs([w({ updated: true })], 0) === 2 * base);
  assert.ok(convergeTimeoutMs([w({ stopGraceS: 70 })], 0) === base + 60_000);
  assert.ok(convergeTimeoutMs([w({ startsecs: 31 })], 0) === base + 30_000);
  assert.equal(convergeTimeoutMs([], 5000), 5000);
});
