/**
 * Per-process facts from Linux /proc: the parent, CPU time, start time and
 * resident memory of one pid, and the children of every pid. Each read
 * returns null when the process is gone (or /proc is not Linux's).
 */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * /proc reports times in USER_HZ, which the kernel fixes at 100 for user
 * space on every architecture (CONFIG_HZ may differ; USER_HZ does not).
 */
const USER_HZ = 100;
const NS_PER_TICK = 1e9 / USER_HZ;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime in ns: its own and its reaped children's (gone from /proc, so counted once). */
  cpuNsec: number;
  /** Field 22: start time after boot in clock ticks; with the pid, it names one process. */
  startTime: number;
}

/** /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // fields after the last ')' start at field 3 (state)
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (field: number): number => Number(f[field - 3]);
  const out = {
    pid,
    ppid: num(4),
    cpuNsec: (num(14) + num(15) + num(16) + num(17)) * NS_PER_TICK,
    startTime: num(22),
  };
  return Number.isFinite(out.ppid) && Number.isFinite(out.startTime) ? out : null;
}

/** The process's start time (field 22), or null when there is no such process. */
export function startTime(pid: number): number | null {
  return readStat(pid)?.startTime ?? null;
}

/** Resident memory in bytes (VmRSS, which /proc gives in KiB); 0 for a zombie or kernel thread. */
export function residentBytes(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Every live pid's stat, keyed by pid: one pass over /proc. */
export function allStats(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const s = readStat(Number(n));
    if (s) out.set(s.pid, s);
  }
  return out;
}
