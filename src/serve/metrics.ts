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
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
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
  return `${out.join('\n')}\n`;
}
