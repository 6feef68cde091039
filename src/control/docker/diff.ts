/**
 * Desired containers against current ones, by name and create-options
 * hash: equal = unchanged, different = changed, missing = added, left over
 * = removed; and the supervisor groups each change touches.
 */
import type { ChangeSet } from '../types.ts';
import type { ContainerSpec } from './create.ts';
import type { Existing } from './existing.ts';
import { NEXT_SUFFIX } from './labels.ts';

interface Diff {
  changes: ChangeSet;
  added: ContainerSpec[];
  changed: { spec: ContainerSpec; old: Existing }[];
  removed: Existing[];
  unchanged: { spec: ContainerSpec; old: Existing }[];
}

export function diff(specs: ContainerSpec[], existing: Existing[]): Diff {
  const current = new Map(
    existing.filter((e) => !e.name.endsWith(NEXT_SUFFIX)).map((e) => [e.name, e]),
  );
  const d: Diff = {
    changes: { added: [], changed: [], removed: [] },
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
  };
  const touched = new Set<string>();
  const wanted = new Set<string>();
  for (const spec of specs) {
    wanted.add(spec.name);
    const old = current.get(spec.name);
    if (!old) {
      d.added.push(spec);
      touched.add(spec.group);
    } else if (old.hash !== spec.hash) {
      d.changed.push({ spec, old });
      touched.add(spec.group);
    } else {
      d.unchanged.push({ spec, old });
    }
  }
  for (const old of current.values()) {
    if (!wanted.has(old.name)) {
      d.removed.push(old);
      touched.add(old.group);
    }
  }
  const oldGroups = new Set([...current.values()].map((e) => e.group));
  const newGroups = new Set(specs.map((s) => s.group));
  for (const g of [...touched].sort()) {
    if (!oldGroups.has(g)) d.changes.added.push(g);
    else if (!newGroups.has(g)) d.changes.removed.push(g);
    else d.changes.changed.push(g);
  }
  return d;
}
