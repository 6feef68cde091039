/**
 * One group's move and its undo. Each step is recorded in the journal once
 * it completed and is safe to redo, so a run killed anywhere is finished by
 * the next one: the journal says where to go on.
 */
import type { Backend, ProcessStatus } from '../types.ts';
import { waitStarted } from '../start-wait.ts';
import { failpoint } from '../failpoint.ts';
import { MigrateError } from './errors.ts';
import { reached, type GroupEntry, type Step } from './journal.ts';
import type { MigrateRun } from './run.ts';

/** What the CLI prints as it happens: one line per group step. */
export interface MigrateEvent {
  group: string;
  step: Step | 'rolled-back' | 'restored' | 'failed';
  /** Downtime (stop on supervisord → RUNNING on the new side), on started-new. */
  downtimeMs?: number;
  detail?: string;
}

/** supervisor's states a process can be started from (STARTING/BACKOFF are on their way). */
const STOPPED = new Set(['STOPPED', 'EXITED', 'FATAL']);

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The new side's processes of `group`. */
async function newProcesses(target: Backend, group: string): Promise<ProcessStatus[]> {
  return (await target.list()).filter((p) => p.group === group);
}

async function waitRunning(r: MigrateRun, group: string, names: string[]): Promise<void> {
  const deadline = Date.now() + r.startTimeoutMs;
  for (const name of names) {
    const res = await waitStarted(`${group}:${name}`, async () => {
      if (Date.now() > deadline) throw new MigrateError(`${group}:${name} still STARTING`);
      const p = (await newProcesses(r.target, group)).find((x) => x.name === name);
      return p?.state ?? 'UNKNOWN';
    });
    if (!res.ok) throw new MigrateError(`${group}:${name}: ${res.message ?? 'not RUNNING'}`);
  }
}

function record(
  r: MigrateRun,
  group: string,
  e: GroupEntry,
  step: Step,
  downtimeMs?: number,
  quiet = false,
): void {
  e.step = step;
  r.save();
  if (!quiet) r.emit({ group, step, ...(downtimeMs === undefined ? {} : { downtimeMs }) });
  failpoint(`migrate:${step}`);
}

/** Moves `group` on from the step its entry records. */
export async function moveGroup(r: MigrateRun, group: string, e: GroupEntry): Promise<void> {
  let at: Step = e.step;
  try {
    if (!reached(at, 'installed')) {
      at = 'installed';
      await r.installNew();
      record(r, group, e, 'installed');
    }
    if (!reached(at, 'checked')) {
      at = 'checked';
      const have = new Set((await newProcesses(r.target, group)).map((p) => p.name));
      const missing = e.model.processes.map((p) => p.name).filter((n) => !have.has(n));
      if (missing.length > 0) throw new MigrateError(`not installed: ${missing.join(', ')}`);
      record(r, group, e, 'checked');
    }
    if (!reached(at, 'stopped-old')) {
      at = 'stopped-old';
      e.stoppedAt ??= Date.now();
      r.save(); // a rerun after a kill here still counts the downtime from the first stop
      if ((await r.old.group(group)) !== null) await r.old.stopGroup(group);
      record(r, group, e, 'stopped-old');
    }
    if (!reached(at, 'started-new')) {
      at = 'started-new';
      const mine = await newProcesses(r.target, group);
      const start = mine.filter((p) => e.wasRunning.includes(p.name) && p.state !== 'RUNNING');
      if (start.length > 0) {
        const res = await r.target.start(start);
        const bad = res.filter((x) => !x.ok && x.fault !== 'ALREADY_STARTED');
        if (bad.length > 0) {
          throw new MigrateError(
            bad.map((b) => `${b.namespec}: ${b.message ?? b.fault}`).join('; '),
          );
        }
      }
      await waitRunning(r, group, e.wasRunning);
      record(
        r,
        group,
        e,
        'started-new',
        e.stoppedAt === undefined ? undefined : Date.now() - e.stoppedAt,
      );
    }
    if (!reached(at, 'removed-old')) {
      at = 'removed-old';
      if ((await r.old.group(group)) !== null) await r.old.removeGroup(group);
      record(r, group, e, 'removed-old');
    }
    if (!reached(at, 'edited')) {
      at = 'edited';
      r.editConfig();
      // recorded either way (a rerun goes on from it); said only when a file was edited
      record(r, group, e, 'edited', undefined, !r.editing);
    }
    if (!reached(at, 'done')) record(r, group, e, 'done');
  } catch (err) {
    const why = `migrate ${group}: step ${at} failed: ${errText(err)}`;
    r.emit({ group, step: 'failed', detail: why });
    try {
      await undoGroup(r, group, e);
    } catch (e2) {
      throw new MigrateError(`${why}; restoring it under supervisord failed too: ${errText(e2)}`, {
        cause: err,
      });
    }
    throw new MigrateError(`${why}; ${group} runs under supervisord again`, { cause: err });
  }
}

/**
 * Puts `group` back under supervisord and takes it off the new side: its
 * config sections back, the new side's processes stopped, the group
 * re-added (or its processes that ran started again), what was installed
 * for it removed. The journal marks it first, so a killed undo is redone.
 */
export async function undoGroup(r: MigrateRun, group: string, e: GroupEntry): Promise<void> {
  e.rollingBack = true;
  r.save();
  failpoint('migrate:rollback:marked');
  r.editConfig();
  const mine = (await newProcesses(r.target, group)).filter((p) => p.state !== 'STOPPED');
  if (mine.length > 0) await r.target.stop(mine);
  failpoint('migrate:rollback:stopped-new');
  // addProcessGroup starts the autostart programs; the others that ran are started after
  if ((await r.old.group(group)) === null) await r.old.addGroup(group);
  const old = (await r.old.group(group)) ?? [];
  for (const name of e.wasRunning) {
    const p = old.find((x) => x.name === name);
    if (p !== undefined && STOPPED.has(p.state)) await r.old.startProcess(group, name);
  }
  r.emit({ group, step: 'restored' });
  failpoint('migrate:rollback:restored');
  await r.installNew();
  delete r.journal.groups[group];
  r.save();
  r.emit({ group, step: 'rolled-back' });
}
