/**
 * CPU time and resident memory of one pid from /proc, for `status --wide`.
 * TODO: shared usage module — swap for it when it lands.
 */
import { readFile } from 'node:fs/promises';

/** USER_HZ: the kernel reports utime/stime in 1/100 s on every Linux ABI. */
const TICK_NSEC = 1e7;

export interface Usage {
  cpuNsec: number | null;
  memoryBytes: number | null;
}

/** utime+stime of /proc/PID/stat and VmRSS of /proc/PID/status; nulls when the pid is gone. */
export async function readUsage(pid: number): Promise<Usage> {
  let cpuNsec: number | null = null;
  let memoryBytes: number | null = null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces and parentheses: split after the last ')'
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(f[11]);
    const stime = Number(f[12]);
    if (Number.isFinite(utime) && Number.isFinite(stime)) cpuNsec = (utime + stime) * TICK_NSEC;
  } catch {
    /* gone */
  }
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb !== undefined) memoryBytes = Number(kb) * 1024;
  } catch {
    /* gone */
  }
  return { cpuNsec, memoryBytes };
}
