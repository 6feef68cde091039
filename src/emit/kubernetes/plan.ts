/**
 * Which workload each program becomes. A program that supervisor restarts
 * (autorestart=true) is a Deployment, or a StatefulSet when %(process_num)
 * changes its command or environment: the pod's ordinal then stands for the
 * process number, through $(SUPCTL_PROCESS_NUM) in args and env values. A
 * program that supervisor does not always restart is an Indexed Job (run to
 * completion, restarted only on unexpected exits). When the instances
 * differ in a way one template cannot express (zero-padded numbers, another
 * directory or user), each process gets its own workload.
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Group, ProgramInfo } from '../../model/group.ts';
import type { Process } from '../../model/process.ts';

type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job';

/** The variable that carries the process number in an indexed workload. */
export const PROCESS_NUM_VAR = 'SUPCTL_PROCESS_NUM';

export interface Workload {
  /** What is named: the program, or PROGRAM-INSTANCE when its processes are split. */
  key: string;
  kind: WorkloadKind;
  group: Group;
  program: ProgramInfo;
  /** Every process it stands for; the first one is representative. */
  processes: Process[];
  /** True when pods differ by process number (StatefulSet ordinal / Job index). */
  indexed: boolean;
  /** argv, `$` escaped for Kubernetes' $(VAR) expansion, with $(SUPCTL_PROCESS_NUM) where instances differ. */
  argv: string[];
  /** Environment values equal in every instance (literal, not escaped). */
  env: Record<string, string>;
  /** Environment values that differ by instance (escaped, with $(SUPCTL_PROCESS_NUM)). */
  indexedEnv: Record<string, string>;
}

/** Kubernetes expands $(VAR) in command, args and env values; `$$` is a literal `$`. */
function escapeDollar(s: string): string {
  return s.replaceAll('$', '$$$$');
}

/**
 * The template that gives values[i] for every instance, or null. A value
 * equal everywhere is itself; others must be values[0] with instance 0
 * replaced by instance i, every time it occurs.
 */
function template(values: readonly string[], instances: readonly string[]): string | null {
  const first = values[0]!;
  if (values.every((v) => v === first)) return escapeDollar(first);
  const parts = first.split(instances[0]!);
  if (parts.length < 2) return null;
  if (!values.every((v, i) => v === parts.join(instances[i]))) return null;
  return parts.map(escapeDollar).join(`$(${PROCESS_NUM_VAR})`);
}

const same = (ps: Process[], f: (p: Process) => unknown): boolean =>
  ps.every((p) => JSON.stringify(f(p)) === JSON.stringify(f(ps[0]!)));

function kindOf(p: Process, indexed: boolean): WorkloadKind {
  if (p.autorestart !== 'true') return 'Job';
  return indexed ? 'StatefulSet' : 'Deployment';
}

/** One workload for these processes, or null when one template cannot run them all. */
function tryOne(g: Group, pi: ProgramInfo, procs: Process[], key: string): Workload | null {
  const p = procs[0]!;
  const fixed = same(procs, (x) => [x.argv, x.environment]);
  const base: Omit<Workload, 'indexed' | 'argv' | 'env' | 'indexedEnv' | 'kind'> = {
    key,
    group: g,
    program: pi,
    processes: procs,
  };
  if (fixed) {
    return {
      ...base,
      kind: kindOf(p, false),
      indexed: false,
      argv: p.argv.map(escapeDollar),
      env: { ...(p.environment ?? {}) },
      indexedEnv: {},
    };
  }
  if (!same(procs, (x) => [x.directory, x.user, x.umask, x.argv.length])) return null;
  if (!same(procs, (x) => Object.keys(x.environment ?? {}).sort())) return null;
  // pod ordinals count from numprocs_start (StatefulSet spec.ordinals.start); Job indexes from 0
  const start = p.autorestart === 'true' ? pi.numprocs_start : 0;
  const instances = procs.map((x) => x.instance);
  if (!procs.every((x, i) => x.instance === String(start + i))) return null;
  const argv: string[] = [];
  for (let i = 0; i < p.argv.length; i++) {
    const t = template(
      procs.map((x) => x.argv[i]!),
      instances,
    );
    if (t === null) return null;
    argv.push(t);
  }
  const env: Record<string, string> = {};
  const indexedEnv: Record<string, string> = {};
  for (const k of Object.keys(p.environment ?? {})) {
    const values = procs.map((x) => x.environment![k]!);
    if (values.every((v) => v === values[0])) {
      env[k] = values[0]!;
      continue;
    }
    const t = template(values, instances);
    if (t === null) return null;
    indexedEnv[k] = t;
  }
  return { ...base, kind: kindOf(p, true), indexed: true, argv, env, indexedEnv };
}

/** Every program's workloads, in config order; eventlisteners get none. */
export function planWorkloads(d: Deployment): Workload[] {
  const out: Workload[] = [];
  for (const g of d.groups) {
    if (g.kind === 'eventlistener') continue;
    for (const pi of g.programs) {
      const procs = g.processes.filter((p) => p.program === pi.name);
      if (procs.length === 0) continue;
      const one = tryOne(g, pi, procs, pi.name);
      if (one !== null) {
        out.push(one);
        continue;
      }
      for (const p of procs) out.push(tryOne(g, pi, [p], `${pi.name}-${p.instance}`)!);
    }
  }
  return out;
}
