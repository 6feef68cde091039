import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupHashes, processesOf } from '../../../src/control/systemd/manifest.ts';
import { planSystemd } from '../../../src/emit/systemd/plan.ts';
import { makeRenderer } from '../../../src/emit/systemd/render.ts';
import { renderSystemd } from '../../../src/emit/systemd/unit-files.ts';
import { deployment, program, proc } from '../../emit/systemd/fixture.ts';

const opts = {
  project: 'p',
  scope: 'user' as const,
  inlineEnv: false,
  logrotate: false,
  autoLogDir: '/var/log/p',
};

void test('the manifest lists each process with its unit, group and log targets from the plan', () => {
  const workers = [0, 1].map((n) =>
    proc(`w_${n}`, { program: 'w', processNum: n, argv: ['/bin/sleep', `10${n}`] }),
  );
  const d = deployment([
    program('w', workers),
    program('a', [
      proc('a', {
        directory: '/srv/a',
        stdout_logfile: 'out.log',
        stderr_logfile: null,
        stderr_syslog: true,
      }),
    ]),
    program('b', [proc('b', { redirect_stderr: true, stdout_logfile: '/dev/null' })]),
  ]);
  const procs = processesOf(planSystemd(d, opts));
  assert.deepEqual(
    procs.map((p) => [p.namespec, p.group, p.unit, p.stdout, p.stderr]),
    [
      [
        'w:w_0',
        'w',
        'p-w@0.service',
        '/var/log/p/p-w@0.service.out',
        '/var/log/p/p-w@0.service.err',
      ],
      [
        'w:w_1',
        'w',
        'p-w@1.service',
        '/var/log/p/p-w@1.service.out',
        '/var/log/p/p-w@1.service.err',
      ],
      ['a', 'a', 'p-a.service', '/srv/a/out.log', 'journal'],
      ['b', 'b', 'p-b.service', null, null],
    ],
  );
});

void test('a group hash changes with its own files only (its environment file too)', () => {
  const d = (cmd: string, x = '1') =>
    deployment([
      program('a', [proc('a', { argv: ['/bin/sleep', cmd] })]),
      program('b', [proc('b', { environment: { X: x } })]),
    ]);
  const hashes = (dep: ReturnType<typeof d>) => {
    const plan = planSystemd(dep, opts);
    return groupHashes(dep, plan, renderSystemd(plan, makeRenderer()));
  };
  const before = hashes(d('1'));
  const after = hashes(d('2'));
  assert.notEqual(before['a'], after['a']);
  assert.equal(before['b'], after['b']);
  const env = hashes(d('1', '2'));
  assert.equal(before['a'], env['a']);
  assert.notEqual(before['b'], env['b']);
});

void test('a group is not changed by another group arriving before it in priority order', () => {
  const hashes = (dep: ReturnType<typeof deployment>) => {
    const plan = planSystemd(dep, opts);
    return {
      plan: renderSystemd(plan, makeRenderer()),
      h: groupHashes(dep, plan, renderSystemd(plan, makeRenderer())),
    };
  };
  const off = program('off', [proc('off', { priority: 999 })]);
  const before = hashes(deployment([off]));
  const after = hashes(deployment([off, program('extra', [proc('extra', { priority: 30 })])]));
  // the unit is rewritten with the new ordering, but the group is unchanged
  const unit = (r: typeof before) => r.plan.find((f) => f.path === 'p-off.service')?.content ?? '';
  assert.doesNotMatch(unit(before), /^After=.*p-extra/m);
  assert.match(unit(after), /^After=.*p-extra\.service/m);
  assert.equal(before.h['off'], after.h['off']);
  // its own priority still counts
  const moved = hashes(deployment([program('off', [proc('off', { priority: 10 })])]));
  assert.notEqual(before.h['off'], moved.h['off']);
});
