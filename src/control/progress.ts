/**
 * Progress of long backend work (apply, update, uninstall), as events: the
 * library never prints, the CLI renders them (src/cli/progress.ts). One
 * event each time a supervisor group finishes a phase.
 */

export interface ProgressEvent {
  /** What is being done to the group: create, start, stop, remove. */
  phase: string;
  /** The supervisor group (a program's own name when it has no [group:x]). */
  group: string;
  /** 1-based: this is the index-th group of the phase to finish. */
  index: number;
  total: number;
  /** Since the tracker of this phase was made. */
  elapsedMs: number;
}

export type ProgressSink = (e: ProgressEvent) => void;

/**
 * Counts a phase's items per group and emits an event when the last item
 * of a group is done. `groups` holds one group name per item (repeats are
 * a group's several items); with no sink, `done` does nothing.
 */
export function groupProgress(
  phase: string,
  groups: readonly string[],
  sink: ProgressSink | undefined,
): (group: string) => void {
  if (sink === undefined) return () => undefined;
  const left = new Map<string, number>();
  for (const g of groups) left.set(g, (left.get(g) ?? 0) + 1);
  const total = left.size;
  const start = Date.now();
  let index = 0;
  return (group) => {
    const n = left.get(group);
    if (n === undefined) return;
    if (n > 1) {
      left.set(group, n - 1);
      return;
    }
    left.delete(group);
    sink({ phase, group, index: ++index, total, elapsedMs: Date.now() - start });
  };
}
