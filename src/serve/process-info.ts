/**
 * supervisor's getProcessInfo struct (13 keys) from a backend's
 * ProcessStatus. Times are whole seconds, ints clamped to XML-RPC's range.
 */
import type { ProcessState, ProcessStatus } from '../control/types.ts';
import type { XmlRpcStruct } from '../xmlrpc/types.ts';
import { INT_MAX, INT_MIN } from '../xmlrpc/types.ts';

/** supervisor/states.py ProcessStates. */
export const STATE_CODES: Readonly<Record<ProcessState, number>> = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
};

const clamp = (n: number): number => Math.min(INT_MAX, Math.max(INT_MIN, Math.trunc(n)));
const seconds = (ms: number | null): number => (ms === null ? 0 : clamp(ms / 1000));

export function processInfo(p: ProcessStatus, nowMs: number = Date.now()): XmlRpcStruct {
  const spawnerr =
    p.state === 'BACKOFF' || p.state === 'FATAL' ? spawnErrorOf(p.description, p.name) : '';
  return {
    name: p.name,
    group: p.group,
    description: p.description,
    start: seconds(p.startedAt),
    stop: seconds(p.stoppedAt),
    now: seconds(nowMs),
    state: STATE_CODES[p.state],
    statename: p.state,
    spawnerr,
    exitstatus: clamp(p.exitStatus ?? 0),
    // '' where logs live in the journal or the container: no file a client could open
    logfile: p.logfiles?.stdout ?? '',
    stdout_logfile: p.logfiles?.stdout ?? '',
    stderr_logfile: p.logfiles?.stderr ?? '',
    pid: p.pid ?? 0,
  };
}

/** The description of a BACKOFF/FATAL process is its spawn error, unless it is supervisor's placeholder. */
function spawnErrorOf(description: string, name: string): string {
  return description === `unknown error (try "tail ${name}")` ? '' : description;
}
