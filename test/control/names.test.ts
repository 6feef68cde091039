import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveNames, splitNamespec } from '../../src/control/names.ts';
import { namespec as makeNamespec } from '../../src/model/names.ts';
import { proc } from './fake-backend.ts';

const procs = [
  proc('web', 'web'),
  proc('workers', 'w_1'),
  proc('workers', 'w_0'),
  proc('numprocs', 'numprocs_0'),
  proc('numprocs', 'numprocs_1'),
  proc('api', 'api', 'STOPPED'),
];
const ns = (r: { namespec: string }[]) => r.map((p) => p.namespec);

test('splitNamespec: supervisor options.split_namespec', () => {
  assert.deepEqual(splitNamespec('web'), { spec: 'web', group: 'web', process: 'web' });
  assert.deepEqual(splitNamespec('g:p'), { spec: 'g:p', group: 'g', process: 'p' });
  assert.deepEqual(splitNamespec('g:*'), { spec: 'g:*', group: 'g', process: null });
  assert.deepEqual(splitNamespec('g:'), { spec: 'g:', group: 'g', process: null });
  // only the first colon splits
  assert.deepEqual(splitNamespec('g:p:q'), { spec: 'g:p:q', group: 'g', process: 'p:q' });
});

test('makeNamespec: the bare name when group and process agree', () => {
  assert.equal(makeNamespec('web', 'web'), 'web');
  assert.equal(makeNamespec('g', 'p'), 'g:p');
});

test('a bare name is group NAME, process NAME', () => {
  const r = resolveNames(procs, ['web']);
  assert.deepEqual(ns(r.targets), ['web']);
  assert.deepEqual(r.bad, []);
});

test('group:name, group:* and group: ', () => {
  assert.deepEqual(ns(resolveNames(procs, ['workers:w_1']).targets), ['workers:w_1']);
  // lexical order inside a group, whatever the backend's order
  assert.deepEqual(ns(resolveNames(procs, ['workers:*']).targets), ['workers:w_0', 'workers:w_1']);
  assert.deepEqual(ns(resolveNames(procs, ['workers:']).targets), ['workers:w_0', 'workers:w_1']);
});

test('a bare name of a numprocs group is "no such process", as supervisorctl', () => {
  const r = resolveNames(procs, ['numprocs']);
  assert.deepEqual(r.targets, []);
  assert.equal(r.bad.length, 1);
  assert.deepEqual(r.bad[0]!.error, {
    kind: 'no such process',
    line: 'numprocs: ERROR (no such process)',
  });
});

test('unknown group and unknown process', () => {
  const r = resolveNames(procs, ['nope:*', 'workers:w_9', 'ghost']);
  assert.deepEqual(
    r.bad.map((m) => m.error!.line),
    [
      'nope: ERROR (no such group)',
      'workers:w_9: ERROR (no such process)',
      'ghost: ERROR (no such process)',
    ],
  );
});

test('all anywhere means everything, sorted by group then name', () => {
  for (const names of [['all'], ['web', 'all'], ['nope', 'all']]) {
    const r = resolveNames(procs, names);
    assert.equal(r.all, true);
    assert.deepEqual(r.bad, []);
    assert.deepEqual(ns(r.targets), [
      'api',
      'numprocs:numprocs_0',
      'numprocs:numprocs_1',
      'web',
      'workers:w_0',
      'workers:w_1',
    ]);
  }
});

test('no names: everything only when asked (status, pid)', () => {
  assert.equal(resolveNames(procs, []).targets.length, 0);
  assert.equal(resolveNames(procs, [], { emptyMeansAll: true }).targets.length, procs.length);
});

test('a process named twice is a target once, in the order first named', () => {
  const r = resolveNames(procs, ['workers:w_1', 'workers:*', 'web']);
  assert.deepEqual(ns(r.targets), ['workers:w_1', 'workers:w_0', 'web']);
});
