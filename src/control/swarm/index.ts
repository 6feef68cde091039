/**
 * The Swarm backend: supctl's verbs on a stack of Swarm services over the
 * Docker Engine API of a manager node (the docker backend's client). A
 * process is a slot of a service (tasks.ts); start/stop scale a service to
 * its replicas / 0 (a replicated service starts and stops as a whole),
 * restart is a forced update (ForceUpdate + 1: new tasks), signal and tail
 * reach the task's container when it runs on the node supctl talks to.
 */
import type { Service } from 'dockerode';
import { composeProjectName } from '../../emit/project-name.ts';
import { faultResult, okResult } from '../format.ts';
import { waitStarted } from '../start-wait.ts';
import {
  BackendError,
  RUNNING_STATES,
  type ActionResult,
  type AvailEntry,
  type Backend,
  type LogRequest,
  type ProcessStatus,
} from '../types.ts';
import { createClient, type DockerClient } from '../docker/client.ts';
import { LABEL } from '../docker/labels.ts';
import { containerLogs } from '../docker/logs.ts';
import {
  EngineBackend,
  errorText,
  signalContainers,
  type EngineBackendOptions,
  type ProjectOps,
} from '../docker/engine-backend.ts';
import { SERVICE_LABEL, STACK, containerLabels } from './labels.ts';
import {
  applyStack,
  ensureOwned,
  mutateService,
  planStack,
  removeStack,
  scaleService,
  stackServices,
} from './apply.ts';
import { serviceProcesses, type ServiceFacts, type SwarmProcess, type TaskFacts } from './tasks.ts';

const ops = (): Promise<ProjectOps> =>
  Promise.resolve({ plan: planStack, apply: applyStack, remove: removeStack });

const STOP_POLL_MS = 200;

class SwarmBackend extends EngineBackend implements Backend {
  constructor(
    client: DockerClient,
    private readonly nodeId: string,
    opts: EngineBackendOptions,
  ) {
    super(client, opts, ops);
  }

  /** The stacks' services that carry supervisor processes (supctl's, or docker's from convert output). */
  private async services(): Promise<Service[]> {
    const all = this.opts.project
      ? await stackServices(this.client, composeProjectName(this.opts.project))
      : await this.client.call('list services', (dk) =>
          dk.listServices({ filters: { label: [STACK.namespace] } }),
        );
    return all.filter((s) => containerLabels(s.Spec)[LABEL.supctlProject] !== undefined);
  }

  private async processes(): Promise<{ procs: SwarmProcess[]; services: Service[] }> {
    const services = await this.services();
    if (services.length === 0) return { procs: [], services };
    const tasks = (await this.client.call('list tasks', (dk) =>
      dk.listTasks({ filters: { service: services.map((s) => s.ID) } }),
    )) as TaskFacts[];
    const now = Date.now();
    const procs = services.flatMap((s) =>
      serviceProcesses(s as unknown as ServiceFacts, tasks, now),
    );
    procs.sort((a, b) =>
      a.status.namespec < b.status.namespec ? -1 : a.status.namespec > b.status.namespec ? 1 : 0,
    );
    return { procs, services };
  }

  async list(): Promise<ProcessStatus[]> {
    return (await this.processes()).procs.map((p) => p.status);
  }

  private async find(t: ProcessStatus): Promise<SwarmProcess | undefined> {
    return (await this.processes()).procs.find((p) => p.status.ref === t.ref);
  }

  private async state(t: ProcessStatus): Promise<ProcessStatus['state']> {
    return (await this.find(t))?.status.state ?? 'UNKNOWN';
  }

  /**
   * Scales each targeted service once; every target of a service gets the
   * service's outcome. A replicated service scales as a whole: a stop must
   * name all of its slots (GROUP:*).
   */
  private async scale(
    targets: ProcessStatus[],
    up: boolean,
  ): Promise<Map<string, string | undefined>> {
    const { procs, services } = await this.processes();
    const byService = new Map<string, ProcessStatus[]>();
    for (const t of targets) {
      const id = t.ref.split('/')[0]!;
      byService.set(id, [...(byService.get(id) ?? []), t]);
    }
    const out = new Map<string, string | undefined>();
    for (const [id, ts] of byService) {
      const s = services.find((x) => x.ID === id);
      const slots = procs.filter((p) => p.serviceId === id).length;
      let error: string | undefined;
      if (!s) error = 'no such service';
      else if (s.Spec?.Labels?.[SERVICE_LABEL.project] === undefined) {
        error = `service ${s.Spec?.Name} was not created by supctl: scale it with docker service scale`;
      } else if (!up && ts.length < slots) {
        error = `${s.Spec?.Name} is one replicated service: stop ${ts[0]!.group}:* stops it as a whole`;
      } else {
        const replicas = up ? Number(s.Spec?.Labels?.[SERVICE_LABEL.replicas] ?? slots) : 0;
        try {
          await scaleService(this.client, id, replicas);
        } catch (e) {
          error = errorText(e);
        }
      }
      for (const t of ts) out.set(t.ref, error);
    }
    return out;
  }

  async start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const todo = targets.filter((t) => !RUNNING_STATES.includes(t.state));
    const before = await this.newestTasks();
    const errors = await this.scale(todo, true);
    return Promise.all(
      targets.map(async (t) => {
        if (RUNNING_STATES.includes(t.state)) return faultResult(t.namespec, 'ALREADY_STARTED');
        const e = errors.get(t.ref);
        if (e !== undefined) return faultResult(t.namespec, 'SPAWN_ERROR', e);
        return this.waitNewTask(t, before);
      }),
    );
  }

  /** The newest task of each process, by ref. */
  private async newestTasks(): Promise<Map<string, string | undefined>> {
    return new Map((await this.processes()).procs.map((p) => [p.status.ref, p.taskId]));
  }

  /** Waits for a task newer than `before` had to leave STARTING (start, restart). */
  private waitNewTask(
    t: ProcessStatus,
    before: Map<string, string | undefined>,
  ): Promise<ActionResult> {
    return waitStarted(
      t.namespec,
      async () => {
        const p = await this.find(t);
        if (!p || p.taskId === before.get(t.ref)) return 'STARTING';
        return p.status.state;
      },
      STOP_POLL_MS,
    );
  }

  async stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const todo = targets.filter((t) => RUNNING_STATES.includes(t.state) || t.state === 'STOPPING');
    const errors = await this.scale(todo, false);
    return Promise.all(
      targets.map(async (t) => {
        if (!todo.includes(t)) return faultResult(t.namespec, 'NOT_RUNNING');
        const e = errors.get(t.ref);
        if (e !== undefined) return faultResult(t.namespec, 'FAILED', e);
        // Swarm stops the task with its stop signal and grace period; wait for it
        for (;;) {
          const s = await this.state(t);
          if (s !== 'RUNNING' && s !== 'STOPPING' && s !== 'STARTING') break;
          await new Promise((r) => setTimeout(r, STOP_POLL_MS));
        }
        return okResult(t.namespec, 'stop');
      }),
    );
  }

  /** A forced update (new tasks) for each running service; a stopped one is started. */
  async restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const { procs, services } = await this.processes();
    const ids = [
      ...new Set(
        targets.filter((t) => RUNNING_STATES.includes(t.state)).map((t) => t.ref.split('/')[0]!),
      ),
    ];
    const errors = new Map<string, string>();
    const before = new Map(procs.map((p) => [p.status.ref, p.taskId]));
    for (const id of ids) {
      try {
        const own = services.filter((s) => s.ID === id);
        ensureOwned(own[0]?.Spec?.Labels?.[STACK.namespace] ?? '', own);
        await mutateService(this.client, id, (spec) => {
          const tt = (spec.TaskTemplate ??= {}) as { ForceUpdate?: number };
          tt.ForceUpdate = (tt.ForceUpdate ?? 0) + 1;
        });
      } catch (e) {
        errors.set(id, errorText(e));
      }
    }
    const stopped = targets.filter((t) => !RUNNING_STATES.includes(t.state));
    const started = new Map((await this.start(stopped)).map((r, i) => [stopped[i]!.ref, r]));
    return Promise.all(
      targets.map(async (t) => {
        const r = started.get(t.ref);
        if (r) return r;
        const e = errors.get(t.ref.split('/')[0]!);
        if (e !== undefined) return faultResult(t.namespec, 'FAILED', e);
        // a new task replaces the old one: wait for it to leave STARTING
        return this.waitNewTask(t, before);
      }),
    );
  }

  /** The task's container when it runs on this node; else why not. */
  private async localContainer(t: ProcessStatus): Promise<string> {
    const p = await this.find(t);
    if (!p?.containerId) throw new BackendError('NOT_FOUND', `${t.namespec}: no task container`);
    if (p.nodeId !== this.nodeId) {
      throw new BackendError(
        'FAILED',
        `${t.namespec} runs on node ${p.nodeId ?? '?'}, not on the node at ${this.client.host}: point SUPCTL_SWARM_HOST at that node's daemon`,
      );
    }
    return p.containerId;
  }

  signal(targets: ProcessStatus[], sig: string): Promise<ActionResult[]> {
    return signalContainers(this.client, targets, sig, (t) => this.localContainer(t));
  }

  /** The container's logs on this node; a task elsewhere: its logs as the manager gathers them. */
  async logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    const p = await this.find(target);
    if (!p?.taskId) throw new BackendError('NOT_FOUND', `${target.namespec}: no task`);
    if (p.containerId && p.nodeId === this.nodeId) {
      return containerLogs(this.client, p.containerId, req, sink);
    }
    return containerLogs(this.client, p.taskId, req, sink, 'task');
  }

  async avail(): Promise<AvailEntry[]> {
    const { procs, services } = await this.processes();
    return procs.map((p) => {
      const labels = containerLabels(services.find((s) => s.ID === p.serviceId)?.Spec);
      return {
        namespec: p.status.namespec,
        inUse: true,
        autostart: labels[LABEL.autostart] !== 'false',
        priority: Number(labels[LABEL.priority] ?? '999'),
      };
    });
  }
}

/** A backend on a swarm manager; refuses a daemon that is not one, within the timeout. */
export async function createSwarmBackend(opts: EngineBackendOptions): Promise<Backend> {
  const client = await createClient({ dockerHost: opts.dockerHost, timeoutMs: opts.timeoutMs });
  const info = (await client.call(
    'info',
    (dk) => dk.info() as Promise<unknown>,
    Math.min(client.timeoutMs, 5000),
  )) as {
    Swarm?: { NodeID?: string; LocalNodeState?: string; ControlAvailable?: boolean };
  };
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
    throw new BackendError(
      'FAILED',
      `the Docker daemon at ${client.host} is not a swarm manager (swarm state: ${info.Swarm?.LocalNodeState ?? 'unknown'}): run \`docker swarm init\` there, or point SUPCTL_SWARM_HOST at a manager`,
    );
  }
  return new SwarmBackend(client, info.Swarm.NodeID ?? '', opts);
}
