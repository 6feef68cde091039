/**
 * Behaviour on a real swarm, beyond the verbs: a crash is restarted per the
 * restart policy (autorestart=unexpected → on-failure, autorestart=false →
 * none), `stop` delivers the configured stop signal and waits the grace
 * period for the program's own exit, and stopasgroup=true reaches a forked
 * child (tini's process-group kill) where stopasgroup=false does not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor } from './harness.ts';
import { inspectService, serviceOutput, swarmEnv, tasksOf } from './swarm-support.ts';

const PROJECT = `swb${process.pid}`;

const CONF = `[program:crashy]
command=/bin/sh -c 'echo run; sleep 2; exit 3'
startsecs=1
autorestart=unexpected

[program:once]
command=/bin/sh -c 'echo run; sleep 2; exit 3'
startsecs=1
autorestart=false

[program:trapper]
command=/bin/sh -c 'trap "echo got-USR1; sleep 2; echo clean-exit; exit 0" USR1; echo ready; while :; do sleep 0.2; done'
startsecs=0
stopsignal=USR1
stopwaitsecs=20

[program:grouped]
command=/bin/sh -c '/bin/sh -c "trap \\"echo child-got-TERM; exit 0\\" TERM; while :; do sleep 0.2; done" & trap "wait; exit 0" TERM; wait'
startsecs=0
stopasgroup=true
stopwaitsecs=5

[program:alone]
command=/bin/sh -c '/bin/sh -c "trap \\"echo child-got-TERM; exit 0\\" TERM; while :; do sleep 0.2; done" & trap "exit 0" TERM; wait'
startsecs=0
stopwaitsecs=5
`;

describeWithHarness('swarm behaviour: restart policy, stop signal and grace, group kill', (h) => {
  const s = swarmEnv(PROJECT);
  const dir = mkdtempSync(join(tmpdir(), 'supctl-swarmb-'));
  const svc = (name: string) => `${PROJECT}_${name}`;

  before(() => {
    const conf = join(dir, 'b.conf');
    writeFileSync(conf, CONF);
    const r = s.supctl('apply', conf, '--image', h.docker.image);
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    s.supctl('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a crash is restarted per the policy: on-failure restarts, none does not', async () => {
    const crashy = await inspectService(s.docker, svc('crashy'));
    assert.equal(crashy.Spec.TaskTemplate.RestartPolicy.Condition, 'on-failure');
    const once = await inspectService(s.docker, svc('once'));
    assert.equal(once.Spec.TaskTemplate.RestartPolicy.Condition, 'none');
    await waitFor(
      'crashy restarted after a failed exit',
      async () => {
        const failed = (await tasksOf(s.docker, svc('crashy'))).filter(
          (t) => t.Status.State === 'failed',
        );
        return failed.length >= 2 ? true : undefined;
      },
      120_000,
      250,
    );
    const line = await waitFor(
      'status counts the restarts of crashy',
      () => s.supctl('status', 'crashy').stdout || undefined,
      30_000,
      250,
    );
    assert.match(line, /^crashy +(STARTING|RUNNING|EXITED)/);
    await waitFor(
      'once exited',
      () => (/^once +EXITED/.test(s.supctl('status', 'once').stdout) ? true : undefined),
      60_000,
      250,
    );
    // well past its exit: still one task, never restarted
    const tasks = await tasksOf(s.docker, svc('once'));
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0]!.Status.State, 'failed');
    assert.equal(tasks[0]!.Status.ContainerStatus?.ExitCode, 3);
  });

  test('stop sends the stop signal and waits for the program within the grace period', async () => {
    await waitFor(
      'trapper ready',
      async () =>
        (await serviceOutput(s.docker, svc('trapper'))).includes('ready') ? true : undefined,
      120_000,
      250,
    );
    const r = s.supctl('stop', 'trapper');
    assert.deepEqual([r.status, r.lines], [0, ['trapper: stopped']]);
    const out = await serviceOutput(s.docker, svc('trapper'));
    assert.match(out, /got-USR1\nclean-exit\n/);
    const [task] = await tasksOf(s.docker, svc('trapper'));
    // exit 0 from the trap, not 137 from a SIGKILL at the end of the grace period
    assert.equal(task!.Status.ContainerStatus?.ExitCode, 0);
  });

  test('stopasgroup=true signals a forked child; without it the child is not', async () => {
    for (const name of ['grouped', 'alone']) {
      await waitFor(
        `${name} running`,
        () =>
          new RegExp(`^${name} +RUNNING`).test(s.supctl('status', name).stdout) ? true : undefined,
        120_000,
        250,
      );
    }
    const r = s.supctl('stop', 'grouped', 'alone');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(await serviceOutput(s.docker, svc('grouped')), /child-got-TERM/);
    assert.doesNotMatch(await serviceOutput(s.docker, svc('alone')), /child-got-TERM/);
  });
});
