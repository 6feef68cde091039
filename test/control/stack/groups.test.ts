/**
 * remove/add GROUP over plan/apply (systemd, Docker): the refusals
 * supervisord makes, and that no other group is touched. The real route is
 * in test/integration/dropin.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addGroupByApply, removeGroupByApply } from '../../../src/control/stack/groups.ts';
import { StackBackend } from '../../../src/control/stack/index.ts';
import type { ApplyOptions, ApplyResult, ChangeSet } from '../../../src/control/types.ts';
import type { Deployment } from '../../../src/model/deployment.ts';
import { ctlGroups } from '../../../src/cli/commands/ctl-config.ts';
import { FakeBackend, proc, recordIO } from '../fake-backend.ts';

const conf = (...groups: string[]): Deployment =>
  ({
    configFile: '/etc/app.conf',
    groups: groups.map((name) => ({ name })),
  }) as unknown as Deployment;

/** Installed groups; `drift` are those whose config differs from what is installed. */
class Installed extends FakeBackend {
  applied: string[][] = [];
  constructor(
    public installed: string[],
    public drift: string[] = [],
  ) {
    super(installed.map((g) => proc(g, g, 'STOPPED')));
  }
  override plan(d: Deployment): Promise<ChangeSet> {
    const names = d.groups.map((g) => g.name);
    return Promise.resolve({
      added: names.filter((g) => !this.installed.includes(g)),
      changed: names.filter((g) => this.drift.includes(g) && this.installed.includes(g)),
      removed: this.installed.filter((g) => !names.includes(g)),
    });
  }
  override async apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    const changes = await this.plan(d);
    assert.equal(opts.onlyChanges, true);
    this.installed = d.groups.map((g) => g.name);
    this.procs = this.installed.map((g) => proc(g, g, 'STOPPED'));
    this.applied.push(this.installed);
    return { changes, written: [] };
  }
}

test('remove: a stopped group goes, the others stay; a new group in the config is held back', async () => {
  const b = new Installed(['celery', 'web']);
  assert.equal(await removeGroupByApply(b, conf('celery', 'web', 'newone'), 'celery'), 'done');
  assert.deepEqual(b.installed, ['web']);
});

test('remove: refused while a process of the group runs, unknown when nothing has it', async () => {
  const b = new Installed(['celery', 'web']);
  b.procs[0] = proc('celery', 'celery', 'RUNNING');
  assert.equal(await removeGroupByApply(b, conf('celery', 'web'), 'celery'), 'running');
  assert.equal(await removeGroupByApply(b, conf('celery', 'web'), 'nope'), 'unknown');
  assert.deepEqual(b.applied, []);
});

test('remove/add: refused when the config also changes another group (update does that)', async () => {
  const b = new Installed(['celery', 'web'], ['web']);
  await assert.rejects(
    () => removeGroupByApply(b, conf('celery', 'web'), 'celery'),
    /remove celery: \/etc\/app.conf also changes web; run update instead/,
  );
  assert.deepEqual(b.applied, []);
});

test('add: back from the config; already there; not in the config', async () => {
  const b = new Installed(['web']);
  assert.equal(await addGroupByApply(b, conf('celery', 'other', 'web'), 'celery'), 'done');
  assert.deepEqual(b.installed, ['celery', 'web']);
  assert.equal(await addGroupByApply(b, conf('celery', 'web'), 'celery'), 'active');
  assert.equal(await addGroupByApply(b, conf('celery', 'web'), 'nope'), 'unknown');
});

test("ctlGroups prints supervisorctl's lines and exit codes through a stack", async () => {
  const b = new Installed(['celery', 'web']);
  b.procs[1] = proc('web', 'web', 'RUNNING');
  const s = new StackBackend([{ name: 'systemd', backend: b }], b, 'none', conf('celery', 'web'));
  let r = recordIO();
  assert.equal(await ctlGroups(s, 'remove', ['web', 'nope', 'celery'], r.io), 1);
  assert.deepEqual(r.out, [
    'ERROR: process/group still running: web',
    'ERROR: no such process/group: nope',
    'celery: removed process group',
  ]);
  r = recordIO();
  assert.equal(await ctlGroups(s, 'add', ['celery', 'web'], r.io), 0);
  assert.deepEqual(r.out, ['celery: added process group', 'ERROR: process group already active']);
  r = recordIO();
  assert.equal(await ctlGroups(s, 'add', ['nope'], r.io), 1);
  assert.deepEqual(r.out, ['ERROR: no such process/group: nope']);
});

test('a backend without group calls and no -c FILE: one usage line', async () => {
  const b = new FakeBackend([]);
  await assert.rejects(() => ctlGroups(b, 'remove', ['web'], recordIO().io), /-c FILE/);
});
