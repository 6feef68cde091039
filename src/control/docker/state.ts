/**
 * Container state + restart policy → supervisor's state and description
 * (supervisor-semantics.md §3, §7). Pure: unit-tested without a daemon.
 */
import type { ProcessStatus } from '../types.ts';
import {
  SPAWN_ERROR_TEXT,
  formatStopTime as stopTime,
  formatTimedelta as uptime,
} from '../format.ts';

// supervisorctl's wording lives in format.ts; re-exported under the names this backend's tests use.
export { stopTime, uptime };
import { LABEL } from './labels.ts';
import { signalNumber } from '../signals.ts';

/** What the mapping reads from `GET /containers/{id}/json`. */
export interface ContainerFacts {
  Status: string;
  Running: boolean;
  Restarting: boolean;
  Pid: number;
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  RestartCount: number;
  RestartPolicy: { Name?: string; MaximumRetryCount?: number } | undefined;
  Labels: Record<string, string>;
  /** A `stop` event (docker stop / supctl stop) ended the last run; undefined: unknown. */
  StopRequested?: boolean | undefined;
}

/** The part of a ProcessStatus a container's state decides. */
type MappedState = Pick<
  ProcessStatus,
  'state' | 'description' | 'pid' | 'startedAt' | 'stoppedAt' | 'exitStatus' | 'restarts'
>;

/** Docker's zero time: never started / never finished. */
function time(s: string): number | null {
  if (!s || s.startsWith('0001-01-01')) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/**
 * - running → RUNNING, or STARTING while up for less than startsecs;
 * - restarting (Docker waits before the next try) → BACKOFF;
 * - created, never started → STOPPED "Not started";
 * - exited: by request → STOPPED; after its restart budget
 *   (on-failure:N used up) or within startsecs of its start (supervisor
 *   would have gone BACKOFF → FATAL) → FATAL; otherwise → EXITED.
 *
 * "By request": Docker keeps no such flag in the container. The daemon's
 * `stop` event after the last exit says so (StopRequested, read from the
 * events endpoint by the caller; false when its `die` is there without a
 * `stop`). Unknown: a container whose policy
 * would have restarted it (always; on-failure after a non-zero exit, count
 * not used up) and that is not restarting was stopped by a request, and so
 * was one that died by its stop signal (128+n) or the timeout's SIGKILL.
 */
export function mapState(f: ContainerFacts, now: number): MappedState {
  const startedAt = time(f.StartedAt);
  const finishedAt = time(f.FinishedAt);
  const restarts = f.RestartCount;
  const startsecs = Number(f.Labels[LABEL.startsecs] ?? '1') || 0;
  const base = { pid: null, startedAt, stoppedAt: null, exitStatus: null, restarts };

  if (f.Restarting || f.Status === 'restarting') {
    return {
      ...base,
      state: 'BACKOFF',
      description: SPAWN_ERROR_TEXT,
      stoppedAt: finishedAt,
      exitStatus: f.ExitCode,
    };
  }
  if (f.Running || f.Status === 'running' || f.Status === 'paused') {
    const up = startedAt === null ? 0 : (now - startedAt) / 1000;
    if (f.Status === 'paused') {
      return { ...base, state: 'UNKNOWN', description: 'paused', pid: f.Pid || null };
    }
    return {
      ...base,
      state: up < startsecs ? 'STARTING' : 'RUNNING',
      description: up < startsecs ? '' : `pid ${f.Pid}, uptime ${uptime(up)}`,
      pid: f.Pid || null,
    };
  }
  if (f.Status === 'removing') return { ...base, state: 'STOPPING', description: '' };
  if (f.Status === 'created' || startedAt === null) {
    return { ...base, state: 'STOPPED', description: 'Not started' };
  }

  // exited / dead
  const code = f.ExitCode;
  const policy = f.RestartPolicy?.Name ?? 'no';
  const max = f.RestartPolicy?.MaximumRetryCount ?? 0;
  const stopSig = signalNumber(f.Labels[LABEL.stopsignal] ?? 'TERM') ?? 15;
  const exitStatus = code;
  const stopped = {
    ...base,
    stoppedAt: finishedAt,
    exitStatus,
    description: finishedAt === null ? 'Not started' : stopTime(finishedAt),
  };
  const budgetUsed = policy === 'on-failure' && max > 0 && restarts >= max && code !== 0;
  if (budgetUsed) return { ...stopped, state: 'FATAL', description: SPAWN_ERROR_TEXT };
  const wouldRestart =
    policy === 'always' || policy === 'unless-stopped' || (policy === 'on-failure' && code !== 0);
  // a death by the stop signal reads as a stop only when the events cannot tell
  const bySignal = f.StopRequested === undefined && (code === 128 + stopSig || code === 137);
  if (f.StopRequested === true || wouldRestart || bySignal) {
    return { ...stopped, state: 'STOPPED' };
  }
  const ranFor =
    finishedAt !== null && startedAt !== null ? (finishedAt - startedAt) / 1000 : Infinity;
  if (startsecs > 0 && ranFor < startsecs) {
    return { ...stopped, state: 'FATAL', description: SPAWN_ERROR_TEXT };
  }
  if (f.Status === 'dead') return { ...stopped, state: 'UNKNOWN' };
  return { ...stopped, state: 'EXITED' };
}
