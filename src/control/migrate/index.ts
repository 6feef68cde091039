/**
 * `supctl migrate`: groups of a running supervisord moved, one at a time in
 * priority order, to systemd or Docker (steps.ts), with a journal so a
 * killed run converges on rerun, and `--rollback` that moves them back.
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Backend } from '../types.ts';
import { sectionRanges, type SectionRange } from './config-edit.ts';
import { MigrateError } from './errors.ts';
import { clearJournal, readJournal, type GroupEntry, type Journal } from './journal.ts';
import type { OldSide } from './old-side.ts';
import { selectGroups } from './plan.ts';
import { MigrateRun, originalLines } from './run.ts';
import { moveGroup, undoGroup, type MigrateEvent } from './steps.ts';

interface MigrateOptions {
  d: Deployment;
  /** Named groups; none: every group. */
  groups: string[];
  to: 'systemd' | 'docker';
  project: string;
  /** The new side's options (scope, image), recorded for reruns. */
  options: Record<string, unknown>;
  editConfig: boolean;
  old: OldSide;
  target: Backend;
  journalFile: string;
  emit: (e: MigrateEvent) => void;
  startTimeoutMs: number;
}

interface MigrateResult {
  moved: string[];
  /** Without --edit-config: the sections to delete so a restart does not bring them back. */
  toRemove: SectionRange[];
}

const RUNNING = new Set(['RUNNING', 'STARTING', 'BACKOFF']);

function openJournal(o: MigrateOptions): Journal {
  const j = readJournal(o.journalFile);
  if (j !== null) {
    const rolling = Object.keys(j.groups).filter((g) => j.groups[g]!.rollingBack === true);
    if (rolling.length > 0) {
      throw new MigrateError(`the rollback of ${rolling.join(', ')} is unfinished: run --rollback`);
    }
    return j;
  }
  const day = new Date().toISOString().slice(0, 10);
  return {
    version: 1,
    configFile: o.d.configFile,
    to: o.to,
    project: o.project,
    options: o.options,
    marker: `; supctl migrate: moved to ${o.to} (project ${o.project}) on ${day}`,
    edited: [],
    groups: {},
  };
}

/** The config's groups plus those only the journal still knows (commented out by --edit-config). */
function withJournalGroups(d: Deployment, j: Journal): Deployment {
  const have = new Set(d.groups.map((g) => g.name));
  const extra = Object.values(j.groups)
    .map((e) => e.model)
    .filter((g) => !have.has(g.name));
  return { ...d, groups: [...d.groups, ...extra] };
}

export async function migrate(o: MigrateOptions): Promise<MigrateResult> {
  const j = openJournal(o);
  const d = withJournalGroups(o.d, j);
  // unfinished groups of a killed run first, then the ones asked for
  const unfinished = Object.keys(j.groups).filter((g) => j.groups[g]!.step !== 'done');
  const order = [
    ...unfinished,
    ...selectGroups(d, o.groups)
      .map((g) => g.name)
      .filter((g) => !unfinished.includes(g)),
  ];
  const editing = o.editConfig || j.edited.length > 0;
  const run = new MigrateRun(
    d,
    j,
    o.journalFile,
    o.old,
    o.target,
    o.emit,
    o.startTimeoutMs,
    editing,
  );
  const moved: string[] = [];
  for (const group of order) {
    let e: GroupEntry | undefined = j.groups[group];
    if (e?.step === 'done') {
      o.emit({ group, step: 'done', detail: 'already migrated' });
      continue;
    }
    if (e === undefined) {
      const procs = await o.old.group(group);
      if (procs === null)
        throw new MigrateError(`migrate ${group}: supervisord does not run this group`);
      e = {
        step: 'planned',
        wasRunning: procs.filter((p) => RUNNING.has(p.state)).map((p) => p.name),
        model: d.groups.find((g) => g.name === group)!,
      };
      j.groups[group] = e;
      run.save();
      o.emit({ group, step: 'planned' });
    }
    try {
      await moveGroup(run, group, e);
    } finally {
      // a failed first group leaves nothing to record
      if (Object.keys(j.groups).length === 0) clearJournal(o.journalFile);
    }
    moved.push(group);
  }
  const toRemove = editing
    ? []
    : moved.flatMap((g) => sectionRanges(j.groups[g]!.model, originalLines));
  return { moved, toRemove };
}

interface RollbackOptions {
  d: Deployment;
  groups: string[];
  old: OldSide;
  /** The journals of FILE's migrations to act on (journalsOf, narrowed by --to/--name). */
  journals: string[];
  /** Opens the new side a journal's migration used. */
  open: (j: Journal) => Promise<Backend>;
  emit: (e: MigrateEvent) => void;
  startTimeoutMs: number;
}

/** Moves groups back under supervisord, the last migrated first; returns them. */
export async function rollback(o: RollbackOptions): Promise<string[]> {
  const found = o.journals
    .map((file) => ({ file, j: readJournal(file) }))
    .filter((x): x is { file: string; j: Journal } => x.j !== null);
  if (found.length === 0) throw new MigrateError(`${o.d.configFile}: no migration to roll back`);
  const known = found.flatMap((x) => Object.keys(x.j.groups));
  const unknown = o.groups.filter((g) => !known.includes(g));
  if (unknown.length > 0) throw new MigrateError(`${unknown.join(', ')}: not migrated by supctl`);
  const back: string[] = [];
  for (const { file, j } of found) {
    const picked = Object.keys(j.groups).filter(
      (g) => o.groups.length === 0 || o.groups.includes(g),
    );
    if (picked.length === 0) continue;
    const target = await o.open(j);
    try {
      const d = withJournalGroups(o.d, j);
      const run = new MigrateRun(d, j, file, o.old, target, o.emit, o.startTimeoutMs, true);
      for (const group of picked.reverse()) {
        await undoGroup(run, group, j.groups[group]!);
        back.push(group);
      }
      if (Object.keys(j.groups).length === 0) {
        run.editConfig();
        clearJournal(file);
      }
    } finally {
      await target.close().catch(() => undefined);
    }
  }
  return back;
}
