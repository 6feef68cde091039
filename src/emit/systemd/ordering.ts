/**
 * priority → After= (supervisor-semantics.md §3, §4).
 *
 * supervisord starts groups in ascending group priority and, inside a group,
 * processes in ascending process priority; at shutdown it stops groups in
 * descending priority, waiting for each. A unit gets `After=` on every unit
 * that sorts strictly lower by (group priority, process priority): systemd
 * then starts lower first and stops it last. Every lower unit is listed, not
 * only the next one, because After= only orders units that are in the same
 * transaction (an autostart=false unit in the middle would break a chain).
 */
interface Ordered {
  /** Concrete unit names (instances for a template). */
  units: string[];
  groupPriority: number;
  priority: number;
}

function cmp(a: Ordered, b: Ordered): number {
  return a.groupPriority - b.groupPriority || a.priority - b.priority;
}

/** For each entry, the units it must start after. */
export function afterLists(entries: Ordered[]): string[][] {
  return entries.map((e) =>
    entries
      .filter((o) => cmp(o, e) < 0)
      .sort(cmp)
      .flatMap((o) => o.units),
  );
}
