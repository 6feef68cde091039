/**
 * Which groups a migrate moves, in the order supervisord starts them
 * (priority, then name), and the Deployment that holds only some groups
 * (what the new side is told to install).
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Group } from '../../model/group.ts';
import { MigrateError } from './errors.ts';

/** The named groups (all when none are named), in supervisord's start order. */
export function selectGroups(d: Deployment, names: readonly string[]): Group[] {
  const known = new Map(d.groups.map((g) => [g.name, g]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new MigrateError(`${d.configFile}: no group ${unknown.join(', ')} in this config`);
  }
  const picked = names.length === 0 ? d.groups : [...new Set(names)].map((n) => known.get(n)!);
  return [...picked].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
}

/** `d` with only the groups named in `keep`. */
export function subset(d: Deployment, keep: ReadonlySet<string>): Deployment {
  return { ...d, groups: d.groups.filter((g) => keep.has(g.name)) };
}
