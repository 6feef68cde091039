/**
 * supervisorctl's name syntax over a backend's process list
 * (supervisor/options.py split_namespec, supervisorctl.py do_status/do_start).
 *
 * - `grp:proc` names one process; `grp:*` and `grp:` name the whole group.
 * - A bare `x` is group `x`, process `x`: for a numprocs program `x` is
 *   "no such process" and `x:*` names its processes.
 * - `all` anywhere among the names means every process.
 */
import type { ProcessStatus } from './types.ts';

interface Namespec {
  /** The name as the user typed it. */
  spec: string;
  group: string;
  /** null: the whole group (`grp:*`, `grp:`). */
  process: string | null;
}

export function splitNamespec(spec: string): Namespec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { spec, group: spec, process: spec };
  const group = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  return { spec, group, process: rest === '' || rest === '*' ? null : rest };
}

/** Lexical order of supervisor's getAllProcessInfo: by group, then by process name. */
export function sortProcesses<T extends Pick<ProcessStatus, 'group' | 'name'>>(list: T[]): T[] {
  return [...list].sort((a, b) =>
    a.group === b.group ? cmp(a.name, b.name) : cmp(a.group, b.group),
  );
}

function cmp(a: string, b: string): number {
  // Python's str ordering: by code point, not locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One name the user gave, and what it named. */
export interface NameMatch {
  spec: Namespec;
  /** Empty when the name names nothing (then `error` says why). */
  matches: ProcessStatus[];
  /** supervisorctl's line for a name that names nothing. */
  error?: { kind: 'no such group' | 'no such process'; line: string };
}

interface Resolution {
  /** true when `all` was among the names (or no names were given and `emptyMeansAll`). */
  all: boolean;
  /** Per name, in the order given (one entry, spec `all`, when `all`). */
  names: NameMatch[];
  /** Every process named, each once, in the order first named. */
  targets: ProcessStatus[];
  /** Names that named nothing. */
  bad: NameMatch[];
}

/**
 * Resolves names the way supervisorctl does. With no names, `emptyMeansAll`
 * (status, pid) selects everything; otherwise nothing is selected.
 */
export function resolveNames(
  processes: ProcessStatus[],
  names: string[],
  opts: { emptyMeansAll?: boolean } = {},
): Resolution {
  const sorted = sortProcesses(processes);
  if (names.includes('all') || (names.length === 0 && opts.emptyMeansAll === true)) {
    const spec: Namespec = { spec: 'all', group: 'all', process: null };
    return { all: true, names: [{ spec, matches: sorted }], targets: sorted, bad: [] };
  }
  const out: NameMatch[] = [];
  const seen = new Set<string>();
  const targets: ProcessStatus[] = [];
  for (const name of names) {
    const spec = splitNamespec(name);
    const matches = sorted.filter(
      (p) => p.group === spec.group && (spec.process === null || p.name === spec.process),
    );
    const m: NameMatch = { spec, matches };
    if (matches.length === 0) {
      m.error =
        spec.process === null
          ? { kind: 'no such group', line: `${spec.group}: ERROR (no such group)` }
          : { kind: 'no such process', line: `${name}: ERROR (no such process)` };
    }
    out.push(m);
    for (const p of matches) {
      const key = `${p.project}\0${p.group}\0${p.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(p);
    }
  }
  return { all: false, names: out, targets, bad: out.filter((m) => m.error !== undefined) };
}
