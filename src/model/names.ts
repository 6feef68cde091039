import type { Group } from './group.ts';

/**
 * supervisorctl's name for a process: `name` alone when the group is the
 * program's own homogeneous group (group name = process name), else
 * `group:name`. The one place this rule lives.
 */
export function namespec(group: string, name: string): string {
  return group === name ? name : `${group}:${name}`;
}

/** The namespec that selects every process of a group (`group:*`). */
export function groupSpec(group: string): string {
  return `${group}:*`;
}

/**
 * True when the group comes from a `[group:x]` section (several programs, or
 * one program under another name), false for a program's own group.
 */
export function isGroupSection(g: Pick<Group, 'name' | 'programs'>): boolean {
  return g.programs.length > 1 || g.programs.some((pi) => pi.name !== g.name);
}
