/**
 * supervisorctl's `remove GROUP` and `add GROUP` on a backend that installs
 * a config (systemd, Docker): the group's units or containers go, or come
 * back from the stack's config, through the backend's own plan/apply, so
 * removal stops and deletes exactly what apply's remove path does. Other
 * groups are left as installed: a group the config adds is held back, and
 * a config that also changes or drops other groups is refused (that is
 * `update`'s job).
 */
import type { Deployment } from '../../model/deployment.ts';
import { BackendError, type Backend, type GroupEdit } from '../types.ts';

/** supervisord's removeProcessGroup refuses a group with a process not in a stopped state. */
const UNSTOPPED = new Set(['RUNNING', 'STARTING', 'BACKOFF', 'STOPPING']);

function without(d: Deployment, names: readonly string[]): Deployment {
  return { ...d, groups: d.groups.filter((g) => !names.includes(g.name)) };
}

/** Applies `target` (d minus `drop`) when the only change it makes is `expect`. */
async function applyOnly(
  b: Backend,
  d: Deployment,
  verb: 'remove' | 'add',
  group: string,
): Promise<void> {
  const pending = await b.plan(d);
  const drop = pending.added.filter((g) => g !== group);
  if (verb === 'remove') drop.push(group);
  const target = without(d, drop);
  const c = await b.plan(target);
  const others = [
    ...c.changed,
    ...c.removed.filter((g) => g !== group),
    ...c.added.filter((g) => g !== group),
  ];
  if (others.length > 0) {
    throw new BackendError(
      'CONFLICT',
      `${verb} ${group}: ${d.configFile} also changes ${others.sort().join(', ')}; run update instead`,
    );
  }
  await b.apply(target, { dryRun: false, onlyChanges: true });
}

export async function removeGroupByApply(
  b: Backend,
  d: Deployment,
  group: string,
): Promise<GroupEdit> {
  const rows = (await b.list()).filter((p) => p.group === group);
  if (rows.length === 0) return 'unknown';
  if (rows.some((p) => UNSTOPPED.has(p.state))) return 'running';
  await applyOnly(b, d, 'remove', group);
  return 'done';
}

export async function addGroupByApply(
  b: Backend,
  d: Deployment,
  group: string,
): Promise<GroupEdit> {
  if (!d.groups.some((g) => g.name === group)) return 'unknown';
  if ((await b.list()).some((p) => p.group === group)) return 'active';
  await applyOnly(b, d, 'add', group);
  return 'done';
}
