import type { Deployment } from '../../model/deployment.ts';
import type { Process } from '../../model/process.ts';
import type { PlannedService } from './types.ts';

/** Compose service names: `^[a-zA-Z0-9._-]+$` (compose-spec schema). */
function serviceName(s: string): string {
  const name = s.replace(/[^a-zA-Z0-9._-]+/g, '-');
  return name === '' ? 'program' : name;
}

/** Processes that would run the same container differ only in name and process_num. */
function sameContainer(a: Process, b: Process): boolean {
  return (
    a.command === b.command &&
    JSON.stringify(a.argv) === JSON.stringify(b.argv) &&
    JSON.stringify(a.environment) === JSON.stringify(b.environment) &&
    a.directory === b.directory &&
    a.user === b.user &&
    a.umask === b.umask
  );
}

/**
 * One service per program (name = program name), or for numprocs > 1: one
 * scaled service when every process would run the same container (no
 * %(process_num) in what reaches it), else one service per process named
 * PROGRAM_NN. Eventlisteners get none. Names are unique and stable.
 */
export function planServices(d: Deployment): PlannedService[] {
  const planned: PlannedService[] = [];
  const taken = new Set<string>();
  const unique = (want: string): string => {
    let name = want;
    for (let i = 2; taken.has(name); i++) name = `${want}-${i}`;
    taken.add(name);
    return name;
  };
  for (const group of d.groups) {
    if (group.kind === 'eventlistener') continue;
    for (const program of group.programs) {
      const procs = group.processes.filter((p) => p.program === program.name);
      if (procs.length === 0) continue;
      const first = procs[0]!;
      if (procs.length === 1 || procs.every((p) => sameContainer(first, p))) {
        planned.push({ name: unique(serviceName(program.name)), group, program, processes: procs });
        continue;
      }
      const width = Math.max(2, String(Math.max(...procs.map((p) => p.processNum))).length);
      for (const p of procs) {
        const suffix = String(p.processNum).padStart(width, '0');
        planned.push({
          name: unique(serviceName(`${program.name}_${suffix}`)),
          group,
          program,
          processes: [p],
        });
      }
    }
  }
  return planned;
}

/**
 * priority → depends_on: supervisord starts groups in ascending priority
 * (then processes by their own priority) and stops them in reverse; each
 * autostarted service depends on every autostarted service of the next
 * lower priority, which Compose starts first and stops last. Services
 * with autostart=false take no part (supervisord does not start them).
 */
export function priorityDependencies(services: PlannedService[]): Map<string, string[]> {
  const rank = (s: PlannedService): [number, number] => [
    s.group.priority,
    s.processes[0]!.priority,
  ];
  const auto = services.filter((s) => s.processes[0]!.autostart);
  const levels = [...new Set(auto.map((s) => JSON.stringify(rank(s))))]
    .map((k) => JSON.parse(k) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const deps = new Map<string, string[]>();
  levels.forEach((level, i) => {
    if (i === 0) return;
    const prev = levels[i - 1]!;
    const before = auto
      .filter((s) => rank(s)[0] === prev[0] && rank(s)[1] === prev[1])
      .map((s) => s.name);
    for (const s of auto) {
      if (rank(s)[0] === level[0] && rank(s)[1] === level[1]) deps.set(s.name, before);
    }
  });
  return deps;
}
