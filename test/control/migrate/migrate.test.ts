/**
 * The migrate orchestration against fakes of both sides (the real runtimes
 * are test/integration/migrate.test.ts): the step order, a failure put back
 * under supervisord with the failed step named, a run resumed from its
 * journal, and a rollback.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/index.ts';
import { migrate, rollback } from '../../../src/control/migrate/index.ts';
import { MigrateError } from '../../../src/control/migrate/errors.ts';
import { readJournal, writeJournal } from '../../../src/control/migrate/journal.ts';
import type { OldSide } from '../../../src/control/migrate/old-side.ts';
import type { MigrateEvent } from '../../../src/control/migrate/steps.ts';
import type { ActionResult, Backend, ProcessStatus } from '../../../src/control/types.ts';
import type { Deployment } from '../../../src/model/deployment.ts';
import { proc } from '../fake-backend.ts';

const CONF = `[supervisord]
logfile=/dev/null

[program:web]
command=/bin/sleep 1
priority=20

[program:worker]
command=/bin/sleep 2
priority=10
`;

/** supervisord: group → process name → state; removed groups can be added back. */
class FakeOld implements OldSide {
  calls: string[] = [];
  groups = new Map<string, Map<string, string>>([
    ['web', new Map([['web', 'RUNNING']])],
    ['worker', new Map([['worker', 'RUNNING']])],
  ]);
  group(name: string) {
    const g = this.groups.get(name);
    return Promise.resolve(g ? [...g].map(([n, state]) => ({ name: n, state })) : null);
  }
  stopGroup(name: string) {
    this.calls.push(`stop ${name}`);
    for (const k of this.groups.get(name)!.keys()) this.groups.get(name)!.set(k, 'STOPPED');
    return Promise.resolve();
  }
  removeGroup(name: string) {
    this.calls.push(`remove ${name}`);
    this.groups.delete(name);
    return Promise.resolve();
  }
  addGroup(name: string) {
    this.calls.push(`add ${name}`);
    this.groups.set(name, new Map([[name, 'RUNNING']]));
    return Promise.resolve();
  }
  startProcess(group: string, name: string) {
    this.calls.push(`start ${group}:${name}`);
    this.groups.get(group)!.set(name, 'RUNNING');
    return Promise.resolve();
  }
}

/** The new side: apply installs the deployment's processes STOPPED; start may be made to fail. */
class FakeNew {
  procs: ProcessStatus[] = [];
  calls: string[] = [];
  failStart = false;
  list() {
    return Promise.resolve(this.procs);
  }
  apply(d: Deployment, o: { noStart?: boolean }) {
    this.calls.push(`apply ${d.groups.map((g) => g.name).join(',')} noStart=${o.noStart}`);
    const keep = this.procs.filter((p) => d.groups.some((g) => g.name === p.group));
    const fresh = d.groups
      .filter((g) => !keep.some((p) => p.group === g.name))
      .flatMap((g) => g.processes.map((p) => proc(g.name, p.name, 'STOPPED')));
    this.procs = [...keep, ...fresh];
    return Promise.resolve({ changes: { added: [], changed: [], removed: [] }, written: [] });
  }
  start(ts: ProcessStatus[]): Promise<ActionResult[]> {
    this.calls.push(`start ${ts.map((t) => t.name).join(',')}`);
    return Promise.resolve(
      ts.map((t) => {
        if (this.failStart)
          return {
            namespec: t.namespec,
            ok: false,
            fault: 'SPAWN_ERROR' as const,
            message: 'ERROR (spawn error)',
          };
        this.procs = this.procs.map((p) =>
          p.name === t.name ? { ...p, state: 'RUNNING' as const } : p,
        );
        return { namespec: t.namespec, ok: true };
      }),
    );
  }
  stop(ts: ProcessStatus[]): Promise<ActionResult[]> {
    this.calls.push(`stop ${ts.map((t) => t.name).join(',')}`);
    this.procs = this.procs.map((p) =>
      ts.some((t) => t.name === p.name) ? { ...p, state: 'STOPPED' as const } : p,
    );
    return Promise.resolve(ts.map((t) => ({ namespec: t.namespec, ok: true })));
  }
  remove() {
    this.calls.push('remove');
    this.procs = [];
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-mig-'));
  const file = join(dir, 'app.conf');
  writeFileSync(file, CONF);
  const old = new FakeOld();
  const target = new FakeNew();
  const events: MigrateEvent[] = [];
  const base = {
    d: loadConfig(file),
    old,
    target: target as unknown as Backend,
    journalFile: join(dir, 'state', 'j.json'),
    emit: (e: MigrateEvent) => void events.push(e),
    startTimeoutMs: 5000,
  };
  const opts = (groups: string[]) => ({
    ...base,
    groups,
    to: 'systemd' as const,
    project: 'app',
    options: {},
    editConfig: false,
  });
  return { file, old, target, events, base, opts };
}

test('groups move in priority order: install stopped, stop old, start new, remove old', async () => {
  const { old, target, events, opts, base, file } = setup();
  const r = await migrate(opts([]));
  assert.deepEqual(r.moved, ['worker', 'web']);
  assert.deepEqual(target.calls, [
    'apply worker noStart=true',
    'start worker',
    'apply worker,web noStart=true',
    'start web',
  ]);
  assert.deepEqual(old.calls, ['stop worker', 'remove worker', 'stop web', 'remove web']);
  assert.deepEqual(
    events.filter((e) => e.group === 'web').map((e) => e.step),
    [
      'planned',
      'installed',
      'checked',
      'stopped-old',
      'started-new',
      'removed-old',
      // no `edited` step line without --edit-config: no file was edited
      'done',
    ],
  );
  assert.ok(events.some((e) => e.step === 'started-new' && typeof e.downtimeMs === 'number'));
  // without --edit-config: what to delete by hand
  assert.deepEqual(
    r.toRemove.map((s) => `${s.file}:${s.first}-${s.last} ${s.section}`),
    [`${file}:8-10 program:worker`, `${file}:4-6 program:web`],
  );
  assert.equal(readJournal(base.journalFile)!.groups['web']!.step, 'done');
});

test('a failed start on the new side puts the group back under supervisord and says which step', async () => {
  const { old, target, opts } = setup();
  target.failStart = true;
  await assert.rejects(
    migrate(opts(['web'])),
    (e: Error) =>
      e instanceof MigrateError &&
      /^migrate web: step started-new failed: web: ERROR \(spawn error\); web runs under supervisord again$/.test(
        e.message,
      ),
  );
  assert.deepEqual(await old.group('web'), [{ name: 'web', state: 'RUNNING' }]);
  assert.deepEqual(target.procs, [], 'what was installed for it is removed');
  assert.ok(target.calls.includes('remove'));
});

test('a run killed after stopping the old side is continued from its journal', async () => {
  const { old, target, opts, base } = setup();
  await old.stopGroup('web');
  await target.apply(
    { ...base.d, groups: base.d.groups.filter((g) => g.name === 'web') },
    { noStart: true },
  );
  target.calls = [];
  writeJournal(base.journalFile, {
    version: 1,
    configFile: base.d.configFile,
    to: 'systemd',
    project: 'app',
    options: {},
    marker: '; m',
    edited: [],
    groups: {
      web: {
        step: 'stopped-old',
        wasRunning: ['web'],
        stoppedAt: Date.now(),
        model: base.d.groups.find((g) => g.name === 'web')!,
      },
    },
  });
  const r = await migrate(opts(['web']));
  assert.deepEqual(r.moved, ['web']);
  assert.deepEqual(target.calls, ['start web'], 'nothing redone before the recorded step');
  assert.equal(await old.group('web'), null);
});

test('rollback re-adds the groups, removes what was installed, drops the journal', async () => {
  const { old, target, opts, base } = setup();
  await migrate(opts([]));
  const back = await rollback({
    d: base.d,
    groups: [],
    old,
    journals: [base.journalFile],
    open: () => Promise.resolve(target as unknown as Backend),
    emit: base.emit,
    startTimeoutMs: 5000,
  });
  assert.deepEqual(back, ['web', 'worker']);
  assert.deepEqual(await old.group('web'), [{ name: 'web', state: 'RUNNING' }]);
  assert.deepEqual(await old.group('worker'), [{ name: 'worker', state: 'RUNNING' }]);
  assert.deepEqual(target.procs, []);
  assert.equal(existsSync(base.journalFile), false);
});

test('with --edit-config the edited step is said, and the file is edited', async () => {
  const { events, opts, file } = setup();
  await migrate({ ...opts(['web']), editConfig: true });
  assert.ok(events.some((e) => e.group === 'web' && e.step === 'edited'));
  assert.ok(existsSync(`${file}.supctl-bak`));
});
