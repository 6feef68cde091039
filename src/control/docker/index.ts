/**
 * The Docker backend: supctl's verbs over the Docker Engine API (dockerode),
 * one container per supervisor process, labelled so that docker-compose
 * sees one project. See apply.ts (update strategy), state.ts (states),
 * logs.ts (tail), create.ts (the compose model → create options).
 */
import type { ContainerInspectInfo } from 'dockerode';
import {
  BackendError,
  RUNNING_STATES,
  type ActionResult,
  type AvailEntry,
  type Backend,
  type LogRequest,
  type ProcessStatus,
} from '../types.ts';
import { startContainer, stopContainer } from './ops.ts';
import { createClient, isLocalDaemon, statusCode, type DockerClient } from './client.ts';
import { processTreeUsage } from '../usage/index.ts';
import { LABEL, NEXT_SUFFIX } from './labels.ts';
import { composeProjectName } from '../../emit/project-name.ts';
import { faultResult, okResult } from '../format.ts';
import { waitStarted } from '../start-wait.ts';
import { namespec } from '../../model/names.ts';
import { containerLogs } from './logs.ts';
import { removeProject } from './remove.ts';
import { mapState } from './state.ts';
import {
  EngineBackend,
  errorText,
  signalContainers,
  type EngineBackendOptions,
  type ProjectOps,
} from './engine-backend.ts';

// apply.ts pulls in the compose emitter (and yaml): only for plan and apply
const ops = async (): Promise<ProjectOps> => {
  const { planDeployment, applyDeployment } = await import('./apply.ts');
  return {
    plan: planDeployment,
    apply: applyDeployment,
    remove: (client, project, opts) => removeProject(client, project, opts?.onProgress),
  };
};

class DockerBackend extends EngineBackend implements Backend {
  constructor(client: DockerClient, opts: EngineBackendOptions) {
    super(client, opts, ops);
  }

  private async inspect(id: string): Promise<ContainerInspectInfo> {
    return this.client.call(`inspect ${id.slice(0, 12)}`, (dk) => dk.getContainer(id).inspect());
  }

  /**
   * Containers whose last run ended by a stop request: the daemon logs a
   * `stop` event when `POST /containers/{id}/stop` ends (after the `die`).
   * One bounded events query for every exited container at once. The
   * daemon keeps only its last 256 events; older stops fall back to the
   * policy/exit-code reading in state.ts.
   */
  private async stopRequested(infos: ContainerInspectInfo[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    const exited = infos.filter(
      (i) => i.State.Status === 'exited' && !i.State.StartedAt.startsWith('0001'),
    );
    if (exited.length === 0) return out;
    const finished = new Map(exited.map((i) => [i.Id, Date.parse(i.State.FinishedAt)]));
    const earliest = Math.min(...finished.values());
    const since = Math.floor(earliest / 1000) - 1;
    // a past `until` makes the daemon answer at once (a future one waits for it)
    const until = (Date.now() / 1000).toFixed(3);
    try {
      const events = await this.client.call('read stop events', async (dk) => {
        const stream = await dk.getEvents({
          since,
          until: until as unknown as number,
          filters: {
            type: ['container'],
            event: ['stop', 'die'],
            container: exited.map((i) => i.Id),
          },
        });
        let text = '';
        for await (const chunk of stream) text += String(chunk);
        return text;
      });
      for (const line of events.split('\n')) {
        if (!line.trim()) continue;
        const ev = JSON.parse(line) as {
          id?: string;
          status?: string;
          Action?: string;
          timeNano?: number;
          time?: number;
        };
        const fin = ev.id ? finished.get(ev.id) : undefined;
        const at = ev.timeNano ? ev.timeNano / 1e6 : (ev.time ?? 0) * 1000;
        if (fin === undefined || at < fin - 1000) continue;
        // the stop event follows the die that set FinishedAt; a die seen
        // without it is a death nobody asked for (unknown when neither is
        // still in the daemon's window)
        if ((ev.Action ?? ev.status) === 'stop') out.set(ev.id!, true);
        else if (!out.has(ev.id!)) out.set(ev.id!, false);
      }
    } catch {
      // no events: state.ts falls back to the policy and exit code
    }
    return out;
  }

  private status(info: ContainerInspectInfo, now: number, stopRequested?: boolean): ProcessStatus {
    const labels = info.Config.Labels ?? {};
    const group = labels[LABEL.group] ?? labels[LABEL.service] ?? info.Name.replace(/^\//, '');
    // containers docker-compose made from an emitted file: a scaled service has no process label
    const number = labels[LABEL.number];
    const name =
      labels[LABEL.process] ??
      (number !== undefined && labels[LABEL.service]
        ? `${labels[LABEL.service]}_${number}`
        : group);
    const st = info.State as ContainerInspectInfo['State'] & { Restarting: boolean };
    const m = mapState(
      {
        Status: st.Status,
        Running: st.Running,
        Restarting: st.Restarting,
        Pid: st.Pid,
        ExitCode: st.ExitCode,
        StartedAt: st.StartedAt,
        FinishedAt: st.FinishedAt,
        RestartCount: info.RestartCount,
        RestartPolicy: info.HostConfig.RestartPolicy,
        Labels: labels,
        StopRequested: stopRequested,
      },
      now,
    );
    return {
      group,
      name,
      namespec: namespec(group, name),
      project: labels[LABEL.supctlProject] ?? '',
      ...m,
      cpuNsec: null,
      memoryBytes: null,
      ref: info.Id,
    };
  }

  async list(opts?: { detail?: boolean }): Promise<ProcessStatus[]> {
    const label = this.opts.project
      ? `${LABEL.supctlProject}=${composeProjectName(this.opts.project)}`
      : LABEL.supctlProject;
    const containers = await this.client.call('list containers', (dk) =>
      dk.listContainers({ all: true, filters: { label: [label] } }),
    );
    const ours = containers.filter((c) => !(c.Names[0] ?? '').endsWith(NEXT_SUFFIX));
    const now = Date.now();
    const infos = await Promise.all(
      ours.map((c) =>
        this.inspect(c.Id).catch((e: unknown) => {
          // removed between list and inspect
          if (e instanceof BackendError && e.code === 'NOT_FOUND') return null;
          throw e;
        }),
      ),
    );
    const found = infos.filter((i) => i !== null);
    const stops = await this.stopRequested(found);
    const out = found.map((i) => this.status(i, now, stops.get(i.Id)));
    if (opts?.detail) await Promise.all(out.map((s) => this.fillStats(s)));
    return out.sort((a, b) => (a.namespec < b.namespec ? -1 : a.namespec > b.namespec ? 1 : 0));
  }

  private async fillStats(s: ProcessStatus): Promise<void> {
    if (s.state !== 'RUNNING' && s.state !== 'STARTING') return;
    await this.statsFromDaemon(s);
    // no stats from the daemon (no cgroup accounting): its pid's tree in /proc, if the daemon is local
    if (
      (s.cpuNsec === null || s.memoryBytes === null) &&
      s.pid !== null &&
      isLocalDaemon(this.client.host)
    ) {
      const u = processTreeUsage(s.pid);
      s.cpuNsec ??= u?.cpuNsec ?? null;
      s.memoryBytes ??= u?.memoryBytes ?? null;
    }
  }

  private async statsFromDaemon(s: ProcessStatus): Promise<void> {
    try {
      const stats = (await this.client.call(`stats ${s.ref.slice(0, 12)}`, (dk) =>
        dk.getContainer(s.ref).stats({ stream: false }),
      )) as unknown as {
        cpu_stats?: { cpu_usage?: { total_usage?: number } };
        memory_stats?: { usage?: number; stats?: { cache?: number; inactive_file?: number } };
      };
      const cpu = stats.cpu_stats?.cpu_usage?.total_usage;
      const mem = stats.memory_stats?.usage;
      const cache =
        stats.memory_stats?.stats?.inactive_file ?? stats.memory_stats?.stats?.cache ?? 0;
      // 0 for a running container means the cgroup keeps no count
      s.cpuNsec = typeof cpu === 'number' && cpu > 0 ? cpu : null;
      s.memoryBytes = typeof mem === 'number' && mem > 0 ? Math.max(0, mem - cache) : null;
    } catch {
      // a container that stopped meanwhile has no stats: leave them null
    }
  }

  private async startOne(t: ProcessStatus): Promise<ActionResult> {
    if (RUNNING_STATES.includes(t.state)) return faultResult(t.namespec, 'ALREADY_STARTED');
    try {
      await startContainer(this.client, t.namespec, t.ref);
    } catch (e) {
      if (e instanceof BackendError && statusCode(e.cause) === 304) {
        return faultResult(t.namespec, 'ALREADY_STARTED');
      }
      return faultResult(t.namespec, 'SPAWN_ERROR', errorText(e));
    }
    // STARTING lasts startsecs (state.ts reads it from the container's labels)
    return waitStarted(
      t.namespec,
      async () => this.status(await this.inspect(t.ref), Date.now()).state,
    );
  }

  private async stopOne(t: ProcessStatus): Promise<ActionResult> {
    if (!RUNNING_STATES.includes(t.state) && t.state !== 'STOPPING') {
      return faultResult(t.namespec, 'NOT_RUNNING');
    }
    try {
      const r = await stopContainer(this.client, t.ref, await this.stopwait(t.ref));
      return r === 'stopped'
        ? okResult(t.namespec, 'stop')
        : faultResult(t.namespec, 'NOT_RUNNING');
    } catch (e) {
      return faultResult(t.namespec, 'FAILED', errorText(e));
    }
  }

  private async stopwait(id: string): Promise<number> {
    const info = await this.inspect(id);
    return Number(info.Config.Labels?.[LABEL.stopwaitsecs] ?? '10') || 10;
  }

  start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return Promise.all(targets.map((t) => this.startOne(t)));
  }

  stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return Promise.all(targets.map((t) => this.stopOne(t)));
  }

  async restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const stopped = await this.stop(targets);
    const failed = new Map(
      stopped.filter((r) => !r.ok && r.fault !== 'NOT_RUNNING').map((r) => [r.namespec, r]),
    );
    const now = await this.refresh(targets);
    return Promise.all(
      now.map((t) => {
        const f = failed.get(t.namespec);
        return f ? Promise.resolve(f) : this.startOne(t);
      }),
    );
  }

  /** The same targets, with their current state. */
  private async refresh(targets: ProcessStatus[]): Promise<ProcessStatus[]> {
    const now = Date.now();
    return Promise.all(
      targets.map(async (t) => {
        try {
          return this.status(await this.inspect(t.ref), now);
        } catch {
          return t;
        }
      }),
    );
  }

  signal(targets: ProcessStatus[], sig: string): Promise<ActionResult[]> {
    return signalContainers(this.client, targets, sig, (t) => Promise.resolve(t.ref));
  }

  logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    return containerLogs(this.client, target.ref, req, sink);
  }

  async avail(): Promise<AvailEntry[]> {
    const procs = await this.list();
    const labels = await Promise.all(
      procs.map(async (p) => (await this.inspect(p.ref)).Config.Labels ?? {}),
    );
    return procs.map((p, i) => ({
      namespec: p.namespec,
      inUse: true,
      autostart: labels[i]![LABEL.autostart] !== 'false',
      priority: Number(labels[i]![LABEL.priority] ?? '999'),
    }));
  }
}

/**
 * A backend on DOCKER_HOST (or `dockerHost`). Pings the daemon first, so an
 * unreachable daemon is a BackendError here, within the timeout.
 */
export async function createDockerBackend(opts: EngineBackendOptions): Promise<Backend> {
  const client = await createClient({ dockerHost: opts.dockerHost, timeoutMs: opts.timeoutMs });
  await client.call(
    'ping',
    (dk) => dk.ping() as Promise<unknown>,
    Math.min(client.timeoutMs, 5000),
  );
  return new DockerBackend(client, opts);
}
