import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOutcome, waitStarted } from '../../src/control/start-wait.ts';
import { formatActionResult } from '../../src/control/format.ts';
import type { ProcessState } from '../../src/control/types.ts';

test("start's outcome by the state a process leaves STARTING for, in supervisorctl's words", () => {
  const line = (s: ProcessState) => {
    const r = startOutcome('web', s);
    return r === undefined ? undefined : formatActionResult('start', r);
  };
  assert.equal(line('RUNNING'), 'web: started');
  assert.equal(line('BACKOFF'), 'web: ERROR (spawn error)');
  assert.equal(line('FATAL'), 'web: ERROR (spawn error)');
  assert.equal(line('EXITED'), 'web: ERROR (abnormal termination)');
  assert.equal(line('STOPPED'), 'web: ERROR (abnormal termination)');
  assert.equal(line('STARTING'), undefined);
});

test('waitStarted polls until the process leaves STARTING', async () => {
  const states: ProcessState[] = ['STARTING', 'STARTING', 'RUNNING'];
  let polls = 0;
  const r = await waitStarted('g:p', () => Promise.resolve(states[polls++]!), 1);
  assert.equal(polls, 3);
  assert.deepEqual(r, { namespec: 'g:p', ok: true, message: 'started' });
});
