/**
 * The verbs that read a config or change what is installed: reread, update,
 * apply, remove, add (supervisorctl.py 4.2.5 do_reread, do_update, do_remove,
 * do_add).
 */
import { formatChanges, formatUpdate } from '../../control/format.ts';
import type { Backend, ChangeSet, GroupEdit, ProcessStatus } from '../../control/types.ts';
import { UsageError } from '../errors.ts';
import type { Deployment } from '../../model/deployment.ts';
import { printJson, type CtlIO } from './ctl-io.ts';

export async function ctlReread(b: Backend, d: Deployment, io: CtlIO): Promise<number> {
  const changes = await b.plan(d);
  if (io.json) printJson(io, changes);
  else for (const l of formatChanges(changes)) io.out(l);
  return 0;
}

/**
 * `update` (only what changed: new programs start, changed ones restart,
 * disappeared ones stop and go) and `apply` (install everything, start the
 * project). `--dry-run` prints the change set only.
 */
export async function ctlApply(
  b: Backend,
  d: Deployment,
  io: CtlIO,
  opts: { onlyChanges: boolean; dryRun: boolean; project: string },
): Promise<number> {
  if (opts.dryRun) {
    const changes = await b.plan(d);
    if (io.json) printJson(io, { dryRun: true, changes });
    else {
      for (const l of formatChanges(changes)) io.out(l);
      io.out(`(dry run: nothing changed in project ${opts.project})`);
    }
    return 0;
  }
  io.progress?.(`${opts.onlyChanges ? 'updating' : 'applying'} project ${opts.project}…`);
  const res = await b
    .apply(d, { dryRun: false, onlyChanges: opts.onlyChanges, onProgress: io.steps?.sink })
    .finally(() => io.steps?.end());
  if (io.json) {
    printJson(io, { project: opts.project, changes: res.changes, written: res.written });
    return 0;
  }
  // supervisorctl's update says nothing when nothing changed (reread says so)
  for (const l of formatUpdate(res.changes)) io.out(l);
  if (!opts.onlyChanges) io.out(`${opts.project}: applied (${countGroups(res.changes)})`);
  return 0;
}

function countGroups(c: ChangeSet): string {
  return `${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed`;
}

export async function ctlRemove(
  b: Backend,
  io: CtlIO,
  project: string | undefined,
): Promise<number> {
  const before = await b.list().catch(() => [] as ProcessStatus[]);
  io.progress?.(`removing project ${project ?? ''}…`);
  await b.remove({ onProgress: io.steps?.sink }).finally(() => io.steps?.end());
  if (io.json) printJson(io, { project: project ?? null, removed: before.map((p) => p.namespec) });
  else io.out(`${project ?? 'project'}: removed (${before.length} process(es))`);
  return 0;
}

/** supervisorctl's lines for each outcome of `remove`/`add GROUP`, and whether it fails the run. */
const GROUP_LINES: Record<'remove' | 'add', Record<GroupEdit, (g: string) => [string, boolean]>> = {
  remove: {
    done: (g) => [`${g}: removed process group`, false],
    running: (g) => [`ERROR: process/group still running: ${g}`, true],
    active: (g) => [`ERROR: process/group still running: ${g}`, true],
    unknown: (g) => [`ERROR: no such process/group: ${g}`, true],
  },
  add: {
    done: (g) => [`${g}: added process group`, false],
    running: () => ['ERROR: process group already active', false],
    // supervisorctl leaves the exit status alone for this one
    active: () => ['ERROR: process group already active', false],
    unknown: (g) => [`ERROR: no such process/group: ${g}`, true],
  },
};

/** supervisorctl's `remove GROUP...` / `add GROUP...`: one line per group, exit 1 on a refusal. */
export async function ctlGroups(
  b: Backend,
  verb: 'remove' | 'add',
  groups: readonly string[],
  io: CtlIO,
): Promise<number> {
  // supervisorctl's do_remove/do_add loop over no names: nothing, exit 0
  if (groups.length === 0) return 0;
  const edit =
    verb === 'remove'
      ? b.removeGroup && ((g: string) => b.removeGroup!(g))
      : b.addGroup && ((g: string) => b.addGroup!(g));
  if (edit === undefined) {
    throw new UsageError(
      `${verb} ${groups.join(' ')}: name the stack with -c FILE (the config the groups come from)`,
    );
  }
  let status = 0;
  const done: Record<string, GroupEdit> = {};
  for (const g of groups) {
    const r = await edit(g);
    done[g] = r;
    const [line, failed] = GROUP_LINES[verb][r](g);
    if (failed) status = 1;
    if (!io.json) io.out(line);
  }
  if (io.json) printJson(io, done);
  return status;
}
