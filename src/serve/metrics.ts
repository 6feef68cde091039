/**
 * Prometheus text exposition (format 0.0.4): the supervisord collector's
 * names, so existing dashboards keep working, and supctl's own per process.
 */
import type { ProcessStatus } from '../control/types.ts';
import { STATE_CODES } from './process-info.ts';

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: (p: ProcessStatus, nowMs: number) => number | null;
}

/** "up" as the collector counts it. */
const UP_STATES = new Set(['STARTING', 'RUNNING', 'STOPPING']);

const FAMILIES: readonly Family[] = [
  {
    name: 'node_supervisord_up',
    help: 'Process Up',
    type: 'gauge',
    value: (p) => (UP_STATES.has(p.state) ? 1 : 0),
  },
  {
    name: 'node_supervisord_state',
    help: 'Process State',
    type: 'gauge',
    value: (p) => STATE_CODES[p.state],
  },
  {
    name: 'node_supervisord_exit_status',
    help: 'Process Exit Status',
    type: 'gauge',
    value: (p) => p.exitStatus ?? 0,
  },
  {
    name: 'node_supervisord_start_time_seconds',
    help: 'Process start time',
    type: 'gauge',
    value: (p) =>
      UP_STATES.has(p.state) && p.startedAt !== null ? Math.floor(p.startedAt / 1000) : null,
  },
  {
    name: 'supctl_process_cpu_seconds_total',
    help: 'CPU time used by the process, in seconds',
    type: 'counter',
    value: (p) => (p.cpuNsec === null ? null : p.cpuNsec / 1e9),
  },
  {
    name: 'supctl_process_resident_memory_bytes',
    help: 'Memory used by the process, in bytes',
    type: 'gauge',
    value: (p) => p.memoryBytes,
  },
  {
    name: 'supctl_process_restarts_total',
    help: 'Automatic restarts counted by the backend',
    type: 'counter',
    value: (p) => p.restarts,
  },
  {
    name: 'supctl_process_uptime_seconds',
    help: 'Seconds since the process started, 0 when it is not running',
    type: 'gauge',
    value: (p, now) =>
      p.state === 'RUNNING' && p.startedAt !== null ? Math.max(0, (now - p.startedAt) / 1000) : 0,
  },
];

/** A label value escaped as the text format requires (backslash, quote, newline). */
export function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Per project (the config a stack was applied from): process counts by state, CPU and memory summed. */
function projectLines(ps: ProcessStatus[]): string[] {
  const byProject = new Map<string, ProcessStatus[]>();
  for (const p of ps) byProject.set(p.project, [...(byProject.get(p.project) ?? []), p]);
  const sum = (xs: ProcessStatus[], f: (p: ProcessStatus) => number | null): number =>
    xs.reduce((n, p) => n + (f(p) ?? 0), 0);
  const out = [
    '# HELP supctl_project_processes Processes of the project in each state',
    '# TYPE supctl_project_processes gauge',
  ];
  for (const [project, xs] of byProject) {
    for (const state of Object.keys(STATE_CODES)) {
      const n = xs.filter((p) => p.state === state).length;
      out.push(`supctl_project_processes{project="${label(project)}",state="${state}"} ${n}`);
    }
  }
  out.push(
    "# HELP supctl_project_cpu_seconds_total CPU time used by the project's processes, in seconds",
    '# TYPE supctl_project_cpu_seconds_total counter',
  );
  for (const [project, xs] of byProject) {
    const v = sum(xs, (p) => (p.cpuNsec === null ? null : p.cpuNsec / 1e9));
    out.push(`supctl_project_cpu_seconds_total{project="${label(project)}"} ${v}`);
  }
  out.push(
    "# HELP supctl_project_resident_memory_bytes Memory used by the project's processes, in bytes",
    '# TYPE supctl_project_resident_memory_bytes gauge',
  );
  for (const [project, xs] of byProject) {
    const v = sum(xs, (p) => p.memoryBytes);
    out.push(`supctl_project_resident_memory_bytes{project="${label(project)}"} ${v}`);
  }
  return out;
}

export function renderMetrics(ps: ProcessStatus[], nowMs: number = Date.now()): string {
  const out: string[] = [];
  for (const f of FAMILIES) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const p of ps) {
      const v = f.value(p, nowMs);
      if (v === null) continue;
      out.push(`${f.name}{group="${label(p.group)}",name="${label(p.name)}"} ${v}`);
    }
  }
  out.push(...projectLines(ps));
  return `${out.join('\n')}\n`;
}
