/**
 * CPU and memory of a unit or container summed over its processes from
 * /proc, for when the cgroup has no accounting (cgroup v1 without the
 * cpuacct/memory controllers delegated, systemd's accounting off, a daemon
 * without stats). The processes: the cgroup's members when its
 * cgroup.procs can be found, else the main pid and its descendants.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allStats, readStat, residentBytes, type ProcStat } from './proc.ts';

interface Usage {
  cpuNsec: number;
  memoryBytes: number;
}

/**
 * Hierarchies where systemd's ControlGroup path names a directory:
 * cgroup v2 (unified at the root or beside v1) and v1's named `systemd`
 * hierarchy, which holds every unit's processes even without controllers.
 */
const HIERARCHIES = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup'];

/** The pids in a systemd ControlGroup (e.g. `/user.slice/.../app.service`), or null when no hierarchy has it. */
export function cgroupPids(controlGroup: string): number[] | null {
  if (!controlGroup.startsWith('/')) return null;
  for (const root of HIERARCHIES) {
    let text: string;
    try {
      text = readFileSync(join(root, controlGroup, 'cgroup.procs'), 'utf8');
    } catch {
      continue;
    }
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  }
  return null;
}

/** `root` and every process below it. */
export function descendants(root: number, stats: Map<number, ProcStat> = allStats()): number[] {
  if (!stats.has(root)) return [];
  const children = new Map<number, number[]>();
  for (const s of stats.values()) {
    const list = children.get(s.ppid);
    if (list) list.push(s.pid);
    else children.set(s.ppid, [s.pid]);
  }
  const out: number[] = [];
  const todo = [root];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Summed CPU time and resident memory of `pids`; processes gone meanwhile count 0. Null when none was readable. */
export function sumUsage(pids: readonly number[]): Usage | null {
  let seen = false;
  const total: Usage = { cpuNsec: 0, memoryBytes: 0 };
  for (const pid of pids) {
    const s = readStat(pid);
    const rss = residentBytes(pid);
    if (!s || rss === null) continue;
    seen = true;
    total.cpuNsec += s.cpuNsec;
    total.memoryBytes += rss;
  }
  return seen ? total : null;
}

/** A unit's (or container's) usage: its cgroup's processes, else `mainPid` and its descendants. */
export function processTreeUsage(mainPid: number, controlGroup = ''): Usage | null {
  const members = cgroupPids(controlGroup);
  if (members && members.length > 0) return sumUsage(members);
  return mainPid > 0 ? sumUsage(descendants(mainPid)) : null;
}
