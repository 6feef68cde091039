/**
 * apply/update wait for what they changed to settle, as supervisorctl's
 * update returns once its processes are started: an updated service's
 * rolling update done (UpdateStatus completed) and every changed service's
 * tasks running at its replicas. An update Swarm rolled back (a new task
 * failed within startsecs) or paused is an error naming the service.
 */
import type { Service } from 'dockerode';
import { BackendError } from '../types.ts';
import type { DockerClient } from '../docker/client.ts';

export interface Watch {
  id: string;
  name: string;
  replicas: number;
  /** An update (Swarm's rolling update), not a create or a scale. */
  updated: boolean;
  stopGraceS: number;
  startsecs: number;
  /** The service's UpdatedAt before this run changed it: an UpdateStatus started earlier is not this run's. */
  since?: string | undefined;
}

interface ServiceState {
  Spec?: { TaskTemplate?: unknown };
  PreviousSpec?: { TaskTemplate?: unknown };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

const POLL_MS = 250;
/** Per task, beyond its stop grace and startsecs: scheduling and container start on a loaded node. */
const TASK_SLACK_S = 30;

/**
 * Each task of a rolling update is stopped (up to its grace), started and
 * watched for startsecs, one at a time; a rollback does it again.
 */
export function convergeTimeoutMs(watches: Watch[], baseMs: number): number {
  let s = 0;
  for (const w of watches) {
    const perTask = w.stopGraceS + Math.max(1, w.startsecs) + TASK_SLACK_S;
    s += Math.max(1, w.replicas) * perTask * (w.updated ? 2 : 1);
  }
  return baseMs + s * 1000;
}

const FAILED_UPDATE: Record<string, string> = {
  rollback_started: 'the update failed; Swarm is rolling it back',
  rollback_completed: 'the update failed and Swarm rolled it back',
  rollback_paused: 'the update failed and its rollback is paused',
  paused: 'the update is paused',
};

/**
 * Where an update stands: 'done', 'pending', or a failure's text. A label-only
 * change starts no rolling update (the task template is unchanged). Swarm
 * bumps UpdatedAt at each of its own status writes, so freshness is
 * judged against the time before the update (`since`, the daemon's clock).
 */
export function updateOutcome(
  s: ServiceState,
  since: string | undefined,
): 'done' | 'pending' | { failed: string } {
  const u = s.UpdateStatus;
  const rolling =
    JSON.stringify(s.Spec?.TaskTemplate) !== JSON.stringify(s.PreviousSpec?.TaskTemplate);
  if (!rolling) return 'done';
  const fresh =
    u?.StartedAt !== undefined &&
    (since === undefined || Date.parse(u.StartedAt) > Date.parse(since));
  if (!u || !fresh) return 'pending';
  const why = FAILED_UPDATE[u.State ?? ''];
  // a rollback in progress is reported once it ends, so the stack is settled when apply returns
  if (u.State === 'rollback_started') return 'pending';
  if (why) return { failed: `${why}${u.Message ? `: ${u.Message}` : ''}` };
  return u.State === 'completed' ? 'done' : 'pending';
}

interface TaskState {
  DesiredState?: string;
  Status?: { State?: string };
}

/**
 * Its tasks run at its replicas, or Swarm stopped restarting some (a program
 * that exited under its restart policy: status shows it, as supervisor's
 * EXITED/FATAL after an update).
 */
export function tasksSettled(tasks: TaskState[], replicas: number): boolean {
  const running = tasks.filter(
    (t) => t.DesiredState === 'running' && t.Status?.State === 'running',
  );
  if (running.length >= replicas) return true;
  // a restart is a new task, desired ready (its delay) then running
  const live = tasks.filter((t) => t.DesiredState === 'running' || t.DesiredState === 'ready');
  return tasks.length > 0 && live.length < replicas;
}

/** Waits for every watched service to settle; throws on a failed update or at the deadline. */
export async function waitConverged(
  client: DockerClient,
  watches: Watch[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...watches];
  for (;;) {
    const still: Watch[] = [];
    for (const w of pending) {
      const s = (await client.call(`inspect service ${w.name}`, (dk) =>
        dk.getService(w.id).inspect(),
      )) as Service & ServiceState;
      const u = w.updated ? updateOutcome(s, w.since) : 'done';
      if (typeof u === 'object') {
        throw new BackendError('FAILED', `service ${w.name}: ${u.failed}`);
      }
      if (u === 'pending') {
        still.push(w);
        continue;
      }
      const tasks = (await client.call('list tasks', (dk) =>
        dk.listTasks({ filters: { service: [w.id] } }),
      )) as TaskState[];
      if (!tasksSettled(tasks, w.replicas)) still.push(w);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new BackendError(
        'TIMEOUT',
        `service ${pending[0]!.name}: not settled within ${Math.round(timeoutMs / 1000)}s (tasks not running at its replicas, or its rolling update not done): see docker service ps ${pending[0]!.name}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
