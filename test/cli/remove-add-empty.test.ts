/**
 * supervisorctl 4.2.5's `remove` and `add` with no name loop over nothing:
 * no output, exit 0 (do_remove/do_add). supctl's one-shot and shell verbs
 * do the same; the whole-project removal needs an explicit --name.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ctlGroups } from '../../src/cli/commands/ctl-config.ts';
import { FakeBackend, proc, recordIO } from '../control/fake-backend.ts';

test('one-shot remove/add with no name: nothing, exit 0, nothing opened', () => {
  for (const verb of ['remove', 'add']) {
    const r = spawnSync(process.execPath, ['bin/supctl', verb], {
      // a daemon that is not there: opening a backend would fail
      env: { ...process.env, SUPCTL_NAME: '', DOCKER_HOST: 'unix:///nonexistent.sock' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${verb}: ${r.stderr}`);
    assert.equal(r.stdout + r.stderr, '', verb);
  }
});

test('shell remove/add with no name: nothing, even without a stack', async () => {
  const b = new FakeBackend([proc('web', 'web')]);
  for (const verb of ['remove', 'add'] as const) {
    const r = recordIO();
    assert.equal(await ctlGroups(b, verb, [], r.io), 0);
    assert.deepEqual([...r.out, ...r.err], []);
  }
  assert.deepEqual(b.calls, []);
});
