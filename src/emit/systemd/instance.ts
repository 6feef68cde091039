/**
 * numprocs > 1: one template unit, one instance per process. The instance
 * is Process.instance (the process number as the program formats it).
 * Each per-process value becomes a template by putting the INSTANCE marker
 * where the instance string stands, verified against every process; when a
 * value cannot be expressed that way, the caller writes one unit file per
 * instance instead.
 */
import type { Process } from '../../model/process.ts';
import { INSTANCE } from './escape.ts';

function popcount(n: number): number {
  let c = 0;
  for (let m = n; m > 0; m >>= 1) c += m & 1;
  return c;
}

function occurrences(s: string, sub: string): number[] {
  const out: number[] = [];
  if (sub === '') return out;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) out.push(i);
  return out;
}

/**
 * A template t with INSTANCE markers such that t with INSTANCE replaced by
 * instances[i] equals values[i] for every i; null if there is none among the
 * candidates tried (every subset of the first value's occurrences, up to 10).
 */
export function templateOf(values: string[], instances: string[]): string | null {
  const first = values[0];
  const inst0 = instances[0];
  if (first === undefined || inst0 === undefined) return null;
  const fits = (t: string) => values.every((v, i) => t.split(INSTANCE).join(instances[i]) === v);
  if (values.every((v) => v === first)) return first;
  const occ = occurrences(first, inst0);
  if (occ.length === 0 || occ.length > 12) return null;
  // try the largest sets of non-overlapping occurrences first
  const masks = Array.from({ length: (1 << occ.length) - 1 }, (_, i) => i + 1).sort(
    (a, b) => popcount(b) - popcount(a) || a - b,
  );
  for (const mask of masks) {
    let t = '';
    let last = 0;
    let ok = true;
    occ.forEach((p, bit) => {
      if (!(mask & (1 << bit))) return;
      if (p < last) ok = false;
      t += first.slice(last, p) + INSTANCE;
      last = p + inst0.length;
    });
    if (!ok) continue;
    t += first.slice(last);
    if (fits(t)) return t;
  }
  return null;
}

/** templateOf for lists of equal length (argv). */
function templateOfList(lists: string[][], instances: string[]): string[] | null {
  const n = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== n)) return null;
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = templateOf(
      lists.map((l) => l[k]!),
      instances,
    );
    if (t === null) return null;
    out.push(t);
  }
  return out;
}

/** A Process whose per-process strings are templates, or null when one is not expressible. */
export function templated(procs: Process[], inlineEnv: boolean): Process | null {
  const first = procs[0]!;
  const inst = procs.map((p) => p.instance);
  const one = (pick: (p: Process) => string | null): string | null | undefined => {
    const vals = procs.map(pick);
    if (vals.every((v) => v === null)) return null;
    if (vals.some((v) => v === null)) return undefined;
    return templateOf(vals as string[], inst) ?? undefined;
  };
  const argv = templateOfList(
    procs.map((p) => p.argv),
    inst,
  );
  const name = one((p) => p.name);
  const directory = one((p) => p.directory);
  const out = one((p) => p.stdout_logfile);
  const err = one((p) => p.stderr_logfile);
  if (argv === null || name == null || directory === undefined) return null;
  if (out === undefined || err === undefined) return null;
  let environment = first.environment;
  if (inlineEnv && first.environment !== null) {
    environment = {};
    for (const k of Object.keys(first.environment)) {
      const v = one((p) => p.environment?.[k] ?? null);
      if (v == null) return null;
      environment[k] = v;
    }
  }
  return {
    ...first,
    argv,
    name,
    directory,
    stdout_logfile: out,
    stderr_logfile: err,
    environment,
  };
}
