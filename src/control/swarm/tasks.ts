/**
 * Swarm services and their tasks → supervisor's processes. Pure: unit-tested
 * without a swarm.
 *
 * A process is a slot of a replicated service (slot N = the Nth process of
 * the service's io.supctl.processes label; a stack docker deployed from
 * convert output has no such label: SERVICE_N, as docker-compose names
 * scaled containers). Its state is its newest task's: new..starting →
 * STARTING, running → STARTING for startsecs then RUNNING (STOPPING when
 * Swarm is shutting it down), complete/failed → EXITED (a newer task is
 * then STARTING when the restart policy restarts it), rejected → FATAL,
 * shutdown or a slot above the replicas → STOPPED (with no task left, at
 * the stop time `stop` recorded on the service). Restarts = older tasks of
 * the slot that ended by themselves (complete/failed): Swarm keeps only the
 * last few (TaskHistoryRetentionLimit, 5 by default), so this count is capped.
 */
import { namespec } from '../../model/names.ts';
import { SPAWN_ERROR_TEXT, describeProcess } from '../format.ts';
import type { ProcessState, ProcessStatus } from '../types.ts';
import { LABEL } from '../docker/labels.ts';
import { SERVICE_LABEL, STACK } from './labels.ts';

/** What is read of `GET /services`. */
export interface ServiceFacts {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number } };
    TaskTemplate?: { ContainerSpec?: { Labels?: Record<string, string> } };
  };
}

/** What is read of `GET /tasks`. */
export interface TaskFacts {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  CreatedAt: string;
  Version?: { Index?: number };
  Status: {
    Timestamp: string;
    State: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
  };
}

/** A process: its status, plus what the verbs need to act on it. */
export interface SwarmProcess {
  status: ProcessStatus;
  serviceId: string;
  slot: number;
  /** The newest task of the slot (undefined before any). */
  taskId: string | undefined;
  /** The newest task's container and node (undefined before any task). */
  containerId: string | undefined;
  nodeId: string | undefined;
}

const STARTING = new Set([
  'new',
  'allocated',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
]);

function newestFirst(a: TaskFacts, b: TaskFacts): number {
  return (
    (b.Version?.Index ?? 0) - (a.Version?.Index ?? 0) ||
    Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt)
  );
}

/** The supervisor process names of a service's slots, slot 1 first. */
export function slotNames(s: ServiceFacts, tasks: TaskFacts[]): string[] {
  const recorded = s.Spec.Labels?.[SERVICE_LABEL.processes];
  if (recorded) return recorded.split(',');
  const labels = s.Spec.TaskTemplate?.ContainerSpec?.Labels ?? {};
  const service = serviceShortName(s);
  const replicas = s.Spec.Mode?.Replicated?.Replicas ?? 0;
  const slots = Math.max(replicas, ...tasks.map((t) => t.Slot ?? 0), 1);
  const process = labels[LABEL.process];
  if (slots === 1 && process) return [process];
  return Array.from({ length: slots }, (_, i) => `${service}_${i + 1}`);
}

/** The service's name in its stack (without NAMESPACE_). */
function serviceShortName(s: ServiceFacts): string {
  const ns = s.Spec.Labels?.[STACK.namespace];
  return ns && s.Spec.Name.startsWith(`${ns}_`) ? s.Spec.Name.slice(ns.length + 1) : s.Spec.Name;
}

function taskState(
  t: TaskFacts,
  startsecs: number,
  now: number,
): { state: ProcessState; startedAt: number | null; stoppedAt: number | null } {
  const at = Date.parse(t.Status.Timestamp);
  const s = t.Status.State;
  if (STARTING.has(s)) return { state: 'STARTING', startedAt: null, stoppedAt: null };
  if (s === 'running') {
    if (t.DesiredState !== 'running') return { state: 'STOPPING', startedAt: at, stoppedAt: null };
    const up = (now - at) / 1000;
    return { state: up < startsecs ? 'STARTING' : 'RUNNING', startedAt: at, stoppedAt: null };
  }
  if (s === 'complete' || s === 'failed') return { state: 'EXITED', startedAt: at, stoppedAt: at };
  if (s === 'rejected') return { state: 'FATAL', startedAt: null, stoppedAt: at };
  if (s === 'shutdown') return { state: 'STOPPED', startedAt: at, stoppedAt: at };
  return { state: 'UNKNOWN', startedAt: null, stoppedAt: at };
}

function latest(at: number | null, recorded: number): number | null {
  return Number.isNaN(recorded) || (at !== null && at >= recorded) ? at : recorded;
}

/** Every slot of one service as a process. */
export function serviceProcesses(s: ServiceFacts, tasks: TaskFacts[], now: number): SwarmProcess[] {
  const cLabels = s.Spec.TaskTemplate?.ContainerSpec?.Labels ?? {};
  const project = s.Spec.Labels?.[STACK.namespace] ?? cLabels[LABEL.supctlProject] ?? '';
  const group = cLabels[LABEL.group] ?? serviceShortName(s);
  const startsecs = Number(cLabels[LABEL.startsecs] ?? '1') || 0;
  const replicas = s.Spec.Mode?.Replicated?.Replicas ?? 0;
  const own = tasks.filter((t) => t.ServiceID === s.ID);
  const stoppedAt = Date.parse(s.Spec.Labels?.[SERVICE_LABEL.stoppedAt] ?? '');
  return slotNames(s, own).map((name, i) => {
    const slot = i + 1;
    const history = own.filter((t) => (t.Slot ?? 1) === slot).sort(newestFirst);
    const newest = history[0];
    const restarts = history
      .slice(1)
      .filter((t) => t.Status.State === 'complete' || t.Status.State === 'failed').length;
    let m: ReturnType<typeof taskState> = { state: 'STOPPED', startedAt: null, stoppedAt: null };
    const at = newest ? Date.parse(newest.Status.Timestamp) : null;
    if (newest && slot <= replicas) m = taskState(newest, startsecs, now);
    // a slot above the replicas is being scaled away: STOPPING until its task is down
    else if (newest?.Status.State === 'running')
      m = { state: 'STOPPING', startedAt: at, stoppedAt: null };
    // Swarm deleted the newer tasks of a stopped service: the recorded stop is later
    else if (newest) m = { state: 'STOPPED', startedAt: at, stoppedAt: latest(at, stoppedAt) };
    // no task left: Swarm deleted the scaled-down ones; the stop time is supctl's record
    else if (!Number.isNaN(stoppedAt)) m = { state: 'STOPPED', startedAt: null, stoppedAt };
    const cs = newest?.Status.ContainerStatus;
    const live = m.state === 'RUNNING' || m.state === 'STARTING' || m.state === 'STOPPING';
    const pid = live && cs?.PID ? cs.PID : null;
    const description =
      m.state === 'FATAL'
        ? (newest?.Status.Err ?? SPAWN_ERROR_TEXT)
        : m.state === 'STARTING'
          ? ''
          : // a stop time proves a start, whose time Swarm no longer keeps: not "Not started"
            describeProcess({ ...m, startedAt: m.startedAt ?? m.stoppedAt, name, pid }, now);
    return {
      status: {
        group,
        name,
        namespec: namespec(group, name),
        project,
        state: m.state,
        description,
        pid,
        startedAt: m.startedAt,
        stoppedAt: m.stoppedAt,
        exitStatus: m.state === 'EXITED' ? (cs?.ExitCode ?? null) : null,
        restarts,
        cpuNsec: null,
        memoryBytes: null,
        ref: `${s.ID}/${slot}`,
      },
      serviceId: s.ID,
      slot,
      taskId: newest?.ID,
      containerId: cs?.ContainerID || undefined,
      nodeId: newest?.NodeID,
    };
  });
}
