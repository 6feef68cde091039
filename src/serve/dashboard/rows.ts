/**
 * One dashboard row per process, computed once per sample from what serve
 * already has: the backend's list (with CPU/memory), supervisor's process
 * info (pid, start, now), the readiness checks /readyz answers, and
 * supervisorctl's time/CPU/memory formats. Sorted like `supctl status`.
 */
import type { ProcessStatus } from '../../control/types.ts';
import { formatBytes, formatCpu, formatTimedelta } from '../../control/format.ts';
import { readinessChecks } from '../health.ts';
import { processInfo } from '../process-info.ts';

export interface Row {
  namespec: string;
  group: string;
  name: string;
  state: string;
  description: string;
  pid: string;
  uptime: string;
  restarts: string;
  /** CPU time (H:MM:SS.ss) and, once two samples exist, the share of one core. */
  cpu: string;
  memory: string;
  /** `ready` / `not ready` for an autostart program (what /readyz checks), else blank. */
  health: string;
  backend: string;
}

/** The numbers a chart keeps per sample. */
export interface Point {
  t: number;
  cpuPct: number | null;
  mem: number | null;
}

export function toRow(
  p: ProcessStatus,
  health: string,
  backend: string,
  cpuPct: number | null,
  now: number,
): Row {
  const info = processInfo(p, now);
  const running = p.state === 'RUNNING';
  const cpuTime = formatCpu(p.cpuNsec);
  return {
    namespec: p.namespec,
    group: p.group,
    name: p.name,
    state: p.state,
    description: p.description,
    pid: p.pid === null || p.pid === 0 ? '' : String(p.pid),
    uptime:
      running && p.startedAt !== null
        ? formatTimedelta((info.now as number) - (info.start as number))
        : '',
    restarts: p.restarts === null ? '-' : String(p.restarts),
    cpu: cpuPct === null ? cpuTime : `${cpuPct.toFixed(1)}% (${cpuTime})`,
    memory: formatBytes(p.memoryBytes),
    health,
    backend,
  };
}

/** Health per namespec: autostart programs only, as /readyz. */
export function healthOf(ps: ProcessStatus[], autostart: ReadonlySet<string>): Map<string, string> {
  return new Map(readinessChecks(ps, autostart).map((c) => [c.name, c.ok ? 'ready' : 'not ready']));
}
