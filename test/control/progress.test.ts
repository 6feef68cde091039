/** groupProgress: one event per group, when its last item is done. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupProgress, type ProgressEvent } from '../../src/control/progress.ts';

test('a group is reported once, when its last item is done; index counts groups', () => {
  const seen: ProgressEvent[] = [];
  const done = groupProgress('start', ['web', 'workers', 'workers', 'beat'], (e) => seen.push(e));
  done('workers');
  assert.equal(seen.length, 0, 'one of two workers is not the group');
  done('web');
  done('workers');
  done('beat');
  done('unknown'); // not of this phase: ignored
  assert.deepEqual(
    seen.map((e) => [e.phase, e.group, e.index, e.total]),
    [
      ['start', 'web', 1, 3],
      ['start', 'workers', 2, 3],
      ['start', 'beat', 3, 3],
    ],
  );
  for (const e of seen) assert.ok(e.elapsedMs >= 0);
});

test('a group done again after its report is not reported twice', () => {
  const seen: string[] = [];
  const done = groupProgress('stop', ['a'], (e) => seen.push(e.group));
  done('a');
  done('a');
  assert.deepEqual(seen, ['a']);
});

test('without a sink nothing is counted', () => {
  const done = groupProgress('create', ['a'], undefined);
  assert.doesNotThrow(() => done('a'));
});
