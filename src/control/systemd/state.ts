/**
 * systemd unit state → supervisor process state and supervisorctl's
 * description column (supervisor-semantics.md §7 and the table in §8).
 */
import type { ProcessState, ProcessStatus } from '../types.ts';
import {
  SPAWN_ERROR_TEXT,
  formatStopTime as stopTime,
  formatTimedelta as uptime,
} from '../format.ts';

// supervisorctl's wording lives in format.ts; re-exported under the names this backend's tests use.
export { stopTime, uptime };

/** What the mapping reads from one service unit. Timestamps in ms since the epoch (0 = never). */
export interface UnitSnapshot {
  load: string;
  active: string;
  sub: string;
  result: string;
  mainPid: number;
  execMainStart: number;
  execMainExit: number;
  /** CLD code: 1 exited, 2 killed, 3 dumped; 0 unknown. */
  execMainCode: number;
  execMainStatus: number;
  nRestarts: number;
  /** The Service's Restart= policy; only needed (and only read) for failed units. */
  restartPolicy?: string | undefined;
  /**
   * Whether supctl asked for the last stop (after the last start): STOPPED
   * rather than EXITED. undefined = not known: a signal death counts as a stop.
   */
  stopRequested?: boolean | undefined;
}

/** The part of a ProcessStatus a unit's state decides. */
type Mapped = Pick<
  ProcessStatus,
  'state' | 'description' | 'pid' | 'startedAt' | 'stoppedAt' | 'exitStatus'
>;

/** Whether Restart=`policy` restarts after `result` (systemd's service_shall_restart, less exit-status lists). */
function wouldRestart(policy: string | undefined, result: string): boolean {
  switch (policy) {
    case 'always':
      return true;
    case 'on-failure':
      return result !== 'success';
    case 'on-abnormal':
      return ['signal', 'core-dump', 'timeout', 'watchdog'].includes(result);
    case 'on-abort':
      return ['signal', 'core-dump'].includes(result);
    case 'on-watchdog':
      return result === 'watchdog';
    default:
      return false;
  }
}

function baseState(u: UnitSnapshot, startsecs: number, now: number): ProcessState {
  if (u.load !== 'loaded') return 'UNKNOWN';
  if (u.sub === 'auto-restart') return 'BACKOFF';
  switch (u.active) {
    case 'active':
      if (u.sub === 'exited') return 'EXITED';
      if (u.execMainStart > 0 && now - u.execMainStart < startsecs * 1000) return 'STARTING';
      return 'RUNNING';
    case 'reloading':
      return 'RUNNING';
    case 'activating':
      return 'STARTING';
    case 'deactivating':
      return 'STOPPING';
    case 'failed':
      if (u.stopRequested === true) return 'STOPPED';
      // systemd gave up: the start limit was hit. A hit during an automatic
      // restart keeps the previous Result (exit-code, …), so a failed unit
      // whose Restart= would have restarted it has given up too.
      return u.result === 'start-limit-hit' || wouldRestart(u.restartPolicy, u.result)
        ? 'FATAL'
        : 'EXITED';
    case 'inactive':
      if (u.execMainStart === 0) return 'STOPPED';
      if (u.stopRequested !== undefined) return u.stopRequested ? 'STOPPED' : 'EXITED';
      // not known: exited by itself (code 1) → EXITED, killed by a signal (a stop) → STOPPED
      return u.execMainCode === 1 ? 'EXITED' : 'STOPPED';
    default:
      return 'UNKNOWN';
  }
}

export function mapUnit(u: UnitSnapshot, startsecs: number, now = Date.now()): Mapped {
  const state = baseState(u, startsecs, now);
  const running = state === 'RUNNING' || state === 'STARTING' || state === 'STOPPING';
  const pid = running && u.mainPid > 0 ? u.mainPid : null;
  const startedAt = u.execMainStart > 0 ? u.execMainStart : null;
  const stoppedAt = !running && u.execMainExit > 0 ? u.execMainExit : null;
  let exitStatus: number | null = null;
  if (u.execMainExit > 0) {
    if (u.execMainCode === 1) exitStatus = u.execMainStatus;
    else if (u.execMainCode === 2 || u.execMainCode === 3) exitStatus = -1;
  }
  let description = '';
  switch (state) {
    case 'RUNNING':
      description =
        pid !== null && startedAt !== null
          ? `pid ${pid}, uptime ${uptime((now - startedAt) / 1000)}`
          : '';
      break;
    case 'STOPPED':
    case 'EXITED':
      description = startedAt === null ? 'Not started' : stopTime(stoppedAt ?? now);
      break;
    case 'BACKOFF':
    case 'FATAL':
      description = SPAWN_ERROR_TEXT;
      break;
    case 'UNKNOWN':
      description = u.load !== 'loaded' ? `unit ${u.load}` : '';
      break;
    default:
      description = '';
  }
  return { state, description, pid, startedAt, stoppedAt, exitStatus };
}

/** BigInt µs (D-Bus `t`) → ms; 0 stays 0. */
export function usToMs(v: unknown): number {
  if (typeof v === 'bigint') return Number(v / 1000n);
  if (typeof v === 'number') return Math.floor(v / 1000);
  return 0;
}

/** `t` counters with UINT64_MAX meaning "unknown" → number | null. */
export function counter(v: unknown): number | null {
  if (typeof v === 'bigint') return v === 0xffffffffffffffffn ? null : Number(v);
  if (typeof v === 'number') return v;
  return null;
}
